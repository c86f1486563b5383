from __future__ import annotations

from django.urls import path

from sqm.complaints import views, views_callbacks, views_detail

app_name = "complaints"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("export/", views.export, name="export"),
    path("new/", views.intake, name="intake"),
    path("bulk-assign/", views.bulk_assign, name="bulk_assign"),
    path("callbacks/", views_callbacks.callbacks, name="callbacks"),
    path(
        "callbacks/<int:pk>/complete/",
        views_callbacks.complete,
        name="callback_complete",
    ),
    path("<str:number>/", views_detail.detail, name="detail"),
    path("<str:number>/transition/", views_detail.transition, name="transition"),
    path("<str:number>/close/", views_detail.close, name="close"),
    path("<str:number>/escalate/", views_detail.escalate, name="escalate"),
    path("<str:number>/appeal/", views_detail.appeal, name="appeal"),
    path("<str:number>/transfer/", views_detail.transfer, name="transfer"),
    path("<str:number>/assign/", views_detail.assign, name="assign"),
    path("<str:number>/note/", views_detail.note, name="note"),
    path("<str:number>/repeat-owner/", views_detail.repeat_owner, name="repeat_owner"),
    path("<str:number>/refund/", views_detail.refund, name="refund"),
    path(
        "<str:number>/refunds/<int:pk>/reverse/",
        views_detail.reverse_refund,
        name="reverse_refund",
    ),
    path("<str:number>/phone/", views_detail.reveal_phone, name="reveal_phone"),
]
