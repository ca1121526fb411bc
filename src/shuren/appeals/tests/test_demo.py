"""The demo's public board shows the appeals its desk confirmed, and its publication review holds
the one only resolved."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from shuren.appeals import demo
from shuren.appeals.models import Appeal, Publication
from shuren.orgs import demo as orgs_demo
from shuren.people import demo as people_demo
from shuren.places import demo as places_demo
from shuren.synthetic.demo import load_places, load_users


@pytest.mark.django_db
def test_the_demo_board_shows_appeals_confirmed_by_the_demo_desk(client):
    context = load_places()
    load_users(context)
    for module in (places_demo, people_demo, orgs_demo, demo):
        module.load(context)
    published = Appeal.objects.filter(publication=Publication.PUBLISHED)
    assert published.exists()
    assert {a.published_by for a in published} == {context.users["community_staff"]}
    assert Appeal.objects.filter(publication=Publication.PENDING).exists()
    cache.clear()
    html = client.get("/board/").content.decode()
    assert html.count('data-testid="board-item"') == published.count()
    assert "林小梅" not in html
