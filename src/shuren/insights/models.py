"""Roll-up tables, the evaluation index and monthly reports.

Dashboards never scan raw events: they read these tables, which ``rollups.refresh`` keeps current
(a task, or ``shuren insights refresh`` from cron) and ``rollups.rebuild`` recomputes from scratch.
Every flow table holds one row per area (at every level of the tree: district, subdistrict,
community, grid) and day, with the figures of everything filed under that area, so a dashboard
sums at most a year of its own rows. Stocks (people, organisations, open appeals ...) are a
snapshot per area, kept for today and for the end of every past month.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuren.places.models import Area

# The figures of each flow table (its columns besides area and day).
APPEAL_FIGURES = (
    "received",
    "counted",
    "response_due",
    "responded_on_time",
    "rated",
    "solved",
    "satisfied",
    "resolved",
    "resolved_on_time",
    "handled",
    "overdue",
    "repeats",
)
WORK_FIGURES = (
    "items_collected",
    "items_done",
    "meetings_held",
    "actions_added",
    "actions_done",
    "ballots_closed",
    "matters_decided",
    "matters_passed",
    "activities_held",
)
SERVICE_FIGURES = ("service_minutes", "service_records")
POINTS_FIGURES = ("points_issued", "points_redeemed", "points_expired")


class DayFigures(models.Model):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.area_id} {self.day}"


class AppealDay(DayFigures):
    """Appeals submitted on ``day`` under ``area`` (the cohort the KPIs count, see appeals.kpis),
    as they stood at the last refresh. ``handling_hours`` is the sum over the ``handled`` ones."""

    received = models.BigIntegerField(default=0)
    counted = models.BigIntegerField(default=0)
    response_due = models.BigIntegerField(default=0)
    responded_on_time = models.BigIntegerField(default=0)
    rated = models.BigIntegerField(default=0)
    solved = models.BigIntegerField(default=0)
    satisfied = models.BigIntegerField(default=0)
    resolved = models.BigIntegerField(default=0)
    resolved_on_time = models.BigIntegerField(default=0)
    handled = models.BigIntegerField(default=0)
    overdue = models.BigIntegerField(default=0)
    repeats = models.BigIntegerField(default=0)
    handling_hours = models.FloatField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "day"], name="insights_appealday_unique")]


class WorkDay(DayFigures):
    """Co-governance work dated ``day``: list items collected that day (and of those, done by
    now), meetings held, action items set (and done by now), ballots closed and their matters,
    volunteer activities held."""

    items_collected = models.BigIntegerField(default=0)
    items_done = models.BigIntegerField(default=0)
    meetings_held = models.BigIntegerField(default=0)
    actions_added = models.BigIntegerField(default=0)
    actions_done = models.BigIntegerField(default=0)
    ballots_closed = models.BigIntegerField(default=0)
    matters_decided = models.BigIntegerField(default=0)
    matters_passed = models.BigIntegerField(default=0)
    activities_held = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "day"], name="insights_workday_unique")]


class ServiceDay(DayFigures):
    """Confirmed volunteer service on ``day`` (corrections included, so minutes are net)."""

    service_minutes = models.BigIntegerField(default=0)
    service_records = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "day"], name="insights_serviceday_unique")]


class PointsDay(DayFigures):
    """Points posted on ``day``: issued (net of reversals), redeemed (net of refunds), expired."""

    points_issued = models.BigIntegerField(default=0)
    points_redeemed = models.BigIntegerField(default=0)
    points_expired = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "day"], name="insights_pointsday_unique")]


class VolunteerMonth(models.Model):
    """Distinct volunteers with confirmed service in ``month`` (its first day) under ``area``:
    a distinct count cannot be summed from days, so it is kept per month."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    active_volunteers = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "month"], name="insights_volunteermonth_unique")]

    def __str__(self) -> str:
        return f"{self.area_id} {self.month:%Y-%m}"


class CategoryMonth(models.Model):
    """Appeals submitted in ``month`` under ``area`` in one category (the hot categories)."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    category = models.ForeignKey("appeals.Category", on_delete=models.CASCADE, related_name="+")
    received = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "month", "category"], name="insights_categorymonth_unique")
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.month:%Y-%m} {self.category_id}"


class PlaceMonth(models.Model):
    """Appeals submitted in ``month`` about one building (or an estate as a whole: no building),
    filed under ``scope`` (the building's grid or the estate's community): the hot places."""

    scope = models.CharField(max_length=255)
    month = models.DateField()
    estate = models.ForeignKey("places.Estate", on_delete=models.CASCADE, related_name="+")
    building = models.ForeignKey("places.Building", on_delete=models.CASCADE, null=True, related_name="+")
    received = models.PositiveIntegerField(default=0)

    class Meta:
        # The pattern operator class serves both scope = path and scope LIKE 'path.%' on PostgreSQL.
        indexes = [
            models.Index(
                fields=["scope", "month"], opclasses=["varchar_pattern_ops", "date_ops"], name="insights_place_scope"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.month:%Y-%m} {self.estate_id}/{self.building_id}"


class Stock(models.Model):
    """A stock figure of ``area`` (residents, organisations, open appeals ...) as counted on
    ``taken_on``: today's count, and the last count of every past month."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    taken_on = models.DateField()
    figure = models.CharField(max_length=60)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "taken_on", "figure"], name="insights_stock_unique")]

    def __str__(self) -> str:
        return f"{self.area_id} {self.taken_on} {self.figure}={self.value}"


class RefreshKind(models.TextChoices):
    REFRESH = "refresh", _("Refresh")
    REBUILD = "rebuild", _("Rebuild")


class RefreshRun(models.Model):
    """One run of the roll-up builder. ``as_of`` is the moment its figures describe; the next
    refresh recomputes what changed since then."""

    kind = models.CharField(_("kind"), max_length=8, choices=RefreshKind.choices)
    as_of = models.DateTimeField(_("figures as of"), db_index=True)
    finished_at = models.DateTimeField(_("finished at"))
    seconds = models.FloatField(_("seconds"))
    days = models.PositiveIntegerField(_("days recomputed"), default=0)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("roll-up run")
        verbose_name_plural = _("roll-up runs")
        ordering = ["-as_of"]
        get_latest_by = "as_of"

    def __str__(self) -> str:
        return f"{self.kind} {self.as_of:%Y-%m-%d %H:%M}"


# --- the evaluation index (评估指标体系) ------------------------------------------------------------


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Indicator(models.Model):
    """One indicator of the "acquainted community" evaluation index: a formula over the KPIs of a
    community for a period (see insights.figures.KPI_NAMES), a target and a weight."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    formula = models.CharField(
        _("formula"),
        max_length=300,
        help_text=_("Arithmetic over the KPI names, e.g. responded_on_time / response_due * 100"),
    )
    unit = models.CharField(pgettext_lazy("measure", "unit"), max_length=20, blank=True)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2)
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices, default=Direction.HIGHER)
    is_active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="insights_indicator_weight_positive"),
            models.CheckConstraint(condition=models.Q(target__gt=0), name="insights_indicator_target_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class Evaluation(models.Model):
    """A community's score on the index for one period, and its rank in its subdistrict."""

    community = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="evaluations")
    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    max_score = models.DecimalField(_("maximum score"), max_digits=7, decimal_places=2)
    rank = models.PositiveSmallIntegerField(_("rank in the subdistrict"))
    ranked_among = models.PositiveSmallIntegerField(_("communities ranked"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-period_start", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "period_kind", "period_start"], name="insights_evaluation_unique_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.period_start:%Y-%m}"


class EvaluationScore(models.Model):
    """One indicator's value and score in an evaluation, with the definition used then (an
    indicator edited later does not rewrite history)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.SET_NULL, null=True, related_name="+")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=80)
    formula = models.CharField(max_length=300)
    unit = models.CharField(max_length=20, blank=True)
    target = models.DecimalField(max_digits=12, decimal_places=2)
    weight = models.DecimalField(max_digits=6, decimal_places=2)
    direction = models.CharField(max_length=6, choices=Direction.choices)
    value = models.FloatField(null=True)
    score = models.DecimalField(max_digits=7, decimal_places=2)

    class Meta:
        ordering = ["evaluation", "id"]

    def __str__(self) -> str:
        return f"{self.code}: {self.score}"


# --- monthly reports -------------------------------------------------------------------------------


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class MonthlyReport(models.Model):
    """The monthly report of an area, as xlsx and PDF, generated by a task."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="monthly_reports")
    month = models.DateField(_("month"))
    language = models.CharField(max_length=10, default="zh-hans")
    status = models.CharField(_("status"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    xlsx = models.BinaryField(null=True, editable=False)
    pdf = models.BinaryField(null=True, editable=False)
    error = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    email_to = models.JSONField(default=list, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-month", "-created_at"]

    def __str__(self) -> str:
        return f"{self.area} {self.month:%Y-%m}"
