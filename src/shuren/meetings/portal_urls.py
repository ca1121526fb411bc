"""Resident portal pages of meetings (/my/meetings/)."""

from django.urls import path

from .views import portal

app_name = "meetings_portal"

urlpatterns = [
    path("", portal.my_meetings, name="list"),
    path("calendar/", portal.calendar_feed, name="calendar_feed"),
    # Public: calendar apps cannot sign in; the secret in the address is the credential.
    path("calendar/<str:token>.ics", portal.feed, name="feed"),
    path("checkin/<str:token>/", portal.checkin, name="checkin"),
    path("actions/<int:pk>/", portal.action_item, name="action_item"),
    path("<int:pk>/", portal.meeting_detail, name="detail"),
    path("<int:pk>/reply/", portal.reply, name="reply"),
    path("<int:pk>/meeting.ics", portal.meeting_ics, name="meeting_ics"),
]
