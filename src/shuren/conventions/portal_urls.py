"""Resident portal pages of conventions (/my/conventions/)."""

from django.urls import path

from .views import portal

app_name = "conventions_portal"

urlpatterns = [
    path("", portal.index, name="index"),
    path("<int:pk>/", portal.detail, name="detail"),
    path("versions/<int:pk>/comment/", portal.comment, name="comment"),
]
