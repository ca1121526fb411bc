"""Resident portal pages of proposals (/my/proposals/)."""

from django.urls import path

from . import portal_views

app_name = "proposals_portal"

urlpatterns = [
    path("", portal_views.index, name="index"),
    path("new/", portal_views.new, name="new"),
    path("<int:pk>/", portal_views.detail, name="detail"),
    path("<int:pk>/sign/", portal_views.sign, name="sign"),
    path("<int:pk>/withdraw/", portal_views.withdraw, name="withdraw"),
]
