"""Free-text answers reach anyone but staff only through ``core.redaction``: phone and ID numbers,
door numbers, plates, WeChat and QQ ids and e-mails written in any of the ways residents write them
never show on the published results (page or keywords); staff read the texts as written."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings

from shuren.core.tests.pii_strategies import leaked, sentences
from shuren.surveys import selectors, services
from shuren.surveys.models import Answer

from .conftest import answers_for, open_survey


@pytest.fixture
def published(world):
    survey = open_survey(world, publishes_results=True)
    services.submit_response(actor=world.users["wangfang"], survey=survey, answers=answers_for(survey))
    survey = services.close_survey(actor=world.users["staff"], survey=survey, version=survey.version)
    return survey


def _text_card(page) -> str:
    """The free-text question's card of a results page: its texts, its keywords and their chart
    (the chart's JSON included)."""
    content = page.content.decode()
    card = content[content.index('data-testid="result-6"') :]
    return card[: card.index("</article>")]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sample=sentences(max_secrets=3))
def test_no_personal_data_in_a_free_text_reaches_the_published_results(world, published, verified_client, sample):
    text, found = sample
    Answer.objects.filter(question__survey=published, question__kind="text").update(text=text)
    page = verified_client(world.users["zhangwei"]).get(reverse("surveys_portal:results", args=[published.pk]))
    assert page.status_code == 200
    assert leaked(_text_card(page), found) == [], text
    public = selectors.results_of(published, staff=False)
    shown = " ".join(public.questions[-1].texts + [word for word, _n in public.questions[-1].keywords])
    assert leaked(shown, found) == [], text


def test_staff_read_the_free_text_as_written(world, published, verified_client):
    text = "楼道灯坏了，请联系我13912345678，住3栋502室"
    Answer.objects.filter(question__survey=published, question__kind="text").update(text=text)
    staff_page = verified_client(world.users["staff"]).get(reverse("surveys:survey_results", args=[published.pk]))
    assert text in staff_page.content.decode()
    resident_page = verified_client(world.users["zhangwei"]).get(reverse("surveys_portal:results", args=[published.pk]))
    card = _text_card(resident_page)
    assert "13912345678" not in card and "502" not in card and "楼道灯坏了" in card


def test_a_neighbour_named_in_a_free_text_is_hidden_from_residents(world, published, verified_client):
    """The names registered in the survey's community are hidden in the published texts, as on the
    appeals board: residents read that a neighbour was named, not who."""
    text = "陈静家的狗每天晚上在楼道里叫"
    Answer.objects.filter(question__survey=published, question__kind="text").update(text=text)
    card = _text_card(
        verified_client(world.users["zhangwei"]).get(reverse("surveys_portal:results", args=[published.pk]))
    )
    assert "陈静" not in card and "楼道里叫" in card
    staff_page = verified_client(world.users["staff"]).get(reverse("surveys:survey_results", args=[published.pk]))
    assert text in staff_page.content.decode()
