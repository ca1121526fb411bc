"""What the meetings API views share: permissions by method, the base view mapping the services'
validation errors to problems, and looking up referenced objects."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.request import Request

from shuren.accounts.acting import acting_user
from shuren.api.base import ServiceAPIView
from shuren.api.permissions import ActionByMethod
from shuren.core.errors import OutOfScope

from ..models import Meeting
from ..selectors import openable_meeting

VIEW_OR_MANAGE = ActionByMethod({"GET": "meetings.view", "POST": "meetings.manage"})
MANAGE = ActionByMethod({"GET": "meetings.manage", "POST": "meetings.manage"})

# --- views ----------------------------------------------------------------------------------------


class MeetingAPIView(ServiceAPIView):
    """Maps the services' Django ValidationErrors to 400 problems naming the fields."""

    def body(self, request: Request, serializer: type[serializers.Serializer]) -> dict[str, Any]:
        data = serializer(data=request.data)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    def managed(self, request: Request, pk: int) -> Meeting:
        return openable_meeting(acting_user(request), pk)


def _pick(model: Any, pk: Any, queryset: Any = None) -> Any:
    if pk is None:
        return None
    obj = (queryset if queryset is not None else model.objects).filter(pk=pk).first()
    if obj is None:
        raise DjangoValidationError({model._meta.model_name: [_("No such object.")]})
    return obj


def _within(queryset: Any, pk: Any) -> Any:
    """The row ``pk`` among ``queryset`` (what the caller may name); 404 when absent or elsewhere."""
    if pk is None:
        return None
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise OutOfScope()
    return obj


def _missing(field: str) -> Any:
    raise DjangoValidationError({field: [_("This field is required.")]})
