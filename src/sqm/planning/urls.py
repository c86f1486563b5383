from __future__ import annotations

from django.urls import path

from sqm.planning.web import hotline, views

app_name = "planning"
urlpatterns = [
    path("", views.index, name="index"),
    path("compare/", views.compare, name="compare"),
    path("<int:pk>/", views.plan, name="plan"),
    path("<int:pk>/simulate/", hotline.simulate, name="simulate"),
    path("<int:pk>/schedule/", hotline.schedule, name="schedule"),
]
