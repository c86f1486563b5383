from __future__ import annotations

from django.urls import URLPattern, path

from sqm.improvement.web import actions, meetings, projects

app_name = "improvement"
urlpatterns: list[URLPattern] = [
    path("", actions.index, name="index"),
    path("actions/", actions.board, name="actions"),
    path("actions/mine/", actions.mine, name="mine"),
    path("actions/new/", actions.create, name="new_action"),
    path("actions/<int:pk>/", actions.detail, name="action"),
    path("actions/<int:pk>/step/", actions.step, name="step"),
    path("actions/<int:pk>/evidence/", actions.evidence, name="evidence"),
    path(
        "actions/<int:pk>/evidence/<int:evidence_id>/",
        actions.evidence_file,
        name="evidence_file",
    ),
    path("actions/<int:pk>/comments/", actions.comment, name="comment"),
    path("province/", actions.province, name="province"),
    path("meetings/", meetings.meetings, name="meetings"),
    path("meetings/new/", meetings.create, name="new_meeting"),
    path("meetings/<int:pk>/", meetings.meeting, name="meeting"),
    path("meetings/<int:pk>/update/", meetings.update, name="update_meeting"),
    path("meetings/<int:pk>/attendance/", meetings.attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/topics/", meetings.add_topic, name="add_topic"),
    path("meetings/<int:pk>/topics/move/", meetings.move, name="move_topic"),
    path("meetings/<int:pk>/topics/remove/", meetings.remove_topic, name="remove_topic"),
    path("meetings/<int:pk>/decisions/", meetings.decide, name="decide"),
    path("meetings/<int:pk>/minutes.<str:fmt>", meetings.minutes, name="minutes"),
    path("projects/", projects.projects, name="projects"),
    path("projects/new/", projects.create_project, name="new_project"),
    path("projects/<int:pk>/", projects.project, name="project"),
    path("projects/<int:pk>/review/", projects.review, name="review"),
    path("projects/<int:pk>/tasks/", projects.add_task, name="add_task"),
    path("projects/<int:pk>/evaluation/", projects.evaluation, name="evaluation"),
    path("launches/", projects.launches, name="launches"),
    path("launches/new/", projects.create_launch, name="new_launch"),
    path("launches/<int:pk>/", projects.launch, name="launch"),
    path("launches/<int:pk>/act/", projects.launch_action, name="launch_action"),
]
