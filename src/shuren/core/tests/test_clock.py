"""The services' clock: the wall clock, or the moment a story sets for its block only."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.utils import timezone

from shuren.core import clock

STORY = timezone.make_aware(dt.datetime(2026, 3, 4, 10, 15))


def test_the_clock_is_the_wall_clock_outside_a_story():
    before = timezone.now()
    assert before <= clock.now() <= timezone.now()


def test_inside_a_story_the_services_read_its_moment_and_after_it_the_wall_clock_again():
    with clock.at(STORY):
        assert clock.now() == STORY
        with clock.at(STORY + dt.timedelta(hours=2)):
            assert clock.now() == STORY + dt.timedelta(hours=2)
        assert clock.now() == STORY
    assert clock.now() > STORY + dt.timedelta(days=30)
    with pytest.raises(RuntimeError), clock.at(STORY):
        raise RuntimeError
    assert clock.now() != STORY  # an error inside the block does not leave the story's moment behind


def test_a_story_moment_never_reaches_another_thread():
    seen: list[dt.datetime] = []
    with clock.at(STORY):
        thread = threading.Thread(target=lambda: seen.append(clock.now()))
        thread.start()
        thread.join()
    assert seen and seen[0] != STORY


def test_a_moment_without_a_time_zone_is_refused():
    with pytest.raises(ValueError), clock.at(dt.datetime(2026, 3, 4, 10, 15)):
        pass
