"""A signed-in resident's pages (``/my/account/``): link to a home, change the mobile number."""

from django.urls import path

from .views import portal

app_name = "signup_portal"

urlpatterns = [
    path("link/", portal.link, name="link"),
    path("phone/", portal.phone, name="phone"),
    path("phone/verify/", portal.phone_verify, name="phone_verify"),
]
