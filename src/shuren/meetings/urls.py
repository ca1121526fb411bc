"""Staff console of meetings (/meetings/)."""

from django.urls import path

from .views import action_items, config, console, detail, recording

app_name = "meetings"

urlpatterns = [
    path("", console.meeting_list, name="meeting_list"),
    path("calendar/", console.meeting_calendar, name="meeting_calendar"),
    path("new/", console.meeting_new, name="meeting_new"),
    path("actions/", action_items.action_list, name="action_list"),
    path("actions/<int:pk>/update/", action_items.action_update, name="action_update"),
    path("rules/", config.rule_list, name="rule_list"),
    path("rules/<int:pk>/", config.rule_edit, name="rule_edit"),
    path("<int:pk>/", detail.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", console.meeting_edit, name="meeting_edit"),
    path("<int:pk>/sign-in-poster/", detail.meeting_poster, name="meeting_poster"),
    path("<int:pk>/meeting.ics", detail.meeting_ics, name="meeting_ics"),
    path("<int:pk>/act/<slug:action>/", recording.meeting_action, name="meeting_action"),
]
