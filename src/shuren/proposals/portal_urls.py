"""Resident portal pages of proposals (/my/proposals/)."""

from django.urls import path

from .views import portal

app_name = "proposals_portal"

urlpatterns = [
    path("", portal.index, name="index"),
    path("new/", portal.new, name="new"),
    path("<int:pk>/", portal.detail, name="detail"),
    path("<int:pk>/sign/", portal.sign, name="sign"),
    path("<int:pk>/withdraw/", portal.withdraw, name="withdraw"),
]
