"""The arithmetic of a meeting's decision: quorum and majority from the kind's rules of procedure.

Shares are exact fractions (``fractions.Fraction``), never floats: "exactly half" must compare equal
to 1/2, and whether that suffices is the rule's ``strict`` flag ("more than" or "at least"). The
result is kept with the resolution as a plain dict (``arithmetic``) so that anyone can check it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from .models import MeetingRule


def reaches(share: Fraction, required: Fraction, *, strict: bool) -> bool:
    """``share`` meets ``required``: strictly more than it, or at least it."""
    return share > required if strict else share >= required


def _fraction_text(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


@dataclass(frozen=True)
class Outcome:
    quorum_met: bool
    carried: bool
    arithmetic: dict[str, Any]


def decide(
    rule: MeetingRule,
    *,
    voting_present: int,
    voting_invited: int,
    votes_for: int,
    votes_against: int,
    votes_abstain: int,
    consensus: bool = False,
) -> Outcome:
    """Whether the meeting was quorate and the resolution carried under ``rule``.

    Quorum: voting members present against voting members invited (a meeting nobody was invited to
    by name, e.g. an open grid deliberation day, is quorate when any voting member is present).
    Majority: votes for against the voting members present (``majority_of_present``) or against the
    votes cast for or against. A consensus is carried when the meeting is quorate.
    """
    quorum_required = Fraction(rule.quorum_numerator, rule.quorum_denominator)
    if voting_invited > 0:
        quorum_share = Fraction(voting_present, voting_invited)
        quorum_met = reaches(quorum_share, quorum_required, strict=rule.quorum_strict)
        quorum = {
            "present": voting_present,
            "invited": voting_invited,
            "share": _fraction_text(quorum_share),
            "required": _fraction_text(quorum_required),
            "strict": rule.quorum_strict,
            "met": quorum_met,
        }
    else:
        quorum_met = voting_present > 0
        quorum = {
            "present": voting_present,
            "invited": 0,
            "share": "",
            "required": _fraction_text(quorum_required),
            "strict": rule.quorum_strict,
            "met": quorum_met,
            "open_meeting": True,
        }
    majority_required = Fraction(rule.majority_numerator, rule.majority_denominator)
    base = voting_present if rule.majority_of_present else votes_for + votes_against
    if consensus:
        majority_met = True
        majority: dict[str, Any] = {"consensus": True, "met": True}
    else:
        majority_share = Fraction(votes_for, base) if base else Fraction(0)
        majority_met = base > 0 and reaches(majority_share, majority_required, strict=rule.majority_strict)
        majority = {
            "base": "present" if rule.majority_of_present else "cast",
            "base_count": base,
            "for": votes_for,
            "against": votes_against,
            "abstain": votes_abstain,
            "share": _fraction_text(majority_share) if base else "",
            "required": _fraction_text(majority_required),
            "strict": rule.majority_strict,
            "met": majority_met,
        }
    carried = quorum_met and majority_met
    return Outcome(
        quorum_met=quorum_met,
        carried=carried,
        arithmetic={"rule": rule.kind, "quorum": quorum, "majority": majority, "carried": carried},
    )


def explain(arithmetic: dict[str, Any]) -> list[str]:
    """The arithmetic in sentences, for the meeting page and the published minutes."""
    if not arithmetic:
        return []
    if arithmetic.get("binding") is False:
        return [_("A conclusion of the discussion, recorded without a vote.")]
    lines = []
    quorum = arithmetic.get("quorum") or {}
    relation = _("more than") if quorum.get("strict") else _("at least")
    if quorum.get("open_meeting"):
        lines.append(
            _("Quorum: %(present)d voting members present; nobody was invited by name, so any presence suffices.")
            % {"present": quorum.get("present", 0)}
        )
    elif quorum:
        lines.append(
            _(
                "Quorum: %(present)d of %(invited)d voting members present (%(share)s); "
                "%(relation)s %(required)s needed — %(verdict)s."
            )
            % {
                "present": quorum["present"],
                "invited": quorum["invited"],
                "share": quorum["share"],
                "relation": relation,
                "required": quorum["required"],
                "verdict": _("met") if quorum["met"] else _("not met"),
            }
        )
    majority = arithmetic.get("majority") or {}
    if majority.get("consensus"):
        lines.append(_("Agreed by consensus, without a vote."))
    elif majority:
        base = _("voting members present") if majority["base"] == "present" else _("votes for or against")
        relation = _("more than") if majority.get("strict") else _("at least")
        lines.append(
            _(
                "Majority: %(for)d for, %(against)d against, %(abstain)d abstaining; %(for)d of %(count)d "
                "%(base)s (%(share)s); %(relation)s %(required)s needed — %(verdict)s."
            )
            % {
                "for": majority["for"],
                "against": majority["against"],
                "abstain": majority["abstain"],
                "count": majority["base_count"],
                "base": base,
                "share": majority["share"] or "0",
                "relation": relation,
                "required": majority["required"],
                "verdict": _("met") if majority["met"] else _("not met"),
            }
        )
    lines.append(_("Carried.") if arithmetic.get("carried") else _("Not carried."))
    return lines
