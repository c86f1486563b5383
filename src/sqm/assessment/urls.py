from __future__ import annotations

from django.urls import include, path

from sqm.assessment import views

app_name = "assessment"
urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("report/", include("sqm.assessment.report.urls")),
    path("<slug:kind>/<slug:code>/", views.scorecard, name="scorecard"),
]
