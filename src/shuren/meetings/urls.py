"""Staff console of meetings (/meetings/)."""

from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("calendar/", views.meeting_calendar, name="meeting_calendar"),
    path("new/", views.meeting_new, name="meeting_new"),
    path("actions/", views.action_list, name="action_list"),
    path("actions/<int:pk>/update/", views.action_update, name="action_update"),
    path("rules/", views.rule_list, name="rule_list"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/sign-in-poster/", views.meeting_poster, name="meeting_poster"),
    path("<int:pk>/meeting.ics", views.meeting_ics, name="meeting_ics"),
    path("<int:pk>/act/<slug:action>/", views.meeting_action, name="meeting_action"),
]
