"""Resident portal of volunteering (/my/volunteering/)."""

from django.urls import path

from . import portal_views as views

app_name = "volunteering_portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("mine/", views.mine, name="mine"),
    path("profile/", views.profile, name="profile"),
    path("register/", views.register, name="register"),
    path("<int:pk>/", views.activity_detail, name="activity"),
    path("<int:pk>/sign-up/", views.sign_up, name="sign_up"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("checkin/<str:token>/", views.checkin, name="checkin"),
]
