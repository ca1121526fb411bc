"""Items and lists: staff gather items (from appeals, meetings, patrols or their own work), edit and
cancel them, keep governance lists (batches) and the community's policy; residents make small wishes
that staff list or decline."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.appeals.models import Appeal
from shuren.audit.services import record_event
from shuren.core.errors import NotPermitted, OutOfScope
from shuren.core.scoping import can, path_covers, require
from shuren.core.validators import required_text
from shuren.people.models import Person
from shuren.places.models import Area, AreaKind, Building, Estate, Unit

from .. import selectors, workflow
from ..models import (
    Claim,
    ClaimStatus,
    GovernanceItem,
    GovernanceList,
    GovernancePolicy,
    ItemKind,
    ItemSource,
    ItemStatus,
    Priority,
    UpdateKind,
)
from .base import audit, community_of, now, policy_for, timeline, write

STAFF_SOURCES = (ItemSource.STAFF, ItemSource.PATROL, ItemSource.APPEAL, ItemSource.MEETING)
EDITABLE_FIELDS = (
    "title",
    "description",
    "area",
    "estate",
    "building",
    "unit",
    "governance_list",
    "priority",
    "due_on",
    "points",
    "beneficiary",
)


def reference_for(item: GovernanceItem) -> str:
    """The number people quote: ZL (治理) and the running number, e.g. ZL2024-000042."""
    return f"ZL{timezone.localtime(item.created_at):%Y}-{item.pk:06d}"


def _check_place(item: GovernanceItem) -> None:
    item.clean_place()
    if not item.area_id:
        raise ValidationError({"area": [_("Choose a community or a grid.")]})
    if item.area.kind not in (AreaKind.COMMUNITY, AreaKind.GRID):
        raise ValidationError({"area": [_("Choose a community or a grid.")]})
    item.scope = item.placed_scope()


def _check_links(actor: User, item: GovernanceItem) -> None:
    """Links must be to things the actor can see, in the item's community."""
    errors: dict[str, list[str]] = {}
    if item.source == ItemSource.APPEAL and item.appeal_id is None:
        errors["appeal"] = [_("Say which appeal this item comes from.")]
    if item.appeal_id is not None:
        if not selectors.may_see_appeal(actor, item.appeal_id):
            errors["appeal"] = [_("No such appeal among those you may see.")]
    if item.source == ItemSource.MEETING and item.meeting_id is None:
        errors["meeting"] = [_("Say which meeting decided this item.")]
    if item.meeting_id is not None:
        if not selectors.may_see_meeting(actor, item.meeting_id):
            errors["meeting"] = [_("No such meeting among those you may see.")]
    batch = item.governance_list
    if batch is not None:
        if not path_covers(batch.scope, item.scope):
            errors["governance_list"] = [_("The list belongs to another community.")]
    beneficiary = item.beneficiary
    if beneficiary is not None and not path_covers(community_of(item).path, beneficiary.scope):
        errors["beneficiary"] = [_("Choose a resident of this community.")]
    if errors:
        raise ValidationError(errors)


def _check_numbers(points: int, due_on: dt.date | None, *, is_new: bool) -> None:
    if points is None or points < 0 or points > 1000:
        raise ValidationError({"points": [_("Points must be between 0 and 1000.")]})
    if is_new and due_on is not None and due_on < timezone.localdate():
        raise ValidationError({"due_on": [_("The deadline cannot be in the past.")]})


def create_item(
    *,
    actor: User,
    title: str,
    description: str = "",
    area: Area | None = None,
    estate: Estate | None = None,
    building: Building | None = None,
    unit: Unit | None = None,
    kind: str = ItemKind.TASK,
    source: str = ItemSource.STAFF,
    appeal: Appeal | None = None,
    meeting: Model | None = None,
    governance_list: GovernanceList | None = None,
    priority: str = Priority.NORMAL,
    due_on: dt.date | None = None,
    points: int = 0,
    beneficiary: Person | None = None,
) -> GovernanceItem:
    """Put an item on the governance list of its place, open for claiming.

    Staff (or grid workers) holding ``governance.manage`` where the item is; an appeal or meeting it
    comes from must be one the actor can see. Used by the console, the API, and by meetings (an
    action decided at a meeting) and appeals. Writes the timeline's first row and the audit record.
    """
    title = required_text(title, "title", _("Give the item a short title."))
    if source not in STAFF_SOURCES:
        raise ValidationError({"source": [_("Choose where the item comes from.")]})
    if kind not in ItemKind.values:
        raise ValidationError({"kind": [_("Choose the kind of item.")]})
    if priority not in Priority.values:
        raise ValidationError({"priority": [_("Choose a priority.")]})
    _check_numbers(points, due_on, is_new=True)
    item = GovernanceItem(
        title=title[:100],
        description=(description or "").strip(),
        area=area,
        estate=estate,
        building=building,
        unit=unit,
        kind=kind,
        source=source,
        appeal=appeal,
        meeting_id=meeting.pk if meeting is not None else None,
        governance_list=governance_list,
        priority=priority,
        due_on=due_on,
        points=points,
        beneficiary=beneficiary,
        status=ItemStatus.OPEN,
        created_by=actor,
    )
    if area is None and estate is None and building is None and unit is None:
        raise ValidationError({"area": [_("Choose a community or a grid.")]})
    _check_place(item)
    require(actor, "governance.manage", item)
    _check_links(actor, item)
    with transaction.atomic():
        item.reference = "tmp-" + secrets.token_hex(6)
        item.save()
        item.reference = reference_for(item)
        GovernanceItem.objects.filter(pk=item.pk).update(reference=item.reference)
        timeline(item, UpdateKind.CREATED, actor=actor, text=item.get_source_display())
        audit("create", actor=actor, item=item, source=source, kind=kind)
    return item


def edit_item(*, actor: User, item: GovernanceItem, version: int, **fields: Any) -> GovernanceItem:
    """Change what the item says (title, place, deadline, points, list ...) while it is not finished."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"edit_item cannot change {sorted(unknown)}")
    workflow.require(item, "edit", actor=actor)
    probe = GovernanceItem.objects.get(pk=item.pk)
    for name, value in fields.items():
        setattr(probe, name, value)
    probe.title = required_text(probe.title, "title", _("Give the item a short title."))[:100]
    probe.description = (probe.description or "").strip()
    if probe.priority not in Priority.values:
        raise ValidationError({"priority": [_("Choose a priority.")]})
    _check_numbers(probe.points, probe.due_on, is_new=False)
    place_changed = any(name in fields for name in ("area", "estate", "building", "unit"))
    if place_changed:
        _check_place(probe)
        require(actor, "governance.manage", probe)
    _check_links(actor, probe)
    changes = {name: getattr(probe, name) for name in EDITABLE_FIELDS}
    changes["scope"] = probe.scope
    changed = [name for name in EDITABLE_FIELDS if getattr(item, name) != getattr(probe, name)]
    with transaction.atomic():
        item = write(item, version=version, **changes)
        timeline(item, UpdateKind.EDITED, actor=actor, text=", ".join(changed))
        audit("edit", actor=actor, item=item, changed=",".join(changed))
    return item


def cancel_item(*, actor: User, item: GovernanceItem, version: int, reason: str) -> GovernanceItem:
    """Take the item off the list (solved otherwise, duplicated, not feasible); an active claim is
    withdrawn with it."""
    reason = required_text(reason, "reason", _("Say why the item is cancelled."))
    workflow.require(item, "cancel", actor=actor)
    with transaction.atomic():
        claim = _end_active_claim(item, ClaimStatus.WITHDRAWN, reason)
        item = write(item, version=version, status=ItemStatus.CANCELLED)
        timeline(item, UpdateKind.CANCELLED, actor=actor, text=reason, claim=claim)
        audit("cancel", actor=actor, item=item, reason=reason)
    return item


def _end_active_claim(item: GovernanceItem, status: str, reason: str = "") -> Claim | None:
    claim = Claim.objects.select_for_update().filter(item=item, status=ClaimStatus.ACTIVE).first()
    if claim is not None:
        Claim.objects.filter(pk=claim.pk).update(status=status, ended_at=now(), end_reason=reason[:200])
        claim.status = status
    return claim


# --- wishes --------------------------------------------------------------------------------------


def make_wish(
    *,
    actor: User,
    title: str,
    description: str = "",
    building: Building | None = None,
    area: Area | None = None,
) -> GovernanceItem:
    """A resident's small wish (微心愿), placed at their home building unless they say otherwise.

    It waits for staff review when the community's policy asks for it (the default), and is open
    for claiming straight away otherwise."""
    title = required_text(title, "title", _("Say what you wish for, in a few words."))
    building = building or (None if area else selectors.home_building(actor))
    if building is None and area is None:
        raise ValidationError({"building": [_("Say where: choose your building.")]})
    item = GovernanceItem(
        title=title[:100],
        description=(description or "").strip(),
        area=area,
        building=building,
        kind=ItemKind.WISH,
        source=ItemSource.RESIDENT,
        beneficiary=selectors.person_of(actor),
        created_by=actor,
    )
    item.fill_place()
    _check_place(item)
    require(actor, "governance.wish", item)
    needs_review = policy_for(community_of(item)).wishes_need_review
    item.status = ItemStatus.PROPOSED if needs_review else ItemStatus.OPEN
    with transaction.atomic():
        item.reference = "tmp-" + secrets.token_hex(6)
        item.save()
        item.reference = reference_for(item)
        GovernanceItem.objects.filter(pk=item.pk).update(reference=item.reference)
        timeline(item, UpdateKind.CREATED, actor=actor, text=item.get_source_display())
        if not needs_review:
            timeline(item, UpdateKind.LISTED, actor=None)
        audit("wish", actor=actor, item=item, status=item.status)
    return item


def list_wish(
    *,
    actor: User,
    item: GovernanceItem,
    version: int,
    points: int | None = None,
    due_on: dt.date | None = None,
    governance_list: GovernanceList | None = None,
) -> GovernanceItem:
    """Staff accept a wish onto the list: it becomes open for claiming, with points and a deadline."""
    workflow.require(item, "list", actor=actor)
    changes: dict[str, Any] = {"status": ItemStatus.OPEN}
    if points is not None:
        _check_numbers(points, due_on, is_new=True)
        changes["points"] = points
    if due_on is not None:
        _check_numbers(changes.get("points", item.points), due_on, is_new=True)
        changes["due_on"] = due_on
    if governance_list is not None:
        if not path_covers(governance_list.scope, item.scope):
            raise ValidationError({"governance_list": [_("The list belongs to another community.")]})
        changes["governance_list"] = governance_list
    with transaction.atomic():
        item = write(item, version=version, **changes)
        timeline(item, UpdateKind.LISTED, actor=actor)
        audit("list", actor=actor, item=item, points=item.points)
    return item


def decline_wish(*, actor: User, item: GovernanceItem, version: int, reason: str) -> GovernanceItem:
    """Staff decline a wish, with a reason the resident reads."""
    reason = required_text(reason, "reason", _("Say why the wish is declined; the resident reads it."))
    workflow.require(item, "decline", actor=actor)
    with transaction.atomic():
        item = write(item, version=version, status=ItemStatus.CANCELLED)
        timeline(item, UpdateKind.CANCELLED, actor=actor, text=reason)
        audit("decline", actor=actor, item=item, reason=reason)
    return item


# --- lists and policy ----------------------------------------------------------------------------


def _check_list(community: Area, title: str, period_start: dt.date | None, period_end: dt.date | None) -> str:
    title = required_text(title, "title", _("Give the list a title."))
    if community is None or community.kind != AreaKind.COMMUNITY:
        raise ValidationError({"community": [_("Choose a community.")]})
    if period_start and period_end and period_end < period_start:
        raise ValidationError({"period_end": [_("The end must not be before the start.")]})
    return title[:100]


def create_list(
    *,
    actor: User,
    community: Area,
    title: str,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
) -> GovernanceList:
    """A batch of items of a community, e.g. 富丰新城2024年第二季度治理清单."""
    title = _check_list(community, title, period_start, period_end)
    batch = GovernanceList(
        community=community, title=title, period_start=period_start, period_end=period_end, created_by=actor
    )
    batch.scope = community.path
    require(actor, "governance.manage", batch)
    with transaction.atomic():
        batch.save()
        record_event("governance.create_list", actor=actor, obj=batch, detail={"title": title})
    return batch


def edit_list(
    *,
    actor: User,
    batch: GovernanceList,
    title: str,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
) -> GovernanceList:
    require(actor, "governance.manage", batch)
    title = _check_list(batch.community, title, period_start, period_end)
    with transaction.atomic():
        batch.title, batch.period_start, batch.period_end = title, period_start, period_end
        batch.save()
        record_event("governance.edit_list", actor=actor, obj=batch, detail={"title": title})
    return batch


def set_policy(*, actor: User, community: Area, claim_lapse_days: int, wishes_need_review: bool) -> GovernancePolicy:
    """The community's lapse time and whether wishes are reviewed (staff with governance.manage)."""
    if community.kind != AreaKind.COMMUNITY:
        raise ValidationError({"community": [_("Choose a community.")]})
    if not can(actor, "governance.manage", community):
        if can(actor, "governance.view", community):
            raise NotPermitted()
        raise OutOfScope()
    if not 1 <= int(claim_lapse_days) <= 365:
        raise ValidationError({"claim_lapse_days": [_("Between 1 and 365 days.")]})
    with transaction.atomic():
        policy, _created = GovernancePolicy.objects.update_or_create(
            community=community,
            defaults={"claim_lapse_days": claim_lapse_days, "wishes_need_review": wishes_need_review},
        )
        record_event(
            "governance.policy",
            actor=actor,
            obj=community,
            detail={"claim_lapse_days": claim_lapse_days, "wishes_need_review": wishes_need_review},
        )
    return policy
