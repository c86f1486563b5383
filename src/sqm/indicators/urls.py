from __future__ import annotations

from django.urls import path

from sqm.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("i/<slug:indicator_id>/", views.indicator_detail, name="indicator"),
    path("branch/<slug:code>/", views.branch_detail, name="branch"),
    path("competitors/", views.competitors, name="competitors"),
]
