from __future__ import annotations

from django.urls import path

from sqm.complaints.web import callbacks, detail, views

app_name = "complaints"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("export/", views.export, name="export"),
    path("new/", views.intake, name="intake"),
    path("bulk-assign/", views.bulk_assign, name="bulk_assign"),
    path("callbacks/", callbacks.callbacks, name="callbacks"),
    path(
        "callbacks/<int:pk>/complete/",
        callbacks.complete,
        name="callback_complete",
    ),
    path("<str:number>/", detail.detail, name="detail"),
    path("<str:number>/transition/", detail.transition, name="transition"),
    path("<str:number>/close/", detail.close, name="close"),
    path("<str:number>/escalate/", detail.escalate, name="escalate"),
    path("<str:number>/appeal/", detail.appeal, name="appeal"),
    path("<str:number>/transfer/", detail.transfer, name="transfer"),
    path("<str:number>/assign/", detail.assign, name="assign"),
    path("<str:number>/note/", detail.note, name="note"),
    path("<str:number>/repeat-owner/", detail.repeat_owner, name="repeat_owner"),
    path("<str:number>/refund/", detail.refund, name="refund"),
    path(
        "<str:number>/refunds/<int:pk>/reverse/",
        detail.reverse_refund,
        name="reverse_refund",
    ),
    path("<str:number>/phone/", detail.reveal_phone, name="reveal_phone"),
]
