"""What the lists' API views share: the base view and the answers carrying an ETag."""

from __future__ import annotations

from rest_framework import status
from rest_framework.response import Response

from shuren.accounts.models import User
from shuren.api.base import ServiceAPIView
from shuren.core.concurrency import etag_for

from .. import selectors
from ..models import Resource
from .serializers import NeedDetailSerializer, ResourceSerializer


class ListsAPIView(ServiceAPIView):
    """Service ValidationErrors become 400 problems naming the request's fields."""


def need_response(user: User, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
    """The need as the caller may see it (404 outside their areas), with its ETag."""
    need = selectors.staff_need(user, pk)
    response = Response(NeedDetailSerializer(need).data, status=status_code)
    response["ETag"] = etag_for(need)
    return response


def resource_response(resource: Resource, *, status_code: int = status.HTTP_200_OK) -> Response:
    response = Response(ResourceSerializer(resource).data, status=status_code)
    response["ETag"] = etag_for(resource)
    return response
