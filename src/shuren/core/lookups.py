"""Filters on a foreign key with an integer out of the database's range match nothing.

Django (5.0+) already answers ``pk=10**20`` with an empty result, but not ``parent_id=10**20``: that
reaches the database, which fails (SQLite: OverflowError; PostgreSQL: out of range), so an id from a
query string made a server error. The exact lookup of every foreign key checks the range of the
field it points at first.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignKey
from django.db.models.fields.related_lookups import RelatedExact


class InRangeRelatedExact(RelatedExact):
    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if isinstance(self.rhs, int) and not isinstance(self.rhs, bool):
            target = getattr(self.lhs.output_field, "target_field", None)
            if target is not None:
                try:
                    low, high = connection.ops.integer_field_range(target.get_internal_type())
                except KeyError:
                    low = high = None
                if (low is not None and self.rhs < low) or (high is not None and self.rhs > high):
                    raise EmptyResultSet
        return super().process_rhs(compiler, connection)


def register() -> None:
    ForeignKey.register_lookup(InRangeRelatedExact)
