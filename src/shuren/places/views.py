from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shuren.core.permissions import requires
from shuren.core.scoping import visible

from .models import Area


@requires("places.view_area")
def area_list(request: HttpRequest) -> HttpResponse:
    areas = visible(Area.objects.all(), request.user, "places.view_area")
    return render(request, "places/area_list.html", {"areas": areas})
