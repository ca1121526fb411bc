from django.urls import path

from .views import home, shell

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("me/", home.portal, name="portal"),
    path("dashboard/", home.dashboard, name="dashboard"),
    path("services/", shell.services, name="services"),
    path("my/", shell.me, name="me"),
]
