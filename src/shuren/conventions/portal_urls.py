"""Resident portal pages of conventions (/my/conventions/)."""

from django.urls import path

from . import portal_views

app_name = "conventions_portal"

urlpatterns = [
    path("", portal_views.index, name="index"),
    path("<int:pk>/", portal_views.detail, name="detail"),
    path("versions/<int:pk>/comment/", portal_views.comment, name="comment"),
]
