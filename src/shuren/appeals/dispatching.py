"""Dispatch rules: category × place → the organisation that should handle an appeal."""

from __future__ import annotations

from django.db.models import Q

from shuren.core.scoping import covering_paths
from shuren.orgs.models import Organization

from .models import Appeal, DispatchRule


def matching_rules(appeal: Appeal) -> list[DispatchRule]:
    """Active rules that fit the appeal, best first: lowest priority number, then the rule of the
    narrowest area, then the one with an estate, then the most specific category."""
    covering = covering_paths(appeal.scope)
    categories = [c.pk for c in appeal.category.lineage()]
    rules = (
        DispatchRule.objects.filter(is_active=True, scope__in=covering)
        .filter(Q(category__isnull=True) | Q(category__in=categories))
        .filter(Q(estate__isnull=True) | Q(estate_id=appeal.estate_id))
        .select_related("organization", "category", "estate", "area")
    )
    depth = {pk: i for i, pk in enumerate(categories)}

    def rank(rule: DispatchRule) -> tuple[int, int, int, int]:
        category_rank = depth.get(rule.category_id, len(categories)) if rule.category_id else len(categories) + 1
        return (rule.priority, -len(rule.scope), 0 if rule.estate_id else 1, category_rank)

    return sorted(rules, key=rank)


def suggest_organization(appeal: Appeal) -> Organization | None:
    """The organisation the first matching rule names, or None when no rule matches."""
    rules = matching_rules(appeal)
    return rules[0].organization if rules else None
