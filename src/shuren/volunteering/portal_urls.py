"""Resident portal of volunteering (/my/volunteering/)."""

from django.urls import path

from .views import portal

app_name = "volunteering_portal"

urlpatterns = [
    path("", portal.home, name="home"),
    path("mine/", portal.mine, name="mine"),
    path("profile/", portal.profile, name="profile"),
    path("register/", portal.register, name="register"),
    path("<int:pk>/", portal.activity_detail, name="activity"),
    path("<int:pk>/sign-up/", portal.sign_up, name="sign_up"),
    path("<int:pk>/cancel/", portal.cancel, name="cancel"),
    path("checkin/<str:token>/", portal.checkin, name="checkin"),
]
