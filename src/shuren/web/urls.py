from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.portal, name="portal"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
