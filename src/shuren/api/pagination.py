from __future__ import annotations

from functools import cached_property
from typing import Any, cast

from django.core.paginator import Paginator
from django.db.models import QuerySet
from drf_spectacular.utils import inline_serializer
from rest_framework import pagination, serializers


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class CappedCountPaginator(Paginator):
    """Counts at most COUNT_LIMIT rows: an exact count of millions of rows costs more than the page
    itself. Narrow the list with filters to reach rows beyond the limit."""

    COUNT_LIMIT = 10_000

    @cached_property
    def count(self) -> int:
        rows = cast("QuerySet[Any]", self.object_list)  # the API paginates querysets only
        return rows[: self.COUNT_LIMIT].count()


class CappedCountPagination(PageNumberPagination):
    """For lists that may grow to millions of rows (appeals, events)."""

    django_paginator_class = CappedCountPaginator


def paginated(serializer_class: type[serializers.Serializer]) -> serializers.Serializer:
    """The schema of one page of ``serializer_class`` as PageNumberPagination answers it, for views
    that paginate by hand (an APIView calling paginate_queryset)."""
    name = serializer_class.__name__.removesuffix("Serializer")
    return inline_serializer(
        f"Paginated{name}List",
        fields={
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer_class(many=True),
        },
    )
