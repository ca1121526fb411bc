from __future__ import annotations

from drf_spectacular.utils import inline_serializer
from rest_framework import pagination, serializers


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


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
