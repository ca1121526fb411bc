"""The surveys' services: drafting in order, opening and closing, one response per resident or per
household, paper forms, scope, and anonymity kept in the rows themselves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from shuren.audit.models import AuditEvent
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope
from shuren.surveys import selectors, services
from shuren.surveys.models import Answer, Participation, Response

from .conftest import answers_for, draft_survey, open_survey


def test_questions_keep_their_order_through_moves_and_removals(world):
    survey = draft_survey(world)
    staff = world.users["staff"]
    third = survey.questions.get(position=3)
    services.move_question(actor=staff, question=third, up=True)
    services.move_question(actor=staff, question=survey.questions.get(position=1), up=True)  # already first
    assert list(survey.questions.order_by("position").values_list("text", flat=True))[:3] == [
        "总体满意度",
        "优先改进",
        "居住年限",
    ]
    services.remove_question(actor=staff, question=survey.questions.get(position=1))
    assert list(survey.questions.order_by("position").values_list("position", flat=True)) == [1, 2, 3, 4, 5]
    assert AuditEvent.objects.filter(action="surveys.question.move").count() == 1


def test_a_choice_question_needs_two_distinct_options_and_a_matrix_its_rows(world):
    survey = draft_survey(world, questions=[])
    staff = world.users["staff"]
    with pytest.raises(ValidationError) as caught:
        services.add_question(actor=staff, survey=survey, kind="single", text="是否同意", options=["是"])
    assert "options" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.add_question(actor=staff, survey=survey, kind="multiple", text="x", options=["a", "a"])
    assert "options" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.add_question(actor=staff, survey=survey, kind="matrix", text="打分", rows="  \n")
    assert "rows" in caught.value.message_dict
    question = services.add_question(actor=staff, survey=survey, kind="scale", text="满意度", options=["x", "y"])
    assert question.options == []  # what the kind does not use is not kept


def test_questions_are_fixed_once_the_survey_opens(world):
    survey = open_survey(world)
    with pytest.raises(InvalidTransition):
        services.add_question(actor=world.users["staff"], survey=survey, kind="scale", text="再加一题")
    with pytest.raises(InvalidTransition):
        services.remove_question(actor=world.users["staff"], question=survey.questions.first())


def test_opening_needs_a_question_and_fixes_the_number_asked(world):
    empty = draft_survey(world, questions=[])
    with pytest.raises(ValidationError):
        services.open_survey(actor=world.users["staff"], survey=empty, version=empty.version)
    per_household = open_survey(world)
    assert per_household.audience_size == 3  # 101, 102 and 201 of 富丰新城 (not community B's)
    per_resident = open_survey(world, one_per="resident", title="按人")
    assert per_resident.audience_size == 5  # 王芳, 李强, 张伟, 赵敏, 陈静
    owners = open_survey(world, audience="owners", title="业主")
    assert owners.audience_size == 2
    group = open_survey(world, audience="group", tag=world.tags["elderly"], one_per="resident", title="独居老人")
    assert group.audience_size == 1
    building = open_survey(world, building=world.buildings["2座"], title="2座")
    assert building.audience_size == 1


def test_a_group_survey_needs_its_group(world):
    with pytest.raises(ValidationError) as caught:
        draft_survey(world, audience="group")
    assert "tag" in caught.value.message_dict


def test_staff_outside_the_place_cannot_draft_and_do_not_learn_it_exists(world):
    with pytest.raises(OutOfScope):
        services.create_survey(
            actor=world.users["staff_b"],
            title="越界",
            area=world.tree["com_a"],
            closes_at=timezone.now() + dt.timedelta(days=3),
        )
    survey = draft_survey(world)
    with pytest.raises(OutOfScope):
        selectors.survey_for(world.users["staff_b"], survey.pk)


def test_a_household_answers_once_whoever_answers_first(world):
    survey = open_survey(world)
    services.submit_response(actor=world.users["wangfang"], survey=survey, answers=answers_for(survey))
    with pytest.raises(services.AlreadyAnswered) as caught:
        services.submit_response(actor=world.users["liqiang"], survey=survey, answers=answers_for(survey))
    assert caught.value.extra["channel"] == "online" and caught.value.status == 409
    services.submit_response(actor=world.users["zhangwei"], survey=survey, answers=answers_for(survey))
    assert Response.objects.filter(survey=survey).count() == 2
    assert Participation.objects.filter(survey=survey).count() == 2


def test_each_resident_answers_once_in_a_survey_per_resident(world):
    survey = open_survey(world, one_per="resident")
    services.submit_response(actor=world.users["wangfang"], survey=survey, answers=answers_for(survey))
    services.submit_response(actor=world.users["liqiang"], survey=survey, answers=answers_for(survey))
    with pytest.raises(services.AlreadyAnswered):
        services.submit_response(actor=world.users["liqiang"], survey=survey, answers=answers_for(survey))
    assert Response.objects.filter(survey=survey).count() == 2


def test_a_resident_the_survey_does_not_ask_gets_not_found(world):
    survey = open_survey(world, audience="owners")
    with pytest.raises(OutOfScope):  # a tenant, in a survey of owners
        services.submit_response(actor=world.users["zhangwei"], survey=survey, answers=answers_for(survey))
    with pytest.raises(OutOfScope):  # another community
        services.submit_response(actor=world.users["zhoujie"], survey=survey, answers=answers_for(survey))
    with pytest.raises(NotPermitted):  # staff do not answer as residents
        services.submit_response(actor=world.users["staff"], survey=survey, answers=answers_for(survey))


def test_a_survey_takes_answers_only_while_open(world):
    draft = draft_survey(world)
    with pytest.raises(InvalidTransition):
        services.submit_response(actor=world.users["wangfang"], survey=draft, answers=answers_for(draft))
    survey = open_survey(world, title="已结束")
    survey = services.close_survey(actor=world.users["staff"], survey=survey, version=survey.version)
    with pytest.raises(InvalidTransition):
        services.submit_response(actor=world.users["wangfang"], survey=survey, answers=answers_for(survey))
    later = open_survey(world, title="未开始", opens_at=timezone.now() + dt.timedelta(days=2))
    with pytest.raises(InvalidTransition):
        services.submit_response(actor=world.users["wangfang"], survey=later, answers=answers_for(later))


def test_an_invalid_response_writes_nothing(world):
    survey = open_survey(world)
    with pytest.raises(ValidationError) as caught:
        services.submit_response(actor=world.users["wangfang"], survey=survey, answers=answers_for(survey, p4="99"))
    assert list(caught.value.message_dict) == [survey.questions.get(position=4).field_name]
    assert not Participation.objects.exists() and not Response.objects.exists() and not Answer.objects.exists()


def test_staff_enter_a_paper_form_for_a_household_recorded_as_such(world):
    survey = open_survey(world)
    response = services.record_paper_response(
        actor=world.users["staff"],
        survey=survey,
        answers=answers_for(survey),
        dwelling=world.dwellings["a201"],
        paper_number="MY-001",
    )
    assert response.channel == "paper" and response.recorded_by == world.users["staff"]
    participation = Participation.objects.get(survey=survey)
    assert participation.channel == "paper" and participation.paper_number == "MY-001"
    event = AuditEvent.objects.get(action="surveys.respond.paper")
    assert event.detail["dwelling"] == world.dwellings["a201"].pk and event.actor_id == world.users["staff"].pk
    with pytest.raises(services.AlreadyAnswered) as caught:
        services.submit_response(actor=world.users["zhaomin"], survey=survey, answers=answers_for(survey))
    assert caught.value.extra["channel"] == "paper"


def test_a_paper_form_is_refused_for_a_dwelling_nobody_asked_lives_in(world):
    survey = open_survey(world, audience="owners")
    with pytest.raises(ValidationError) as caught:
        services.record_paper_response(
            actor=world.users["staff"], survey=survey, answers=answers_for(survey), dwelling=world.dwellings["a102"]
        )
    assert "dwelling" in caught.value.message_dict
    per_resident = open_survey(world, one_per="resident", title="按人")
    with pytest.raises(ValidationError) as caught:
        services.record_paper_response(
            actor=world.users["staff"],
            survey=per_resident,
            answers=answers_for(per_resident),
            dwelling=world.dwellings["a101"],
            person=world.people["zhaomin"],
        )
    assert "person" in caught.value.message_dict


def test_an_anonymous_response_stores_no_link_to_anyone(world):
    survey = open_survey(world, is_anonymous=True)
    services.submit_response(actor=world.users["wangfang"], survey=survey, answers=answers_for(survey))
    services.record_paper_response(
        actor=world.users["staff"], survey=survey, answers=answers_for(survey), dwelling=world.dwellings["a201"]
    )
    for response in Response.objects.filter(survey=survey):
        assert response.is_anonymous
        named = (response.person_id, response.dwelling_id, response.recorded_by_id)
        assert named == (None, None, None)
        assert response.submitted_at is None and response.submitted_on is None  # not even the day
        # Only groups that are not a sensitive category are kept (王芳 is also 独居老人).
        assert set(response.tags.values_list("code", flat=True)) <= {"newcomer"}
    # The model has no column that could lead from a response to a person or a participation.
    related = {f.related_model._meta.label for f in Response._meta.concrete_fields if f.is_relation}
    assert related == {"surveys.Survey", "places.Building", "people.Person", "places.Dwelling", "accounts.User"}
    # ...and the database refuses to fill the personal ones on an anonymous survey's response.
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            survey=survey,
            is_anonymous=True,
            channel="online",
            submitted_on=timezone.localdate(),
            person=world.people["liqiang"],
            scope=survey.scope,
        )
    # The audit record of an answer names the survey, never the response.
    for event in AuditEvent.objects.filter(action__startswith="surveys.respond"):
        assert event.object_id == str(survey.pk)
        assert not any(str(r.pk) in str(event.detail) for r in Response.objects.all())


def test_a_named_response_says_who_answered_and_the_resident_sees_their_own_answers(world):
    survey = open_survey(world)
    services.submit_response(actor=world.users["wangfang"], survey=survey, answers=answers_for(survey))
    response = Response.objects.get(survey=survey)
    assert response.person == world.people["wangfang"] and response.dwelling == world.dwellings["a101"]
    own = selectors.own_answers(world.users["liqiang"], survey)  # the same household
    assert own is not None and own[0].text == "★★★★" and own[-1].text == "希望增加停车位"
    anonymous = open_survey(world, is_anonymous=True, title="匿名")
    services.submit_response(actor=world.users["wangfang"], survey=anonymous, answers=answers_for(anonymous))
    assert selectors.own_answers(world.users["wangfang"], anonymous) is None


def test_closing_is_audited_and_only_from_open(world):
    survey = draft_survey(world)
    with pytest.raises(InvalidTransition):
        services.close_survey(actor=world.users["staff"], survey=survey, version=survey.version)
    survey = services.open_survey(actor=world.users["staff"], survey=survey, version=survey.version)
    services.close_survey(actor=world.users["staff"], survey=survey, version=survey.version)
    assert AuditEvent.objects.filter(action="surveys.close", object_id=str(survey.pk)).exists()


def test_the_answer_hook_gives_the_text_and_place_to_staff_of_the_place_only(world):
    survey = open_survey(world, is_anonymous=True)
    services.submit_response(actor=world.users["wangfang"], survey=survey, answers=answers_for(survey))
    answer = Answer.objects.get(question__kind="text")
    taken = selectors.answer_for_need(world.users["staff"], answer.pk)
    assert taken.text == "希望增加停车位" and taken.area_id == world.tree["com_a"].pk
    assert taken.building_id == world.buildings["1座"].pk
    assert not hasattr(taken, "person")
    with pytest.raises(OutOfScope):
        selectors.answer_for_need(world.users["staff_b"], answer.pk)
    with pytest.raises(OutOfScope):
        selectors.answer_for_need(world.users["staff"], Answer.objects.get(question__kind="scale").pk)


def test_the_database_itself_refuses_a_second_participation_for_the_same_key(world):
    survey = open_survey(world)
    services.submit_response(actor=world.users["wangfang"], survey=survey, answers=answers_for(survey))
    first = Participation.objects.get(survey=survey)
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(
            survey=survey,
            key=first.key,
            channel="paper",
            recorded_by=world.users["staff"],
            recorded_at=timezone.now(),
            scope=first.scope,
        )
