"""Staff console of meetings (/meetings/)."""

from django.urls import path

from . import action_views, config_views, detail_views, recording_views, views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("calendar/", views.meeting_calendar, name="meeting_calendar"),
    path("new/", views.meeting_new, name="meeting_new"),
    path("actions/", action_views.action_list, name="action_list"),
    path("actions/<int:pk>/update/", action_views.action_update, name="action_update"),
    path("rules/", config_views.rule_list, name="rule_list"),
    path("rules/<int:pk>/", config_views.rule_edit, name="rule_edit"),
    path("<int:pk>/", detail_views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/sign-in-poster/", detail_views.meeting_poster, name="meeting_poster"),
    path("<int:pk>/meeting.ics", detail_views.meeting_ics, name="meeting_ics"),
    path("<int:pk>/act/<slug:action>/", recording_views.meeting_action, name="meeting_action"),
]
