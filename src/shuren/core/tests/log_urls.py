"""Routes for the request-logging tests: a view that refuses and one that fails."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from shuren.core.permissions import public


@public
def refuses(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("not yours")


@public
def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the code is wrong")


urlpatterns = [path("refuses/", refuses), path("fails/", fails)]
