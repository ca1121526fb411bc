from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shuren.core.permissions import requires

from .models import User


@requires("accounts.view_user")
def user_list(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/user_list.html", {"users": User.objects.order_by("username")})
