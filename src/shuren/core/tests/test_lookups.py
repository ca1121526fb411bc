"""A foreign-key filter with an id beyond the database's integer range matches nothing instead of
failing in the database (an id from a query string made a server error)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shuren.places.models import Area

pytestmark = pytest.mark.django_db

BIGINT = 2**63 - 1


@settings(max_examples=20, deadline=None)
@given(value=st.one_of(st.integers(min_value=BIGINT + 1), st.integers(max_value=-BIGINT - 2)))
def test_an_out_of_range_foreign_key_id_matches_nothing(value):
    assert list(Area.objects.filter(parent_id=value)) == []
    assert list(Area.objects.filter(parent=value)) == []
    assert not Area.objects.filter(parent__pk=value).exists()


def test_ids_in_range_still_match(tree):
    assert set(Area.objects.filter(parent_id=tree["com_a"].pk)) == {tree["grid_a1"], tree["grid_a2"]}
    assert Area.objects.exclude(parent_id=10**30).count() == Area.objects.count()
