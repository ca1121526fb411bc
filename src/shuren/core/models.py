"""Abstract bases shared by every app: timestamps, optimistic-concurrency version, scope path."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(models.Model):
    """A row that changes through workflows: every update bumps ``version`` (see core.concurrency)."""

    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True


class ScopedModel(models.Model):
    """A row that belongs to a place: ``scope`` is the materialized path of its Area."""

    scope_field = "scope"
    scope = models.CharField(_("scope"), max_length=255, db_index=True, editable=False)

    class Meta:
        abstract = True
