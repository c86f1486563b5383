"""Included under the assessment app's namespace at ``report/``: ``assessment:monthly_report``
(the page) and its downloads. The file names carry a dot, so they never read as a unit's
scorecard (``<kind>/<code>/``)."""

from __future__ import annotations

from django.urls import path

from sqm.assessment.report import views

urlpatterns = [
    path("", views.page, name="monthly_report"),
    path("monthly.pdf", views.pdf, name="monthly_report_pdf"),
    path("monthly.xlsx", views.xlsx, name="monthly_report_xlsx"),
]
