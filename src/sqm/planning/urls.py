from __future__ import annotations

from django.urls import path

from sqm.planning import views, views_hotline

app_name = "planning"
urlpatterns = [
    path("", views.index, name="index"),
    path("compare/", views.compare, name="compare"),
    path("<int:pk>/", views.plan, name="plan"),
    path("<int:pk>/simulate/", views_hotline.simulate, name="simulate"),
    path("<int:pk>/schedule/", views_hotline.schedule, name="schedule"),
]
