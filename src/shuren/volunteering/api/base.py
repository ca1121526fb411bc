"""What the API views of volunteering share: the permission tuples, the base view, one activity or
profile as the API answers it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers, status
from rest_framework.response import Response

from shuren.api.base import ServiceAPIView
from shuren.api.pagination import PageNumberPagination
from shuren.core.concurrency import etag_for
from shuren.core.errors import OutOfScope
from shuren.core.scoping import can, has_action

from .. import selectors
from ..models import Activity, Skill, VolunteerProfile
from .serializers import (
    VolunteeringActivitySerializer,
    VolunteeringProfileSerializer,
)

STAFF = ("volunteering.view", "volunteering.manage")
READERS = (*STAFF, "volunteering.volunteer")
MANAGE = ("volunteering.manage",)
# POST-only views list GET too, so that a GET answers 405 (not 403) to those who may POST.
VOLUNTEER = ("volunteering.volunteer",)


class VolunteeringAPIView(ServiceAPIView):
    """Service ValidationErrors become 400 problems naming the request's fields."""


class VolunteeringPagination(PageNumberPagination):
    pass


def is_staff(user: Any) -> bool:
    return has_action(user, "volunteering.view") or has_action(user, "volunteering.manage")


def activity_for(user: Any, pk: int) -> Activity:
    """Staff: an activity of their areas; volunteers: one of their community (or signed up for)."""
    if is_staff(user):
        try:
            return selectors.staff_activity(user, pk)
        except OutOfScope:
            if not has_action(user, "volunteering.volunteer"):
                raise
    return selectors.openable_for_volunteer(user, pk)


def activities_data(user: Any, activities: list[Activity]) -> Any:
    """The activities as the API shows them to ``user`` (what they may manage, their sign-ups)."""
    return VolunteeringActivitySerializer(
        activities,
        many=True,
        context={
            "manage": lambda a: can(user, "volunteering.manage", a),
            "mine": selectors.active_signups_by_activity(user, activities),
        },
    ).data


def activity_response(user: Any, activity: Activity, *, status_code: int = status.HTTP_200_OK) -> Response:
    activity = activity_for(user, activity.pk)
    data = VolunteeringActivitySerializer(
        activity,
        context={
            "manage": lambda a: can(user, "volunteering.manage", a),
            "mine": selectors.active_signups_by_activity(user, [activity]),
        },
    ).data
    response = Response(data, status=status_code)
    response["ETag"] = etag_for(activity)
    return response


def skills_of(codes: list[str]) -> list[Skill]:
    skills = selectors.skills_by_code(codes)
    if skills is None:
        raise serializers.ValidationError({"skills": [_("Unknown skill.")]})
    return skills


def profile_response(profile: VolunteerProfile, *, status_code: int = status.HTTP_200_OK) -> Response:
    profile = selectors.profile_with_skills(profile.pk)
    response = Response(VolunteeringProfileSerializer(profile).data, status=status_code)
    response["ETag"] = etag_for(profile)
    return response
