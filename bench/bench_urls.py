"""The URL configuration of the benchmark server: every benchmark's floors (bare views defined in
the benchmark modules) beside the real site."""

import appeals_api
import dashboard
from django.urls import include, path

urlpatterns = [*appeals_api.floor_urls(), *dashboard.floor_urls(), path("", include("shuren.urls"))]
handler400 = "shuren.web.views.errors.bad_request"
handler403 = "shuren.web.views.errors.permission_denied"
handler404 = "shuren.web.views.errors.page_not_found"
handler500 = "shuren.web.views.errors.server_error"
