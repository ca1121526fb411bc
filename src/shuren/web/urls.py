from django.urls import path

from .views import display, home, shell, styleguide

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("me/", home.portal, name="portal"),
    path("dashboard/", home.dashboard, name="dashboard"),
    path("ui/text-size/", display.text_size, name="text_size"),
    path("ui/styleguide/", styleguide.styleguide, name="styleguide"),
    path("services/", shell.services, name="services"),
    path("my/", shell.me, name="me"),
]
