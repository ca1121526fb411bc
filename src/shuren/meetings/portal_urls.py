"""Resident portal pages of meetings (/my/meetings/)."""

from django.urls import path

from . import portal_views as views

app_name = "meetings_portal"

urlpatterns = [
    path("", views.my_meetings, name="list"),
    path("calendar/", views.calendar_feed, name="calendar_feed"),
    # Public: calendar apps cannot sign in; the secret in the address is the credential.
    path("calendar/<str:token>.ics", views.feed, name="feed"),
    path("checkin/<str:token>/", views.checkin, name="checkin"),
    path("actions/<int:pk>/", views.action_item, name="action_item"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/meeting.ics", views.meeting_ics, name="meeting_ics"),
]
