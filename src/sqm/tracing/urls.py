from __future__ import annotations

from django.urls import path

from sqm.tracing.web import cases, views

app_name = "tracing"
urlpatterns = [
    path("", views.index, name="index"),
    path("signals/<int:pk>/", views.signal_detail, name="signal"),
    path("signals/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("signals/<int:pk>/dismiss/", views.dismiss, name="dismiss"),
    path("signals/<int:pk>/restore/", views.restore, name="restore"),
    path("cases/", cases.cases, name="cases"),
    path("cases/open/", views.open_case, name="open_case"),
    path("cases/<str:number>/", cases.case_detail, name="case"),
    path("cases/<str:number>/update/", cases.update, name="update"),
    path("cases/<str:number>/root-cause/", cases.root_cause, name="root_cause"),
    path("cases/<str:number>/stage/", cases.move, name="stage"),
    path("cases/<str:number>/measures/", cases.add_measure, name="add_measure"),
    path(
        "cases/<str:number>/measures/<int:measure>/",
        cases.update_measure,
        name="update_measure",
    ),
    path("cases/<str:number>/complaints/", cases.add_complaints, name="add_complaints"),
    path(
        "cases/<str:number>/complaints/remove/",
        cases.remove_complaint,
        name="remove_complaint",
    ),
    path("cases/<str:number>/notes/", cases.note, name="note"),
    path("cases/<str:number>/group/", cases.group, name="group"),
    path("cases/<str:number>/ungroup/", cases.ungroup, name="ungroup"),
]
