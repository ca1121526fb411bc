"""REST API of meetings (/api/v1/meetings/), in the ``api`` namespace."""

from django.urls import path

from . import api

urlpatterns = [
    path("", api.MeetingListView.as_view(), name="meeting-list"),
    path("checkin/", api.CheckInView.as_view(), name="meeting-checkin"),
    path("action-items/<int:pk>/", api.ActionItemUpdateView.as_view(), name="meeting-action-item-update"),
    path("<int:pk>/", api.MeetingDetailView.as_view(), name="meeting-detail"),
    path("<int:pk>/steps/", api.MeetingStepView.as_view(), name="meeting-step"),
    path("<int:pk>/invitations/", api.InvitationsView.as_view(), name="meeting-invitations"),
    path("<int:pk>/attendance/", api.AttendanceView.as_view(), name="meeting-attendance"),
    path("<int:pk>/agenda/", api.AgendaView.as_view(), name="meeting-agenda"),
    path("<int:pk>/minutes/", api.MinutesView.as_view(), name="meeting-minutes"),
    path("<int:pk>/resolutions/", api.ResolutionsView.as_view(), name="meeting-resolutions"),
    path("<int:pk>/action-items/", api.ActionItemsView.as_view(), name="meeting-action-items"),
    path("<int:pk>/publish/", api.PublishView.as_view(), name="meeting-publish"),
]
