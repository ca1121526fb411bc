"""The surveys API: surveys open to me, one survey with its questions, a response with an
Idempotency-Key (a retry never answers twice), 409 for a second response, and results for staff."""

from __future__ import annotations

import json

from django.test import Client

from shuren.accounts.services import issue_api_token
from shuren.surveys.models import Response

from .conftest import answers_for, draft_survey, open_survey

BASE = "/api/v1/surveys/"
PROBLEM = "application/problem+json"


class Api:
    def __init__(self, user):
        _token, key = issue_api_token(user=user, name="test")
        self.client = Client(HTTP_AUTHORIZATION=f"Token {key}")

    def get(self, path, **params):
        return self.client.get(path, params)

    def post(self, path, body=None, **headers):
        return self.client.post(path, data=json.dumps(body or {}), content_type="application/json", **headers)


def test_a_resident_lists_answers_and_cannot_answer_twice(world):
    survey = open_survey(world)
    draft_survey(world, title="草稿")
    resident = Api(world.users["wangfang"])
    listed = resident.get(f"{BASE}open/").json()
    assert [(s["id"], s["answered"]) for s in listed] == [(survey.pk, False)]
    detail = resident.get(f"{BASE}{survey.pk}/").json()
    assert [q["field"] for q in detail["questions"]] == [q.field_name for q in survey.questions.order_by("position")]
    url = f"{BASE}{survey.pk}/responses/"
    body = {"answers": answers_for(survey)}
    missing_key = resident.post(url, body)
    assert missing_key.status_code == 400
    created = resident.post(url, body, HTTP_IDEMPOTENCY_KEY="answer-1")
    assert created.status_code == 201 and created.json()["channel"] == "online"
    replayed = resident.post(url, body, HTTP_IDEMPOTENCY_KEY="answer-1")
    assert replayed.status_code == 201 and replayed["Idempotent-Replayed"] == "true"
    assert Response.objects.count() == 1
    household = Api(world.users["liqiang"]).post(url, body, HTTP_IDEMPOTENCY_KEY="answer-2")
    assert household.status_code == 409 and household["Content-Type"] == PROBLEM
    assert household.json()["type"].endswith("already-answered")
    assert resident.get(f"{BASE}open/").json()[0]["answered"] is True


def test_a_refused_answer_names_its_question(world):
    survey = open_survey(world)
    body = {"answers": answers_for(survey, p1=9)}
    refused = Api(world.users["wangfang"]).post(f"{BASE}{survey.pk}/responses/", body, HTTP_IDEMPOTENCY_KEY="k1")
    assert refused.status_code == 400 and refused["Content-Type"] == PROBLEM
    assert survey.questions.get(position=1).field_name in json.dumps(refused.json())
    assert not Response.objects.exists()


def test_residents_and_staff_elsewhere_get_not_found(world):
    survey = open_survey(world)
    outsider = Api(world.users["zhoujie"])
    assert outsider.get(f"{BASE}{survey.pk}/").status_code == 404
    body = {"answers": answers_for(survey)}
    assert outsider.post(f"{BASE}{survey.pk}/responses/", body, HTTP_IDEMPOTENCY_KEY="k").status_code == 404
    other_staff = Api(world.users["staff_b"])
    assert other_staff.get(f"{BASE}{survey.pk}/").status_code == 404
    assert other_staff.get(f"{BASE}{survey.pk}/results/").status_code == 404
    assert other_staff.get(BASE).json()["count"] == 0


def test_staff_read_the_results_and_residents_may_not(world):
    survey = open_survey(world)
    Api(world.users["wangfang"]).post(
        f"{BASE}{survey.pk}/responses/", {"answers": answers_for(survey)}, HTTP_IDEMPOTENCY_KEY="k"
    )
    results = Api(world.users["staff"]).get(f"{BASE}{survey.pk}/results/").json()
    assert results["responses"] == 1 and results["asked"] == 3 and results["response_rate"] == "33.3"
    assert results["suppressed"] is False
    first = results["questions"][0]
    assert first["kind"] == "scale" and first["average"] == "4.00"
    text = results["questions"][-1]
    assert text["texts"] == ["希望增加停车位"] and text["keywords"]
    narrowed = Api(world.users["staff"]).get(f"{BASE}{survey.pk}/results/", building=world.buildings["2座"].pk)
    assert narrowed.json()["responses"] == 0
    assert Api(world.users["wangfang"]).get(f"{BASE}{survey.pk}/results/").status_code == 403
    listed = Api(world.users["staff"]).get(BASE, status="open").json()
    assert [s["reference"] for s in listed["results"]] == [survey.reference]
