"""Staff console of the lists (/lists/) and a member unit's own pages (/lists/unit/)."""

from django.urls import path

from .views import console, unit

app_name = "lists"

urlpatterns = [
    path("", console.need_list, name="need_list"),
    path("needs/new/", console.need_new, name="need_new"),
    path("needs/from-appeal/<int:appeal_pk>/", console.need_from_appeal, name="need_from_appeal"),
    path("needs/<int:pk>/", console.need_detail, name="need_detail"),
    path("needs/<int:pk>/propose/", console.need_propose, name="need_propose"),
    path("needs/<int:pk>/close/", console.need_close, name="need_close"),
    path("needs/<int:pk>/matches/<int:match_pk>/<slug:action>/", console.match_action, name="match_action"),
    path("resources/", console.resource_list, name="resource_list"),
    path("resources/new/", console.resource_new, name="resource_new"),
    path("resources/<int:pk>/", console.resource_detail, name="resource_detail"),
    path("resources/<int:pk>/edit/", console.resource_edit, name="resource_edit"),
    path("unit/", unit.our_resources, name="unit_resources"),
    path("unit/new/", unit.our_resource_new, name="unit_resource_new"),
    path("unit/<int:pk>/", unit.our_resource, name="unit_resource"),
    path("unit/<int:pk>/edit/", unit.our_resource_edit, name="unit_resource_edit"),
    path("unit/requests/", unit.requests_to_us, name="unit_requests"),
    path("unit/requests/<int:pk>/<slug:action>/", unit.answer_request, name="unit_answer"),
]
