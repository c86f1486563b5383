"""The project's URLs with the TMF656 API mounted, until config/urls.py mounts it."""

from __future__ import annotations

from django.urls import path

from sqm.config.urls import urlpatterns as project
from sqm.tmf.api import urls
from sqm.tracing.tmf.api import tmf656_api

urlpatterns = [path("tmf-api/serviceProblemManagement/v4/", urls(tmf656_api)), *project]
