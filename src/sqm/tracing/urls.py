from __future__ import annotations

from django.urls import path

from sqm.tracing import views, views_case

app_name = "tracing"
urlpatterns = [
    path("", views.index, name="index"),
    path("signals/<int:pk>/", views.signal_detail, name="signal"),
    path("signals/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("signals/<int:pk>/dismiss/", views.dismiss, name="dismiss"),
    path("signals/<int:pk>/restore/", views.restore, name="restore"),
    path("cases/", views_case.cases, name="cases"),
    path("cases/open/", views.open_case, name="open_case"),
    path("cases/<str:number>/", views_case.case_detail, name="case"),
    path("cases/<str:number>/update/", views_case.update, name="update"),
    path("cases/<str:number>/root-cause/", views_case.root_cause, name="root_cause"),
    path("cases/<str:number>/stage/", views_case.move, name="stage"),
    path("cases/<str:number>/measures/", views_case.add_measure, name="add_measure"),
    path(
        "cases/<str:number>/measures/<int:measure>/",
        views_case.update_measure,
        name="update_measure",
    ),
    path("cases/<str:number>/complaints/", views_case.add_complaints, name="add_complaints"),
    path(
        "cases/<str:number>/complaints/remove/",
        views_case.remove_complaint,
        name="remove_complaint",
    ),
    path("cases/<str:number>/notes/", views_case.note, name="note"),
]
