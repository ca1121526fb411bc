"""The demo's notices: the fire drill to 富丰新城 (public) and the building leader's water cut to 1座,
half its households told at the door; re-running adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from shuren.notices import selectors
from shuren.notices.models import Notice, NoticeStatus

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_publishes_two_notices_and_loads_once(notice_actions) -> None:
    call_command("demo", stdout=io.StringIO())
    drill = Notice.objects.get(title="富丰新城消防演练通知")
    water = Notice.objects.get(title="1座停水通知")
    assert drill.status == water.status == NoticeStatus.PUBLISHED and drill.is_public
    assert drill.households > water.households > 0
    figures = selectors.notice_figures(water)
    assert 0 < figures.told < figures.households
    call_command("demo", stdout=io.StringIO())
    assert Notice.objects.count() == 2
