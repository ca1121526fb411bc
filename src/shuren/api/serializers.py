"""Serializers shared by the API: strict input (unknown fields are errors) and masked output."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from shuren.core.validators import clean_text, compact_identifier, number_text
from shuren.places.models import Area


def _cleaned_input(field: serializers.Field, value: Any) -> Any:
    """``value`` as the field should validate it: text through ``clean_text`` (unless the field keeps
    white space exactly, as passwords do), numbers with full-width digits as ASCII; lists of text
    item by item."""
    if isinstance(field, serializers.ListField):
        if isinstance(value, list):
            return [_cleaned_input(field.child, item) for item in value]
        return _cleaned_input(field.child, value)
    if not isinstance(value, str):
        return value
    if isinstance(field, serializers.CharField) and field.trim_whitespace:
        multiline = "\n" in value and not (field.max_length and field.max_length <= 200)
        return clean_text(value, multiline=multiline)
    if isinstance(field, (serializers.IntegerField, serializers.DecimalField, serializers.FloatField)):
        return number_text(value)
    return value


class PhoneNumberField(serializers.CharField):
    """A phone number as people type it: full-width digits, spaces and dashes are removed before the
    length is checked (the service validates and normalises the number itself)."""

    def to_internal_value(self, data: Any) -> str:
        return compact_identifier(super().to_internal_value(data))


class StrictSerializer(serializers.Serializer):
    """Rejects fields the endpoint does not know, so typos and mass-assignment attempts fail loudly.
    Cleans what it accepts as every form does (``core.validators.clean_text``): full-width letters
    and digits folded, invisible characters removed, white space collapsed on a single line."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
            if hasattr(data, "getlist"):  # a form-encoded body: each field a list of values
                data = MultiValueDict(
                    {name: [_cleaned_input(self.fields[name], v) for v in data.getlist(name)] for name in data}
                )
            else:
                data = {name: _cleaned_input(self.fields[name], value) for name, value in data.items()}
        return super().to_internal_value(data)


class StrictModelSerializer(StrictSerializer, serializers.ModelSerializer):
    pass


class AreaSerializer(serializers.ModelSerializer):
    # The field "parent" shadows Field.parent (the enclosing serializer) in the stubs; the API names it so.
    parent: serializers.PrimaryKeyRelatedField[Area] = serializers.PrimaryKeyRelatedField(read_only=True)  # type: ignore[assignment]

    class Meta:
        model = Area
        fields = ["id", "kind", "code", "name", "path", "depth", "parent", "population", "households", "version"]
        read_only_fields = fields


class AreaChangeSerializer(StrictModelSerializer):
    version = serializers.IntegerField(required=False, help_text="The version you read (or send If-Match).")

    class Meta:
        model = Area
        fields = ["name", "population", "households", "version"]
        extra_kwargs = {"name": {"required": False}}


class GridCreateSerializer(StrictSerializer):
    parent = serializers.IntegerField(help_text="The community the grid belongs to.")  # type: ignore[assignment]  # shadows Field.parent in the stubs; the API names it so
    code = serializers.RegexField(r"^[0-9A-Za-z]{1,12}$")
    name = serializers.CharField(max_length=80)


class RoleSerializer(serializers.Serializer):
    role = serializers.CharField()
    role_label = serializers.CharField()
    area_path = serializers.CharField(allow_blank=True)
    area_name = serializers.CharField(allow_blank=True)


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    phone_masked = serializers.CharField()
    language = serializers.CharField()
    roles = RoleSerializer(many=True)


class TokenRequestSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150, help_text="Username or mobile number.")
    password = serializers.CharField(max_length=256, trim_whitespace=False)
    otp = serializers.RegexField(r"^\d{6}$", required=False, help_text="TOTP code; required for staff roles.")
    name = serializers.CharField(
        max_length=60, required=False, allow_blank=True, help_text="What the token is for, e.g. the program using it."
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="The key. Shown only in this answer: store it safely.")
    name = serializers.CharField()
    prefix = serializers.CharField(help_text="The key's first characters, as listed on the security page.")
    expires_at = serializers.DateTimeField(help_text="The token stops working at this time at the latest.")
    idle_timeout_seconds = serializers.IntegerField(help_text="The token stops working when unused this long.")
