from __future__ import annotations

from django.urls import path

from sqm.spam import views

app_name = "spam"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/review/", views.review, name="review"),
    path("cases/<int:pk>/appeal/", views.file_appeal, name="file_appeal"),
    path("appeals/", views.appeals, name="appeals"),
    path("appeals/<int:pk>/decide/", views.decide_appeal, name="decide_appeal"),
    path("quality/", views.quality_dashboard, name="quality"),
]
