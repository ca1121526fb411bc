from django.urls import path

from .views import home

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("me/", home.portal, name="portal"),
    path("dashboard/", home.dashboard, name="dashboard"),
]
