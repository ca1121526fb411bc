"""The rules that count ballots: local rules may ask more than art. 278 of the Civil Code, never
less; the statutory rules keep their thresholds."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.errors import NotPermitted
from shuren.core.scoping import has_action

from ..models import RULE_FIELDS, BallotRule
from ..tally import Share, rule_shares, statutory_floor


def _share_text(share: Share) -> str:
    if share.strict:
        return _("more than %(share)s") % {"share": share.label}
    return _("at least %(share)s") % {"share": share.label}


def below_statute(rule: Any, *, major: bool | None = None) -> dict[str, str]:
    """Messages (by form field) where ``rule`` asks less than art. 278 para. 2: participation of at
    least 2/3 of the area and of the owners; approval of at least 3/4 for major matters (items 6-8,
    or a rule marked major), more than half for every other matter."""
    participation, approval = rule_shares(rule)
    floor_participation, floor_approval = statutory_floor(major=rule.is_major if major is None else major)
    problems: dict[str, str] = {}
    if not participation.at_least(floor_participation):
        problems["participation_numerator"] = _(
            "Civil Code art. 278 requires owners holding %(floor)s of the area and %(floor)s of the owners "
            "to take part; a rule may ask more, not less (this one asks %(share)s)."
        ) % {"floor": _share_text(floor_participation), "share": _share_text(participation)}
    if not approval.at_least(floor_approval):
        if floor_approval == statutory_floor(major=True)[1]:
            message = _(
                "Civil Code art. 278 requires the agreement of %(floor)s of the participating area and owners "
                "for major matters (items 6 to 8); a rule may ask more, not less (this one asks %(share)s)."
            )
        else:
            message = _(
                "Civil Code art. 278 requires the agreement of %(floor)s of the participating area and owners; "
                "a rule may ask more, not less (this one asks %(share)s)."
            )
        problems["pass_numerator"] = message % {"floor": _share_text(floor_approval), "share": _share_text(approval)}
    return problems


STATUTORY_RULES = frozenset({"civil-code-278-ordinary", "civil-code-278-major"})


@transaction.atomic
def save_rule(*, actor: User, rule: BallotRule, fields: dict[str, Any]) -> BallotRule:
    """Add or change a (local) rule. The statutory rules of art. 278 keep their thresholds."""
    if not has_action(actor, "ballots.configure"):
        raise NotPermitted()
    if rule.pk and rule.code in STATUTORY_RULES:
        changed = [
            n
            for n in RULE_FIELDS
            if n not in ("name", "legal_basis") and fields.get(n, getattr(rule, n)) != getattr(rule, n)
        ]
        if changed:
            raise ValidationError(_("The thresholds of the Civil Code rules cannot be changed; add a local rule."))
    for name in RULE_FIELDS:
        if name in fields:
            setattr(rule, name, fields[name])
    rule.full_clean()
    problems = below_statute(rule)
    if problems:
        raise ValidationError(problems)
    created = rule.pk is None
    rule.save()
    record_event(
        "ballots.rule.add" if created else "ballots.rule.update",
        actor=actor,
        obj=rule,
        detail={name: str(getattr(rule, name)) for name in RULE_FIELDS},
    )
    return rule
