from __future__ import annotations

from django.urls import path

from sqm.voc import views

app_name = "voc"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("drivers/", views.drivers, name="drivers"),
    path("provider-gaps/", views.provider_gaps, name="provider_gaps"),
    path("export.xlsx", views.export, name="export"),
]
