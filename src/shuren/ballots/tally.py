"""The art. 278 arithmetic (民法典第二百七十八条): pure functions, exact fractions, no database.

A matter passes when both double majorities hold:

* participation — the owners who took part hold at least (or more than) the rule's share of the
  total exclusive area, and are at least (or more than) that share of all owners;
* approval — the owners who agree hold the rule's pass share of the area and of the headcount,
  counted among those who took part (Civil Code 2021) or among all owners (``pass_base = all``).

An abstention takes part but does not agree.

The statute's thresholds are floors (民法典第二百七十八条第二款): participation by at least 2/3 of the
area and of the owners for every matter; approval by at least 3/4 of the participating area and
owners for items 6-8, by more than half of both for every other matter (items 1-5 and 9, and a matter
named with no item). A local rule may ask more, never less: ``tally`` counts with the stricter of the
rule and the floor of the matter's item, whatever the rule row says.

Every figure is computed with ``fractions.Fraction`` (Decimal areas convert exactly), so "exactly
two thirds" is exactly two thirds. ``tally`` returns a plain dict (stored as ``Matter.result`` and
printed on the tally sheet); ``describe`` turns one of its checks into the line the sheet shows, in
the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, Protocol

from django.utils.translation import gettext as _

AGREE, OPPOSE, ABSTAIN = "agree", "oppose", "abstain"
CHOICES = (AGREE, OPPOSE, ABSTAIN)
CENT = Decimal("0.01")
PARTICIPATING, ALL = "participating", "all"  # PassBase values


class RuleLike(Protocol):
    participation_numerator: int
    participation_denominator: int
    participation_strict: bool
    pass_numerator: int
    pass_denominator: int
    pass_strict: bool
    pass_base: str


@dataclass(frozen=True)
class Share:
    """A threshold: numerator/denominator, met by more than it (strict) or at least it."""

    numerator: int
    denominator: int
    strict: bool

    @property
    def fraction(self) -> Fraction:
        # A denominator of 0 (a row written past the form's validation) demands nothing.
        return Fraction(self.numerator, self.denominator) if self.denominator > 0 else Fraction(0)

    @property
    def operator(self) -> str:
        return ">" if self.strict else "≥"

    @property
    def label(self) -> str:
        return f"{self.numerator}/{self.denominator}"

    @property
    def demand(self) -> tuple[Fraction, bool]:
        """Shares in order of how much they demand: a larger fraction, or the same one "more than"."""
        return (self.fraction, self.strict)

    def at_least(self, floor: Share) -> bool:
        """Whether every ratio that meets this share also meets ``floor``."""
        return self.demand >= floor.demand

    def is_met(self, part: Fraction, whole: Fraction) -> bool:
        """Whether ``part / whole`` meets the share; an empty whole meets nothing."""
        if whole <= 0:
            return False
        ratio = part / whole
        return ratio > self.fraction if self.strict else ratio >= self.fraction


MAJOR_ITEMS = frozenset({6, 7, 8})  # art. 278 para. 1 items 6-8
PARTICIPATION_FLOOR = Share(2, 3, strict=False)  # 三分之二以上 of the area and of the owners
MAJOR_APPROVAL_FLOOR = Share(3, 4, strict=False)  # 四分之三以上 of the participating area and owners
ORDINARY_APPROVAL_FLOOR = Share(1, 2, strict=True)  # 过半数 of the participating area and owners


def statutory_floor(civil_code_item: int | None = None, *, major: bool = False) -> tuple[Share, Share]:
    """(participation, approval) the statute requires at least, for an item of art. 278 para. 1 (or
    for a rule meant for major matters). Approval counted among all owners is never laxer than the
    same share counted among the participants, so the floor holds for either base."""
    if major or civil_code_item in MAJOR_ITEMS:
        return PARTICIPATION_FLOOR, MAJOR_APPROVAL_FLOOR
    return PARTICIPATION_FLOOR, ORDINARY_APPROVAL_FLOOR


def rule_shares(rule: RuleLike) -> tuple[Share, Share]:
    return (
        Share(rule.participation_numerator, rule.participation_denominator, rule.participation_strict),
        Share(rule.pass_numerator, rule.pass_denominator, rule.pass_strict),
    )


def applied_shares(rule: RuleLike, civil_code_item: int | None) -> tuple[Share, Share, bool]:
    """The shares a matter is counted with: the rule's, raised to the statutory floor of its item
    where the rule asks less; and whether any was raised."""
    participation, approval = rule_shares(rule)
    floor_participation, floor_approval = statutory_floor(civil_code_item)
    applied = (max(participation, floor_participation, key=_demand), max(approval, floor_approval, key=_demand))
    return applied[0], applied[1], applied != (participation, approval)


def _demand(share: Share) -> tuple[Fraction, bool]:
    return share.demand


def exact(value: Decimal | int | str | Fraction) -> Fraction:
    """A Decimal (or its text) as an exact fraction: Decimal("0.1") is 1/10, not a binary float."""
    if isinstance(value, Fraction):
        return value
    return Fraction(Decimal(value)) if not isinstance(value, int) else Fraction(value)


def area_text(value: Fraction) -> str:
    """An area to the hundredth of a square metre, as the registry records it."""
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(CENT, rounding=ROUND_HALF_UP))


def percent_text(part: Fraction, whole: Fraction) -> str:
    if whole <= 0:
        return "—"
    ratio = part / whole * 100
    return str((Decimal(ratio.numerator) / Decimal(ratio.denominator)).quantize(CENT, rounding=ROUND_HALF_UP)) + "%"


def _check(key: str, kind: str, part: Fraction, whole: Fraction, share: Share) -> dict[str, Any]:
    """One comparison as the sheet prints it. ``kind`` is "area" or "owners"."""
    show = area_text if kind == "area" else (lambda v: str(int(v)))
    return {
        "key": key,
        "kind": kind,
        "part": show(part),
        "whole": show(whole),
        "exact": f"{part / whole}" if whole > 0 else "",
        "percent": percent_text(part, whole),
        "operator": share.operator,
        "threshold": share.label,
        "met": share.is_met(part, whole),
    }


def tally(
    rule: RuleLike,
    *,
    civil_code_item: int | None = None,
    total_area: Decimal | Fraction,
    total_owners: int,
    votes: Iterable[tuple[str, Decimal | Fraction]],
) -> dict[str, Any]:
    """Count one matter. ``votes`` are (choice, voter's area) pairs, one per voter who voted.
    ``civil_code_item`` is the matter's item of art. 278: its statutory floor bounds the rule.

    Returns the figures, the four comparisons (participation by area and headcount, approval by area
    and headcount) and the verdicts ``participation_met``, ``approval_met`` and ``passed``.
    """
    areas = dict.fromkeys(CHOICES, Fraction(0))
    heads = dict.fromkeys(CHOICES, 0)
    for choice, area in votes:
        if choice not in areas:
            raise ValueError(f"unknown vote {choice!r}")
        areas[choice] += exact(area)
        heads[choice] += 1
    all_area, all_heads = exact(total_area), int(total_owners)
    took_part_area = sum(areas.values(), Fraction(0))
    took_part_heads = sum(heads.values())
    if took_part_area > all_area or took_part_heads > all_heads:
        raise ValueError("more votes than the electorate holds")

    participation, approval, raised = applied_shares(rule, civil_code_item)
    among_all = rule.pass_base == ALL
    base_area = all_area if among_all else took_part_area
    base_heads = all_heads if among_all else took_part_heads

    checks = [
        _check("participation_area", "area", took_part_area, all_area, participation),
        _check("participation_owners", "owners", Fraction(took_part_heads), Fraction(all_heads), participation),
        _check("approval_area", "area", areas[AGREE], base_area, approval),
        _check("approval_owners", "owners", Fraction(heads[AGREE]), Fraction(base_heads), approval),
    ]
    participation_met = checks[0]["met"] and checks[1]["met"]
    approval_met = checks[2]["met"] and checks[3]["met"]
    return {
        "rule": {
            "code": getattr(rule, "code", ""),
            "name": str(getattr(rule, "name", "")),
            "participation": participation.label,
            "participation_operator": participation.operator,
            "pass": approval.label,
            "pass_operator": approval.operator,
            "pass_base": rule.pass_base,
            # The rule asked less than the statute for this item: the statutory share was used.
            "raised_to_statute": raised,
        },
        "total": {"area": area_text(all_area), "owners": all_heads},
        "took_part": {"area": area_text(took_part_area), "owners": took_part_heads},
        "counts": {choice: {"area": area_text(areas[choice]), "owners": heads[choice]} for choice in CHOICES},
        "checks": checks,
        "participation_met": participation_met,
        "approval_met": approval_met,
        "passed": participation_met and approval_met,
    }


def _labels(pass_base: str) -> dict[str, tuple[str, str]]:
    base_area = _("total area") if pass_base == ALL else _("participating area")
    base_owners = _("all owners") if pass_base == ALL else _("participating owners")
    return {
        "participation_area": (_("participating area"), _("total area")),
        "participation_owners": (_("participating owners"), _("all owners")),
        "approval_area": (_("agreeing area"), base_area),
        "approval_owners": (_("agreeing owners"), base_owners),
    }


def describe(check: dict[str, Any], *, pass_base: str = PARTICIPATING) -> str:
    """One comparison as a line of the tally sheet, e.g.
    "participating area 1234.56 m² / total area 1800.00 m² = 68.59% ≥ 2/3 ✓"."""
    part_label, whole_label = _labels(pass_base)[check["key"]]
    unit = " m²" if check["kind"] == "area" else ""
    mark = "✓" if check["met"] else "✗"
    return (
        f"{part_label} {check['part']}{unit} / {whole_label} {check['whole']}{unit} = "
        f"{check['percent']} {check['operator']} {check['threshold']} {mark}"
    )


def describe_all(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The checks of a stored result with their printed line (for templates and exports)."""
    base = result.get("rule", {}).get("pass_base", PARTICIPATING)
    return [{**check, "line": describe(check, pass_base=base)} for check in result.get("checks", [])]
