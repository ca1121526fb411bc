"""The base of API views that call services: the services raise Django ValidationErrors, which
become 400 problems naming the request's fields (see api.errors for the problem+json body)."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView


class ServiceAPIView(APIView):
    # Service field name -> request field name, where they differ.
    field_names: dict[str, str] = {}

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, DjangoValidationError):
            if hasattr(exc, "error_dict"):
                names = {NON_FIELD_ERRORS: "non_field_errors", **self.field_names}
                errors = {names.get(k, k): v for k, v in exc.message_dict.items()}
            else:
                errors = {"non_field_errors": exc.messages}
            exc = serializers.ValidationError(errors)
        return super().handle_exception(exc)
