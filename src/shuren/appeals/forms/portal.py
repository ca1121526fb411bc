"""Forms of the resident portal: reporting an appeal (for oneself, or on a building leader's or grid
worker's round for someone else) and rating the outcome. The places and categories offered come
from ``selectors``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shuren.core.forms import PhoneField, PhotosField
from shuren.core.masking import display_name
from shuren.core.photos import clean_photo
from shuren.people.models import Person
from shuren.places.models import Building, Dwelling, Estate

from ..models import Category, category_label
from ..selectors import ReportingPlaces, current_home, leaf_categories
from ..services import AppealLocation


@dataclass
class CategoryGroup:
    """One tappable group of the category picker: a parent and its leaves (or a lone leaf)."""

    name: str
    leaves: list[Category]
    is_single: bool = False

    @property
    def values(self) -> list[str]:
        return [str(leaf.pk) for leaf in self.leaves]


def category_groups(leaves: Sequence[Category]) -> list[CategoryGroup]:
    groups: dict[int, CategoryGroup] = {}
    order: list[tuple[int, int]] = []
    for leaf in sorted(leaves, key=lambda c: (c.parent.sort_order if c.parent else c.sort_order, c.sort_order)):
        top = leaf.parent or leaf
        if top.pk not in groups:
            groups[top.pk] = CategoryGroup(category_label(top), [], is_single=leaf.parent is None)
            order.append((top.sort_order, top.pk))
        leaf.label = category_label(leaf)  # type: ignore[attr-defined]
        groups[top.pk].leaves.append(leaf)
    return [groups[pk] for _order, pk in sorted(order)]


# --- widgets and fields --------------------------------------------------------------------------


class HomeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Dwelling) -> str:
        return obj.address


class BuildingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Building) -> str:
        return f"{obj.estate.name} {obj.number}"


class ResidentChoiceField(forms.ModelChoiceField):
    """A resident of the collector's buildings, named as the collector may see the name."""

    def __init__(self, *args: Any, full_names: bool = False, **kwargs: Any) -> None:
        self.full_names = full_names
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Person) -> str:
        return resident_label(obj, full=self.full_names)


def resident_label(person: Person, *, full: bool) -> str:
    name = display_name(person.name, full=full)
    home = getattr(person, "home_label", "")
    return f"{name} · {home}" if home else name


WHERE_LABELS = {
    "home": _("My home"),
    "building": _("A building of my estate"),
    "estate": _("The estate's common areas (garden, gate, car park …)"),
    "point": _("Use my location"),
}
COLLECTOR_WHERE_LABELS = {
    **WHERE_LABELS,
    "resident_home": _("The resident's home"),
    "building": _("One of my buildings"),
}


class ReportForm(forms.Form):
    """A resident reports a problem: what (category, words, photos) and where."""

    category: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("What is the problem?"),
        queryset=Category.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the problem is about.")},
    )
    description = forms.CharField(
        label=_("Describe the problem"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 4000}),
        help_text=_("What, where exactly, since when. Please leave out other people's names and phone numbers."),
    )
    photos = PhotosField(label=_("Photos"), capture=True)
    where = forms.ChoiceField(
        label=_("Where is it?"),
        widget=forms.RadioSelect(attrs={"class": "form-check-input", "data-where": ""}),
        choices=(),
        error_messages={"required": _("Say where the problem is.")},
    )
    home = HomeChoiceField(label=_("Which home"), queryset=Dwelling.objects.none(), required=False)
    building = BuildingChoiceField(label=_("Building"), queryset=Building.objects.none(), required=False)
    estate = forms.ModelChoiceField(label=_("Estate"), queryset=Estate.objects.none(), required=False)
    latitude = forms.DecimalField(
        max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False, widget=forms.HiddenInput
    )
    address = forms.CharField(
        label=_("Exact spot (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example: by the east gate, next to the bins."),
    )
    is_anonymous = forms.BooleanField(
        label=_("Report anonymously (nobody handling it will see who reported)"), required=False
    )

    where_kinds = ("home", "building", "estate", "point")
    where_labels = WHERE_LABELS

    def __init__(self, *args: Any, places: ReportingPlaces, allow_anonymous: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = places
        self.allow_anonymous = allow_anonymous
        self.max_photos = int(settings.SHUREN_APPEAL_MAX_PHOTOS)
        leaves = list(leaf_categories())
        cast("forms.ModelChoiceField[Any]", self.fields["category"]).queryset = leaf_categories()
        self.category_groups = category_groups(leaves)
        self.fields["photos"].help_text = _("Up to %(count)d photos, taken now or chosen from the phone.") % {
            "count": self.max_photos
        }
        self.fields["photos"].widget.attrs["data-max-photos"] = self.max_photos
        for name in ("home", "building", "estate"):
            self.fields[name].widget.attrs["data-where-for"] = name
        cast("forms.ModelChoiceField[Any]", self.fields["home"]).queryset = places.home_choices()
        cast("forms.ModelChoiceField[Any]", self.fields["building"]).queryset = places.buildings
        cast("forms.ModelChoiceField[Any]", self.fields["estate"]).queryset = places.estates
        cast(forms.ChoiceField, self.fields["where"]).choices = [
            (kind, self.where_labels[kind]) for kind in self.available_where()
        ]
        if places.homes and not self.is_bound:
            self.initial.setdefault("where", self.where_kinds[0])
        if len(places.homes) == 1:
            self.initial.setdefault("home", places.homes[0].pk)
        estates = list(places.estates[:2])
        self.single_estate = estates[0] if len(estates) == 1 else None
        if self.single_estate is not None:
            self.initial.setdefault("estate", self.single_estate.pk)
        if not allow_anonymous:
            del self.fields["is_anonymous"]

    def available_where(self) -> list[str]:
        kinds = []
        for kind in self.where_kinds:
            if kind == "home" and not self.places.homes:
                continue
            if kind == "building" and not self.places.buildings.exists():
                continue
            if kind == "estate" and not self.places.estates.exists():
                continue
            kinds.append(kind)
        return kinds

    def clean_photos(self) -> list[Any]:
        photos = self.cleaned_data.get("photos") or []
        if len(photos) > self.max_photos:
            raise forms.ValidationError(_("At most %(count)d photos.") % {"count": self.max_photos})
        problems: list[str] = []
        cleaned = []
        for photo in photos:
            try:
                data, _width, _height = clean_photo(photo)
            except ValidationError as exc:
                problems.extend(exc.messages)
            else:
                # Hand on the re-encoded photo (EXIF-free, at most 2048 px): the service checks it
                # again, and a phone's 12-megapixel original is decoded only once.
                cleaned.append(SimpleUploadedFile(photo.name, data, content_type="image/jpeg"))
        if problems:
            raise forms.ValidationError(problems)
        return cleaned

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        if not self.allow_anonymous and self.data.get("is_anonymous") not in (None, "", "false", "0"):
            self.add_error(None, _("This community does not accept anonymous appeals."))
        where = data.get("where")
        if where == "home" and not data.get("home"):
            if len(self.places.homes) == 1:
                data["home"] = self.places.homes[0]
            else:
                self.add_error("home", _("Choose which home."))
        if where == "building" and not data.get("building"):
            self.add_error("building", _("Choose the building."))
        if where == "estate" and not data.get("estate"):
            if self.single_estate is not None:
                data["estate"] = self.single_estate
            else:
                self.add_error("estate", _("Choose the estate."))
        if where == "point" and (data.get("latitude") is None or data.get("longitude") is None):
            self.add_error(
                "where",
                _("Your location was not received. Allow the browser to use it, or choose a place from the list."),
            )
        return data

    def location(self) -> AppealLocation:
        """The place chosen, as the service wants it (call after is_valid)."""
        data = self.cleaned_data
        where = data["where"]
        if where == "home":
            return AppealLocation(dwelling=data["home"])
        if where == "building":
            return AppealLocation(building=data["building"])
        if where == "estate":
            return AppealLocation(estate=data["estate"])
        estate = data.get("estate")
        if estate is None and self.places.homes:
            estate = self.places.homes[0].unit.building.estate
        if estate is not None:
            return AppealLocation(estate=estate)
        return AppealLocation(area=self.places.area)

    def point(self) -> tuple[Decimal | None, Decimal | None]:
        data = self.cleaned_data
        return data.get("latitude"), data.get("longitude")


class CollectForm(ReportForm):
    """A building leader or grid worker records an appeal for a resident on their round."""

    channel = forms.ChoiceField(label=_("Collected on"), choices=())
    resident = ResidentChoiceField(
        label=_("On behalf of a resident of my buildings (optional)"), queryset=Person.objects.none(), required=False
    )
    reporter_name = forms.CharField(label=_("Or the reporter's name (optional)"), max_length=50, required=False)
    reporter_phone = PhoneField(label=_("The reporter's mobile number (optional)"), required=False)

    where_kinds = ("resident_home", "building", "estate", "point")
    where_labels = COLLECTOR_WHERE_LABELS

    def __init__(
        self,
        *args: Any,
        channels: list[tuple[str, Any]],
        residents: QuerySet[Person],
        full_names: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, allow_anonymous=False, **kwargs)
        cast(forms.ChoiceField, self.fields["channel"]).choices = channels
        if len(channels) == 1:
            self.fields["channel"].initial = channels[0][0]
            self.fields["channel"].widget = forms.HiddenInput()
        resident = cast(ResidentChoiceField, self.fields["resident"])
        resident.queryset = residents
        resident.full_names = full_names
        self.fields["building"].widget.attrs.update(
            {
                "hx-get": reverse("appeals_portal:collect_residents"),
                "hx-target": "#id_resident",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
                "hx-include": "#id_resident",
            }
        )
        self.fields["where"].label = _("Where is the problem?")
        self.fields["building"].label = _("Building")
        self.fields["description"].help_text = _("What the resident told you, or what you saw.")
        self.initial.setdefault("where", "building" if self.places.buildings.exists() else "point")

    def available_where(self) -> list[str]:
        kinds = []
        for kind in self.where_kinds:
            if kind in ("resident_home", "building") and not self.places.buildings.exists():
                continue
            if kind == "estate" and not self.places.estates.exists():
                continue
            kinds.append(kind)
        return kinds

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        if data.get("where") == "resident_home":
            person = data.get("resident")
            home = current_home(person, self.places.buildings) if person is not None else None
            if home is None:
                self.add_error("resident", _("Choose the resident whose home it is."))
            data["home"] = home
        return data

    def location(self) -> AppealLocation:
        data = self.cleaned_data
        if data["where"] == "resident_home":
            return AppealLocation(dwelling=data["home"])
        if data["where"] == "point":
            estate = data.get("estate")
            return AppealLocation(estate=estate) if estate is not None else AppealLocation(area=self.places.area)
        return super().location()

    def reporter(self) -> dict[str, Any]:
        """Who the appeal is for: a picked resident, or a name and phone, or nobody."""
        data = self.cleaned_data
        person = data.get("resident")
        name = data.get("reporter_name", "").strip()
        phone = data.get("reporter_phone", "").strip()
        if person is not None:
            name = name or person.name
            phone = phone or person.phone
        return {"reporter_person": person, "reporter_name": name, "reporter_phone": phone}


class FeedbackForm(forms.Form):
    """The reporter rates the outcome; or, dissatisfied, reopens the appeal (once)."""

    is_solved = forms.TypedChoiceField(
        label=_("Is the problem solved?"),
        choices=[("yes", _("Yes, solved")), ("no", _("No, not solved"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Say whether the problem is solved.")},
    )
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you?"),
        choices=[
            (1, _("1 star: very dissatisfied")),
            (2, _("2 stars: dissatisfied")),
            (3, _("3 stars: acceptable")),
            (4, _("4 stars: satisfied")),
            (5, _("5 stars: very satisfied")),
        ],
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "star-input"}),
        error_messages={"required": _("Choose from 1 to 5 stars.")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    # Set by the button pressed: "close" (send the rating) or "reopen" (not solved: look again).
    decision = forms.ChoiceField(choices=[("close", "close"), ("reopen", "reopen")], required=False)

    def clean_decision(self) -> str:
        return self.cleaned_data.get("decision") or "close"


SATISFACTION_LABELS = dict(FeedbackForm.base_fields["satisfaction"].choices)  # type: ignore[attr-defined]
