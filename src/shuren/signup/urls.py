"""Sign-up without an account (``/join/``) and the staff's queue of link requests (``/join/requests/``)."""

from django.urls import path

from .views import console, public

app_name = "signup"

urlpatterns = [
    path("", public.start, name="start"),
    path("verify/", public.verify, name="verify"),
    path("account/", public.account, name="account"),
    path("reset/", public.reset, name="reset"),
    path("reset/verify/", public.reset_verify, name="reset_verify"),
    path("reset/password/", public.reset_new_password, name="reset_password"),
    path("requests/", console.queue, name="queue"),
    path("requests/<int:pk>/", console.detail, name="detail"),
    path("requests/<int:pk>/approve/", console.approve, name="approve"),
    path("requests/<int:pk>/refuse/", console.refuse, name="refuse"),
]
