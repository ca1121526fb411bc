"""Resident portal pages of the lists (/my/lists/)."""

from django.urls import path

from .views import portal as views

app_name = "lists_portal"

urlpatterns = [
    path("", views.my_requests, name="my_requests"),
    path("<int:pk>/", views.my_request, name="my_request"),
    path("request/<int:pk>/", views.request_resource, name="request"),
]
