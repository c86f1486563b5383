from __future__ import annotations

from django.urls import path

from sqm.org import views

app_name = "org"
urlpatterns = [
    path("audit/", views.audit, name="audit"),
]
