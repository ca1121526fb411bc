"""Open311 GeoReport v2 (/open311/v2/). The format is part of each resource name (services.json,
requests/20260302-000042.xml); an unknown format answers 400 in XML, the format the spec requires."""

from django.urls import path, register_converter

from .views import georeport as views


class FormatConverter:
    regex = "[A-Za-z0-9]{1,10}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "open311_format")

app_name = "open311"

urlpatterns = [
    path("discovery.<open311_format:format>", views.discovery, name="discovery"),
    path("services.<open311_format:format>", views.service_list, name="services"),
    path("services/<str:service_code>.<open311_format:format>", views.service_definition, name="service_definition"),
    path("requests.<open311_format:format>", views.service_requests, name="requests"),
    path("requests/<str:service_request_id>.<open311_format:format>", views.service_request, name="request"),
    path("tokens/<str:token>.<open311_format:format>", views.token, name="token"),
]
