"""Conventions API: the list, one convention with its versions and the diff."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shuren.accounts.acting import acting_user
from shuren.api.openapi import problems
from shuren.api.pagination import PageNumberPagination, paginated
from shuren.api.permissions import AnyActionByMethod

from ..selectors import listed_conventions, openable_convention, public_versions
from .serializers import ConventionDetailSerializer, ConventionSerializer

READERS = AnyActionByMethod({"GET": ("conventions.view", "conventions.comment")})


class ConventionListView(APIView):
    permission_classes = [READERS]

    @extend_schema(
        operation_id="conventions_list", responses={200: paginated(ConventionSerializer), **problems(401, 403)}
    )
    def get(self, request: Request) -> Response:
        conventions = listed_conventions(acting_user(request))
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(conventions.order_by("title", "pk"), request, view=self)
        return paginator.get_paginated_response(ConventionSerializer(page, many=True).data)


class ConventionDetailView(APIView):
    permission_classes = [READERS]

    @extend_schema(
        operation_id="conventions_retrieve", responses={200: ConventionDetailSerializer, **problems(401, 404)}
    )
    def get(self, request: Request, pk: int) -> Response:
        convention, staff = openable_convention(acting_user(request), pk)
        versions = list(public_versions(convention, staff=staff))
        return Response(ConventionDetailSerializer(convention, context={"versions": versions}).data)
