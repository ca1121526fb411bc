"""Resident portal and mobile intake for appeals (/my/appeals/)."""

from django.urls import path

from .views import portal as views

app_name = "appeals_portal"

urlpatterns = [
    path("", views.my_appeal_list, name="list"),
    path("new/", views.report, name="report"),
    path("collect/", views.collect, name="collect"),
    path("collect/residents/", views.collect_residents, name="collect_residents"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("<int:pk>/", views.appeal_detail, name="detail"),
    path("<int:pk>/submitted/", views.submitted, name="submitted"),
    path("<int:pk>/photos/<int:photo_pk>/", views.appeal_photo, name="photo"),
]
