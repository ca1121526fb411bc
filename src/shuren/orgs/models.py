"""Organisations of the community: party branches built in the estates, member units of the "big
party committee", owners' committees, property managers, departments, volunteer teams, clubs, and
the party-and-people service stations (一小区一站点)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuren.core.models import ScopedModel, TimeStampedModel
from shuren.people.models import PARTY_BRANCH_KINDS, Person
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
    LEAGUE_BRANCH = "league_branch", _("Youth-league branch (团支部)")


# The party kinds are declared in people (a resident's party record names a branch of these kinds).
PARTY_KINDS = {OrganizationKind(kind) for kind in PARTY_BRANCH_KINDS}


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
        if self.estate is not None and self.area_id and self.estate.community_id != self.area_id:
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

    @property
    def team_label(self) -> str:
        """The organisation as a member's profile names it, with any role above plain member: "楼道志愿队（队长）"."""
        if self.role == MembershipRole.MEMBER:
            return str(self.organization)
        return _("%(team)s (%(role)s)") % {"team": self.organization, "role": self.get_role_display()}


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


class PostLevel(models.TextChoices):
    BUILDING = "building", _("Buildings (楼栋)")
    LANE = "lane", _("Lane (巷)")
    STREET = "street", _("Street (街)")
    AREA = "area", _("Grid or community")


class PostKind(models.Model):
    """设岗定责: a post residents take (building leader, lane leader, policy explainer ...) with its
    duties. Kinds are data: a community adds its own "六员" without a code change."""

    BUILDING_LEADER = "building_leader"

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40)
    level = models.CharField(_("covers"), max_length=10, choices=PostLevel.choices)
    duties = models.TextField(_("duties"), max_length=2000, blank=True)
    visit_interval_days = models.PositiveSmallIntegerField(
        _("visit each household at least every (days)"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the post has no household rounds."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("post kind")
        verbose_name_plural = _("post kinds")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class PostAssignmentQuerySet(models.QuerySet["PostAssignment"]):
    def current(self, on: dt.date | None = None) -> PostAssignmentQuerySet:
        """Terms running on ``on`` (today by default). ``to_on`` is the day the term ends: from that
        day on the post is vacant."""
        on = on or timezone.localdate()
        return self.filter(from_on__lte=on).filter(models.Q(to_on__isnull=True) | models.Q(to_on__gt=on))

    def overlapping(self, from_on: dt.date, to_on: dt.date | None) -> PostAssignmentQuerySet:
        """Terms that share at least one day with the term [from_on, to_on)."""
        running = self.filter(models.Q(to_on__isnull=True) | models.Q(to_on__gt=from_on))
        return running if to_on is None else running.filter(from_on__lt=to_on)


class PostAssignment(TimeStampedModel, ScopedModel):
    """A person holding a post over buildings, a lane or a street of an area, for a term."""

    objects = PostAssignmentQuerySet.as_manager()

    kind = models.ForeignKey(PostKind, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("post"))
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="post_assignments", verbose_name=_("person")
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="post_assignments", verbose_name=_("grid or community")
    )
    buildings = models.ManyToManyField(
        "places.Building", related_name="post_assignments", blank=True, verbose_name=_("buildings")
    )
    place_name = models.CharField(
        _("lane or street"), max_length=100, blank=True, help_text=_("For lane and street leaders.")
    )
    from_on = models.DateField(_("from"))
    to_on = models.DateField(_("ends on"), null=True, blank=True, help_text=_("The post is vacant from this day."))
    ended_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("post assignment")
        verbose_name_plural = _("post assignments")
        ordering = ["scope", "kind__position", "from_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to_on__isnull=True) | models.Q(to_on__gte=models.F("from_on")),
                name="orgs_post_assignment_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.person}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.scope = self.area.path
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class PartnershipKind(models.TextChoices):
    CO_BUILDING = "co_building", _("Co-building unit of the big party committee (共建单位)")
    PAIRED = "paired", _("Paired unit (结对单位)")
    RED_PARTNER = "red_partner", _("Red partner (红色合伙人)")
    COMMUNITY_PARTNER = "community_partner", _("Community partner (社区合伙人)")


class Partnership(TimeStampedModel, ScopedModel):
    """A unit (employer, hospital, school, company ...) working with a community: a member of its
    big party committee, a paired unit, a red or community partner; with what it commits to."""

    unit = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="partnerships", verbose_name=_("partner unit")
    )
    community = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="partnerships", verbose_name=_("community")
    )
    counterpart = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="paired_with",
        verbose_name=_("paired with"),
        help_text=_("For paired units: the branch or organisation of the community they pair with."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PartnershipKind.choices)
    commitments = models.TextField(_("commitments"), max_length=2000, blank=True)
    from_on = models.DateField(_("from"))
    to_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["scope", "kind", "-from_on"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.community}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.scope = self.community.path
        super().save(*args, **kwargs)  # type: ignore[arg-type]
