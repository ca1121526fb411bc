"""The console and portal pages of surveys, through the test client."""

from __future__ import annotations

import datetime as dt
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shuren.audit.models import AuditEvent
from shuren.surveys import services
from shuren.surveys.models import Participation, Response, Survey

from .conftest import answers_for, draft_survey, open_survey


def test_staff_draft_a_survey_add_questions_in_order_and_open_it(world, verified_client):
    client = verified_client(world.users["staff"])
    closes = (timezone.localtime() + dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("surveys:survey_new"),
        {
            "title": "老年食堂需求问卷",
            "area": world.tree["com_a"].pk,
            "audience": "residents",
            "one_per": "resident",
            "closes_at": closes,
        },
    )
    survey = Survey.objects.get()
    assert response.status_code == 302 and survey.status == "draft" and survey.reference.startswith("WJ")
    new = reverse("surveys:question_new", args=[survey.pk])
    client.post(new, {"kind": "single", "text": "是否愿意就餐", "options": "愿意\n看情况\n不愿意", "is_required": "on"})
    client.post(new, {"kind": "number", "text": "每餐价格", "min_value": "5", "max_value": "30", "is_required": "on"})
    refused = client.post(new, {"kind": "single", "text": "只有一个选项", "options": "是"})
    assert refused.status_code == 200 and "只有一个选项" in refused.content.decode()  # kept, with the error
    second = survey.questions.get(position=2)
    client.post(reverse("surveys:question_move", args=[survey.pk, second.pk]), {"direction": "up"})
    assert list(survey.questions.order_by("position").values_list("text", flat=True)) == ["每餐价格", "是否愿意就餐"]
    client.post(reverse("surveys:survey_open", args=[survey.pk]), {"version": survey.version})
    survey.refresh_from_db()
    assert survey.status == "open" and survey.audience_size == 5
    page = client.get(reverse("surveys:survey_detail", args=[survey.pk])).content.decode()
    assert 'data-testid="paper-entry"' in page and 'data-testid="new-question"' not in page


def test_the_list_takes_the_same_queries_for_one_survey_as_for_many(world, verified_client):
    client = verified_client(world.users["staff"])
    draft_survey(world, title="第1份")
    client.get(reverse("surveys:survey_list"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("surveys:survey_list"))
    for n in range(2, 7):
        draft_survey(world, title=f"第{n}份", questions=[])
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("surveys:survey_list")).content.decode()
    assert "第6份" in page
    assert len(many) == len(one)


def test_staff_of_another_community_get_not_found_for_every_page(world, verified_client):
    survey = open_survey(world)
    question = survey.questions.first()
    client = verified_client(world.users["staff_b"])
    for name, args in [
        ("surveys:survey_detail", [survey.pk]),
        ("surveys:survey_results", [survey.pk]),
        ("surveys:survey_export", [survey.pk]),
        ("surveys:paper_entry", [survey.pk]),
        ("surveys:question_edit", [survey.pk, question.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    assert (
        client.post(reverse("surveys:survey_close", args=[survey.pk]), {"version": survey.version}).status_code == 404
    )
    assert "物业服务满意度调查" not in client.get(reverse("surveys:survey_list")).content.decode()


def test_a_resident_answers_on_the_portal_and_what_they_typed_stays_on_an_error(world, verified_client):
    survey = open_survey(world)
    client = verified_client(world.users["wangfang"])
    listing = client.get(reverse("surveys_portal:my_surveys")).content.decode()
    assert f'data-testid="survey-{survey.reference}"' in listing
    url = reverse("surveys_portal:survey", args=[survey.pk])
    data = answers_for(survey, p4="99")
    matrix = survey.questions.get(position=5).field_name
    form = {k: v for k, v in data.items() if k != matrix}
    form.update({f"{matrix}_0": "4", f"{matrix}_1": "3"})
    form[survey.questions.get(position=3).field_name] = ["0", "2"]
    refused = client.post(url, form)
    page = refused.content.decode()
    assert refused.status_code == 200 and 'data-testid="error-4"' in page
    assert "请输入5到30之间的数。" in page
    assert 'value="99"' in page and "希望增加停车位" in page  # nothing typed is lost
    assert not Response.objects.exists()
    form[survey.questions.get(position=4).field_name] = "12"
    accepted = client.post(url, form)
    assert accepted.status_code == 302 and accepted["Location"] == reverse("surveys_portal:thanks", args=[survey.pk])
    response = Response.objects.get()
    assert response.answers.get(question__position=5).value == [4, 3]
    again = client.get(url).content.decode()
    assert 'data-testid="answered"' in again and 'data-testid="own-answers"' in again
    # Another member of the household sees it answered and gets no form.
    household = verified_client(world.users["liqiang"]).get(url).content.decode()
    assert 'data-testid="answered"' in household and 'data-testid="answer-form"' not in household


def test_a_resident_of_another_place_gets_not_found(world, verified_client):
    survey = open_survey(world)
    draft = draft_survey(world, title="草稿")
    client = verified_client(world.users["zhoujie"])
    assert client.get(reverse("surveys_portal:survey", args=[survey.pk])).status_code == 404
    assert client.get(reverse("surveys_portal:survey", args=[draft.pk])).status_code == 404
    assert client.post(reverse("surveys_portal:survey", args=[survey.pk]), {}).status_code == 404
    assert "物业服务满意度调查" not in client.get(reverse("surveys_portal:my_surveys")).content.decode()


def test_published_results_are_shown_to_residents_only_once_closed(world, verified_client):
    survey = open_survey(world, publishes_results=True)
    services.submit_response(actor=world.users["wangfang"], survey=survey, answers=answers_for(survey))
    client = verified_client(world.users["zhangwei"])
    url = reverse("surveys_portal:results", args=[survey.pk])
    assert client.get(url).status_code == 404
    services.close_survey(actor=world.users["staff"], survey=survey, version=survey.version)
    page = client.get(url).content.decode()
    assert 'data-testid="response-rate"' in page and "希望增加停车位" in page
    unpublished = open_survey(world, title="不公开")
    services.close_survey(actor=world.users["staff"], survey=unpublished, version=unpublished.version)
    assert client.get(reverse("surveys_portal:results", args=[unpublished.pk])).status_code == 404


def test_the_results_page_draws_a_chart_with_its_table(world, verified_client):
    survey = open_survey(world)
    services.submit_response(actor=world.users["wangfang"], survey=survey, answers=answers_for(survey))
    page = verified_client(world.users["staff"]).get(reverse("surveys:survey_results", args=[survey.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert f"survey-chart-{survey.questions.get(position=1).field_name}" in text
    assert "echarts.min.js" in text and 'data-testid="lines-2"' in text and 'data-testid="matrix-5"' in text


def test_staff_enter_a_paper_form_found_by_room(world, verified_client):
    survey = open_survey(world)
    client = verified_client(world.users["staff"])
    url = reverse("surveys:paper_entry", args=[survey.pk])
    found = client.get(url, {"building": "2座", "room": "201"}).content.decode()
    assert f"?dwelling={world.dwellings['a201'].pk}" in found
    data = answers_for(survey)
    matrix = survey.questions.get(position=5).field_name
    form = {k: v for k, v in data.items() if k != matrix}
    form.update({f"{matrix}_0": "5", f"{matrix}_1": "5", "dwelling": world.dwellings["a201"].pk, "paper_number": "P-7"})
    response = client.post(url, form)
    assert response.status_code == 302
    participation = Participation.objects.get()
    assert participation.channel == "paper" and participation.paper_number == "P-7"
    again = client.get(url, {"dwelling": world.dwellings["a201"].pk}).content.decode()
    assert 'data-testid="already"' in again


def test_the_export_neutralises_formulas_and_an_anonymous_one_names_nobody(world, verified_client):
    named = open_survey(world, title="实名")
    services.submit_response(
        actor=world.users["wangfang"], survey=named, answers=answers_for(named, p6='=HYPERLINK("http://x","点我")')
    )
    client = verified_client(world.users["staff"])
    response = client.get(reverse("surveys:survey_export", args=[named.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    headings, first = rows[1], rows[2]
    assert first[headings.index("6. 其他意见")] == '\'=HYPERLINK("http://x","点我")'
    assert any(cell and "王" in str(cell) for cell in first)  # the resident, as staff may see them
    assert AuditEvent.objects.filter(action="surveys.export", object_id=str(named.pk)).exists()

    anonymous = open_survey(world, title="匿名", is_anonymous=True)
    services.submit_response(actor=world.users["wangfang"], survey=anonymous, answers=answers_for(anonymous))
    services.submit_response(actor=world.users["zhaomin"], survey=anonymous, answers=answers_for(anonymous))
    sheet = load_workbook(io.BytesIO(client.get(reverse("surveys:survey_export", args=[anonymous.pk])).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    text = " ".join(str(cell) for row in rows[1:] for cell in row if cell is not None)
    assert "王芳" not in text and "赵敏" not in text and "王" not in text and "101" not in text
    assert "1座" not in text and "2座" not in text  # nor the building
    assert len(rows) == 4  # the watermark, the headings, two responses
    narrowed = client.get(
        reverse("surveys:survey_export", args=[anonymous.pk]), {"building": world.buildings["2座"].pk}
    )
    assert len(list(load_workbook(io.BytesIO(narrowed.content)).active.iter_rows())) == 2  # too few to show


def test_the_home_page_card_waits_until_the_household_has_answered(world, client):
    """A survey per household waits on the home page of each member until one of them answers."""
    survey = open_survey(world)
    client.force_login(world.users["liqiang"])  # 王芳's household
    home = client.get("/me/").content.decode()
    assert 'data-testid="waiting-surveys"' in home and f'href="/my/surveys/{survey.pk}/"' in home
    assert survey.title in home
    services.submit_response(actor=world.users["wangfang"], survey=survey, answers=answers_for(survey))
    assert 'data-testid="waiting-surveys"' not in client.get("/me/").content.decode()
    client.force_login(world.users["zhangwei"])  # another household still has it to answer
    assert 'data-testid="waiting-surveys"' in client.get("/me/").content.decode()
