"""Organisations of the community: party branches built in the estates, member units of the "big
party committee", owners' committees, property managers, departments, volunteer teams, clubs, and
the party-and-people service stations (一小区一站点)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuren.core.models import ScopedModel, TimeStampedModel
from shuren.people.models import Person
from shuren.places.models import Area, Estate


class OrganizationKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("Community party committee (社区党委)")
    PARTY_GENERAL_BRANCH = "party_general_branch", _("Party general branch (党总支)")
    PARTY_BRANCH = "party_branch", _("Party branch (党支部)")
    MEMBER_UNIT = "member_unit", _("Member unit of the big party committee (共建单位)")
    RESIDENTS_COMMITTEE = "residents_committee", _("Residents' committee (居委会)")
    OWNERS_COMMITTEE = "owners_committee", _("Owners' committee (业委会)")
    PROPERTY_MANAGER = "property_manager", _("Property-management company (物业公司)")
    DEPARTMENT = "department", _("Government department (职能部门)")
    NEIGHBOURS_ASSOCIATION = "neighbours_association", _("Neighbours' association (街坊会)")
    VOLUNTEER_TEAM = "volunteer_team", _("Volunteer team (志愿服务队)")
    CLUB = "club", _("Club (社团)")
    SELF_GOVERNING_GROUP = "self_governing_group", _("Self-governing group (自治小组)")
    LECTURER_PANEL = "lecturer_panel", _("Lecturer panel (讲师团)")


PARTY_KINDS = {OrganizationKind.PARTY_COMMITTEE, OrganizationKind.PARTY_GENERAL_BRANCH, OrganizationKind.PARTY_BRANCH}


class Organization(TimeStampedModel, ScopedModel):
    kind = models.CharField(_("kind"), max_length=24, choices=OrganizationKind.choices)
    name = models.CharField(_("name"), max_length=100)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="organizations", verbose_name=_("area"))
    estate = models.ForeignKey(
        Estate,
        on_delete=models.PROTECT,
        related_name="organizations",
        null=True,
        blank=True,
        verbose_name=_("estate"),
        help_text=_("For a branch built in an estate, an owners' committee or a property manager's site."),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    pledged_resources = models.TextField(_("pledged resources"), blank=True, max_length=2000)
    is_red = models.BooleanField(_("led by party members (红色)"), default=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["scope", "kind", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.estate_id and self.area_id and self.estate.community_id != self.area_id:
            raise ValidationError({"estate": _("The estate must lie in the organisation's community.")})

    def save(self, *args: object, **kwargs: object) -> None:
        self.scope = self.area.path
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class MembershipRole(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice chair")
    CAPTAIN = "captain", _("Team captain")
    CONTACT = "contact", _("Contact person")
    MEMBER = "member", _("Member")


class Membership(TimeStampedModel):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person"))
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    from_on = models.DateField(_("from"), null=True, blank=True)
    to_on = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "person"],
                condition=models.Q(to_on__isnull=True),
                name="orgs_membership_one_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.organization}"


class ServiceStation(TimeStampedModel, ScopedModel):
    """A party-and-people service station (党群服务站) in an estate, or a centre for the community."""

    name = models.CharField(_("name"), max_length=100)
    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="stations", verbose_name=_("community"))
    estate = models.ForeignKey(
        Estate, on_delete=models.PROTECT, related_name="stations", null=True, blank=True, verbose_name=_("estate")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("service station")
        verbose_name_plural = _("service stations")
        ordering = ["scope", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.scope = self.community.path
        super().save(*args, **kwargs)  # type: ignore[arg-type]
