"""Serializers of the appeals API: strict input for each step of the workflow, and output that
shows each caller only what their part in the appeal allows (see ``api.Viewer``)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shuren.api.serializers import PhoneNumberField, StrictSerializer

from ..models import Channel, Level, PhotoStage, Status, summary_of
from ..services import STAFF_CHANNELS

VERSION_HELP = "The version you read (or send If-Match with the ETag instead)."

# --- input ----------------------------------------------------------------------------------------

PLACE_FIELDS = ("dwelling", "building", "estate", "area")


class SubmitSerializer(StrictSerializer):
    category = serializers.CharField(max_length=40, help_text="Category code (a leaf of the category tree).")
    description = serializers.CharField(max_length=4000, trim_whitespace=True)
    dwelling = serializers.IntegerField(required=False, min_value=1)
    building = serializers.IntegerField(required=False, min_value=1)
    estate = serializers.IntegerField(required=False, min_value=1)
    area = serializers.IntegerField(required=False, min_value=1, help_text="A community or a grid.")
    latitude = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    longitude = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)
    address = serializers.CharField(required=False, allow_blank=True, max_length=200)
    is_anonymous = serializers.BooleanField(required=False, default=False)
    channel = serializers.ChoiceField(
        choices=sorted(STAFF_CHANNELS),
        required=False,
        help_text="Staff only: the channel the appeal came in on, when recording it for someone else.",
    )
    reporter_name = serializers.CharField(required=False, allow_blank=True, max_length=50)
    reporter_phone = PhoneNumberField(required=False, allow_blank=True, max_length=20)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        places = [name for name in PLACE_FIELDS if attrs.get(name) is not None]
        if not places:
            raise serializers.ValidationError(
                {"area": [_("Say where the problem is: a dwelling, a building, an estate or an area.")]}
            )
        if len(places) > 1:
            raise serializers.ValidationError({name: [_("Give only one place.")] for name in places[1:]})
        if "channel" not in attrs:
            for name in ("reporter_name", "reporter_phone"):
                if attrs.get(name):
                    raise serializers.ValidationError(
                        {name: [_("Only when recording an appeal for someone else (give the channel).")]}
                    )
        for name in ("latitude", "longitude"):
            if attrs.get(name) is not None:
                attrs[name] = Decimal(str(attrs[name])).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
        return attrs


class PhotoUploadSerializer(serializers.Serializer):
    photos = serializers.ListField(
        child=serializers.FileField(), min_length=1, help_text="One or more photos (JPEG, PNG or WebP)."
    )
    stage = serializers.ChoiceField(choices=PhotoStage.choices, required=False, default=PhotoStage.REPORT)


class ActionSerializer(StrictSerializer):
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)


class NoteOptionalSerializer(ActionSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class ReasonSerializer(ActionSerializer):
    reason = serializers.CharField(max_length=4000, allow_blank=True)


class DispatchSerializer(ActionSerializer):
    organization = serializers.IntegerField(min_value=1, help_text="The handling organisation.")
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=1000,
        default="",
        help_text="Required when choosing another organisation than the suggested one.",
    )
    share_contact = serializers.BooleanField(
        required=False, default=False, help_text="Let the handler see the reporter's name and phone."
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class ProgressSerializer(ActionSerializer):
    note = serializers.CharField(max_length=4000, allow_blank=True)
    public = serializers.BooleanField(required=False, default=True, help_text="Shown to the reporter.")


class ResolveSerializer(ActionSerializer):
    resolution = serializers.CharField(max_length=4000, allow_blank=True, help_text="The reply to the reporter.")


class FeedbackSerializer(ActionSerializer):
    is_solved = serializers.BooleanField()
    satisfaction = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")
    reopen = serializers.BooleanField(
        required=False, default=False, help_text="Reopen instead of closing (once, within the reopen window)."
    )


class SuperviseSerializer(ActionSerializer):
    on = serializers.BooleanField(help_text="Put under supervision (true) or lift it (false).")
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class MergeSerializer(ActionSerializer):
    into = serializers.IntegerField(min_value=1, help_text="The appeal this one repeats.")


class NoteSerializer(ActionSerializer):
    note = serializers.CharField(max_length=4000, allow_blank=True)


class PublishSerializer(ActionSerializer):
    published = serializers.BooleanField()
    summary = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=1000,
        default="",
        help_text="What the public board shows (redacted again when saved).",
    )
    reply = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=4000,
        default=None,
        help_text="The handler's reply as the public reads it (redacted again when saved); "
        "omitted: the redacted reply proposed by the review.",
    )


STATUS_FILTERS = [*Status.values, "open", "finished"]


class AppealFilterSerializer(serializers.Serializer):
    """The list's query parameters."""

    status = serializers.ChoiceField(choices=STATUS_FILTERS, required=False)
    category = serializers.CharField(required=False, max_length=40)
    estate = serializers.IntegerField(required=False, min_value=1)
    building = serializers.IntegerField(required=False, min_value=1)
    organization = serializers.IntegerField(required=False, min_value=1)
    due = serializers.ChoiceField(choices=["soon", "overdue"], required=False)
    supervised = serializers.BooleanField(required=False, allow_null=True, default=None)
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    q = serializers.CharField(required=False, max_length=100)
    submitted_after = serializers.DateField(required=False)
    submitted_before = serializers.DateField(required=False)
    mine = serializers.BooleanField(required=False, default=False)


class KpiQuerySerializer(serializers.Serializer):
    group = serializers.ChoiceField(choices=["organization", "area", "estate", "category"], required=False)
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("start") and attrs.get("end") and attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": [_("The end lies before the start.")]})
        return attrs


# --- output ---------------------------------------------------------------------------------------


class CategorySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    parent = serializers.CharField(  # type: ignore[assignment]  # the API names the field "parent"
        source="parent.code", allow_null=True, default=None
    )
    description = serializers.CharField()
    response_hours = serializers.IntegerField(help_text="Working hours from dispatch to taking up.")
    resolution_hours = serializers.IntegerField(help_text="Working hours from submission to resolution.")
    is_active = serializers.BooleanField()


class CategoryRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()


class NamedRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class OrganizationRefSerializer(NamedRefSerializer):
    kind = serializers.CharField()


class BuildingRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()


class DwellingRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField(source="__str__")  # type: ignore[assignment]  # the API names the field "label"


class AppealRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()


class ReporterSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField(help_text="Masked for staff; in full for a handler the contact was shared with.")


class AppealListItemSerializer(serializers.Serializer):
    """One row of a list: no personal data (the summary is the start of the description)."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    url = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    category = CategoryRefSerializer()
    summary = serializers.CharField()
    channel = serializers.CharField(help_text="How it came in: " + ", ".join(Channel.values) + ".")
    channel_label = serializers.CharField(source="get_channel_display")
    level = serializers.SerializerMethodField(help_text="Who is answerable (null for reporters).")
    is_supervised = serializers.SerializerMethodField(help_text="Under supervision, 督办 (null for reporters).")
    area = NamedRefSerializer()
    estate = NamedRefSerializer(allow_null=True)
    building = BuildingRefSerializer(allow_null=True)
    organization = OrganizationRefSerializer(allow_null=True)
    submitted_at = serializers.DateTimeField()
    response_due_at = serializers.DateTimeField(allow_null=True)
    resolution_due_at = serializers.DateTimeField(allow_null=True)
    deadline_state = serializers.SerializerMethodField()
    version = serializers.IntegerField()

    def get_url(self, appeal: Any) -> str:
        return reverse("api:appeal-detail", kwargs={"pk": appeal.pk})

    def shows_internal(self, appeal: Any) -> bool:
        """Internal flags (level, supervision) are for staff and handlers, not for reporters."""
        check = self.context.get("shows_internal")
        return True if check is None else bool(check(appeal))

    @extend_schema_field(serializers.ChoiceField(choices=Level.choices, allow_null=True))
    def get_level(self, appeal: Any) -> str | None:
        return appeal.level if self.shows_internal(appeal) else None

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_is_supervised(self, appeal: Any) -> bool | None:
        return appeal.is_supervised if self.shows_internal(appeal) else None

    @extend_schema_field(
        serializers.ChoiceField(
            choices=["overdue", "due_soon"],
            allow_null=True,
            help_text="Whether the next deadline has passed or is near (null: neither, or not open).",
        )
    )
    def get_deadline_state(self, appeal: Any) -> str | None:
        clock = self.context.get("clock")
        return clock.state_of(appeal) if clock is not None else None


class AppealLinksSerializer(serializers.Serializer):
    self = serializers.CharField(help_text="The appeal as the caller may see it, with its actions.")
    events = serializers.CharField(help_text="Its timeline.")
    photos = serializers.CharField(help_text="Its photos (POST here to add some).")


class AppealCreatedSerializer(AppealListItemSerializer):
    """The appeal just filed, as its reporter sees it: the fields it was filed with, its number, status
    and deadlines, and where to read the rest (``links``). Built from what the submission wrote, with
    no further reading: the timeline and photos are at their own addresses."""

    description = serializers.CharField()
    address = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True, coerce_to_string=False)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True, coerce_to_string=False)
    is_anonymous = serializers.BooleanField()
    links = serializers.SerializerMethodField()

    @extend_schema_field(AppealLinksSerializer)
    def get_links(self, appeal: Any) -> dict[str, str]:
        own = self.get_url(appeal)
        return {"self": own, "events": f"{own}events/", "photos": f"{own}photos/"}


_DATETIME = serializers.DateTimeField()  # DRF's own formatting of a moment (site time zone, ISO 8601)


def _moment(value: Any) -> str | None:
    return None if value is None else _DATETIME.to_representation(value)


def list_items(rows: list[dict[str, Any]], *, clock: Any) -> list[dict[str, Any]]:
    """``AppealListItemSerializer``'s output for list rows read as values (selectors.list_rows_of),
    as staff and handlers see them (internal flags shown), without DRF's per-field machinery: a list
    page of 50 is built in a fraction of the time. The tests hold the two equal."""
    statuses, channels = dict(Status.choices), dict(Channel.choices)
    url = reverse("api:appeal-list")
    items = []
    for row in rows:
        status, pk = row["status"], row["id"]
        items.append(
            {
                "id": pk,
                "reference": row["reference"],
                "url": f"{url}{pk}/",
                "status": status,
                "status_label": str(statuses.get(status, status)),
                "category": {
                    "code": row["category__code"],
                    "name": row["category__name"],
                    "name_en": row["category__name_en"],
                },
                "summary": summary_of(row["description"]),
                "channel": row["channel"],
                "channel_label": str(channels.get(row["channel"], row["channel"])),
                "level": row["level"],
                "is_supervised": row["is_supervised"],
                "area": {"id": row["area_id"], "name": row["area__name"]},
                "estate": None if row["estate_id"] is None else {"id": row["estate_id"], "name": row["estate__name"]},
                "building": None
                if row["building_id"] is None
                else {"id": row["building_id"], "number": row["building__number"]},
                "organization": None
                if row["organization_id"] is None
                else {
                    "id": row["organization_id"],
                    "name": row["organization__name"],
                    "kind": row["organization__kind"],
                },
                "submitted_at": _moment(row["submitted_at"]),
                "response_due_at": _moment(row["response_due_at"]),
                "resolution_due_at": _moment(row["resolution_due_at"]),
                "deadline_state": clock.state(status, row["resolution_due_at"], row["response_due_at"]),
                "version": row["version"],
            }
        )
    return items


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    at = serializers.DateTimeField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor = serializers.SerializerMethodField(
        help_text='Who acted ("Reporter" for the reporter; hidden from reporters).'
    )
    organization = NamedRefSerializer(allow_null=True)
    note = serializers.CharField()
    is_public = serializers.BooleanField(help_text="Shown to the reporter.")
    detail = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_actor(self, event: Any) -> str | None:
        viewer = self.context["viewer"]
        if event.actor_id is None:
            return None
        if event.actor_id == viewer.appeal.reporter_id:
            return str(_("Reporter"))
        if viewer.is_reporter_view:
            return None
        return event.actor.full_name or event.actor.username

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_detail(self, event: Any) -> dict[str, Any]:
        return {} if self.context["viewer"].is_reporter_view else event.detail


class PhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    stage = serializers.ChoiceField(choices=PhotoStage.choices)
    url = serializers.SerializerMethodField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    uploaded_at = serializers.DateTimeField()

    def get_url(self, photo: Any) -> str:
        return reverse("api:appeal-photo", kwargs={"pk": photo.appeal_id, "photo_pk": photo.pk})


class SimilarAppealSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    summary = serializers.CharField()
    status = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    similarity = serializers.FloatField(help_text="Share of words in common, 0-1.")


class AppealDetailSerializer(AppealListItemSerializer):
    """An appeal as the caller may see it. Fields a reporter does not see (internal flags) are null
    for them; `reporter` and `dwelling` are null for handlers unless the contact was shared, and
    `reporter` is null for everyone when the appeal is anonymous; `suggested_organization` and
    `similar` are for dispatchers; `actions` are the workflow actions the caller may take now."""

    description = serializers.CharField()
    address = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True, coerce_to_string=False)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True, coerce_to_string=False)
    dwelling = serializers.SerializerMethodField()
    is_anonymous = serializers.BooleanField()
    contact_shared = serializers.BooleanField()
    reporter = serializers.SerializerMethodField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    dispatched_at = serializers.DateTimeField(allow_null=True)
    responded_at = serializers.DateTimeField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    handling_hours = serializers.FloatField(allow_null=True, help_text="Working hours to resolution.")
    responded_on_time = serializers.BooleanField(allow_null=True)
    resolved_on_time = serializers.BooleanField(allow_null=True)
    resolution = serializers.CharField()
    is_solved = serializers.BooleanField(allow_null=True)
    satisfaction = serializers.IntegerField(allow_null=True)
    feedback_comment = serializers.CharField()
    feedback_at = serializers.DateTimeField(allow_null=True)
    reopen_count = serializers.IntegerField()
    duplicate_of = AppealRefSerializer(allow_null=True)
    is_published = serializers.BooleanField()
    publication = serializers.CharField(help_text="'', pending, published, declined or minimal.")
    public_summary = serializers.CharField()
    public_reply = serializers.CharField()
    actions = serializers.SerializerMethodField()
    suggested_organization = serializers.SerializerMethodField()
    similar = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()

    @property
    def viewer(self) -> Any:
        return self.context["viewer"]

    def shows_internal(self, appeal: Any) -> bool:
        return not self.viewer.is_reporter_view

    @extend_schema_field(DwellingRefSerializer(allow_null=True))
    def get_dwelling(self, appeal: Any) -> dict[str, Any] | None:
        if appeal.dwelling_id is None or not self.viewer.sees_dwelling:
            return None
        return {"id": appeal.dwelling_id, "label": str(appeal.dwelling)}

    @extend_schema_field(ReporterSerializer(allow_null=True))
    def get_reporter(self, appeal: Any) -> dict[str, str] | None:
        return self.viewer.reporter()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, appeal: Any) -> list[str]:
        return self.viewer.actions

    @extend_schema_field(OrganizationRefSerializer(allow_null=True))
    def get_suggested_organization(self, appeal: Any) -> dict[str, Any] | None:
        organization = self.viewer.suggested_organization()
        if organization is None:
            return None
        return {"id": organization.pk, "name": organization.name, "kind": organization.kind}

    @extend_schema_field(SimilarAppealSerializer(many=True))
    def get_similar(self, appeal: Any) -> list[dict[str, Any]]:
        return [
            {
                "id": other.pk,
                "reference": other.reference,
                "summary": other.summary,
                "status": other.status,
                "submitted_at": other.submitted_at,
                "similarity": score,
            }
            for other, score in self.viewer.similar()
        ]

    @extend_schema_field(EventSerializer(many=True))
    def get_timeline(self, appeal: Any) -> Any:
        return EventSerializer(self.viewer.events(), many=True, context=self.context).data

    @extend_schema_field(PhotoSerializer(many=True))
    def get_photos(self, appeal: Any) -> Any:
        return PhotoSerializer(appeal.photos.all(), many=True).data


class KpiSerializer(serializers.Serializer):
    counted = serializers.IntegerField(help_text="Appeals submitted in the period, not rejected or merged.")
    response_due = serializers.IntegerField()
    responded_on_time = serializers.IntegerField()
    rated = serializers.IntegerField()
    solved = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    resolved = serializers.IntegerField()
    resolved_on_time = serializers.IntegerField()
    average_handling_hours = serializers.FloatField(allow_null=True)
    overdue = serializers.IntegerField()
    repeats = serializers.IntegerField()
    response_rate = serializers.FloatField(
        allow_null=True, help_text="Response rate (响应率), 0-1; null when nothing counts."
    )
    resolution_rate = serializers.FloatField(
        allow_null=True, help_text="Resolution rate (解决率), 0-1; null when nothing counts."
    )
    satisfaction_rate = serializers.FloatField(
        allow_null=True, help_text="Satisfaction rate (满意率), 0-1; null when nothing counts."
    )
    on_time_resolution_rate = serializers.FloatField(allow_null=True)


class KpiGroupSerializer(KpiSerializer):
    id = serializers.IntegerField(allow_null=True, help_text="The organisation, area, estate or category.")
    name = serializers.CharField()
    code = serializers.CharField(allow_null=True, help_text="The category code (category groups only).")


class KpiReportSerializer(serializers.Serializer):
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)
    group = serializers.CharField(allow_null=True)
    total = KpiSerializer()
    groups = KpiGroupSerializer(many=True)


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    message = serializers.CharField()
    appeal = AppealRefSerializer()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)
