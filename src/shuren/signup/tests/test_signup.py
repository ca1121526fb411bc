"""Signing up with a mobile number and an SMS code, through the pages a resident uses."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse

from shuren.accounts.models import RoleGrant, User
from shuren.audit.models import AuditEvent
from shuren.notifications.testing import ALIYUN_KEY_ID, ALIYUN_SECRET, SIGN_NAME, AliyunServer
from shuren.signup.models import PhoneCode
from shuren.signup.testing import codes_sent, last_code

pytestmark = pytest.mark.django_db

PHONE = "13800138123"
PASSWORD = "Dong-feng-po-42"


def ask(client: Any, phone: str = PHONE, url: str = "signup:start", **extra: Any) -> Any:
    return client.post(reverse(url), {"phone": phone}, **extra)


def enter(client: Any, code: str, url: str = "signup:verify") -> Any:
    return client.post(reverse(url), {"code": code})


def finish(client: Any, name: str = "李晓明", password: str = PASSWORD) -> Any:
    return client.post(reverse("signup:account"), {"full_name": name, "password1": password, "password2": password})


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_a_resident_signs_up_with_a_code_and_is_signed_in_without_any_role(client: Any) -> None:
    response = ask(client, "138 0013 8123")
    assert response.status_code == 302 and response["Location"] == reverse("signup:verify")
    page = client.get(reverse("signup:verify"))
    assert "138****8123" in page.content.decode()
    response = enter(client, last_code(PHONE))
    assert response["Location"] == reverse("signup:account")
    response = finish(client)
    assert response["Location"] == reverse("signup_portal:link")
    user = User.objects.get_by_phone("+8613800138123")
    assert user.full_name == "李晓明" and user.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert not RoleGrant.objects.filter(user=user).exists()  # nothing until linked to a resident
    assert client.get(reverse("signup_portal:link")).status_code == 200
    assert AuditEvent.objects.filter(action="signup.account_create").exists()


def test_the_code_is_six_digits_and_only_its_keyed_hash_is_stored(client: Any) -> None:
    ask(client)
    code = last_code(PHONE)
    assert re.fullmatch(r"\d{6}", code)
    row = PhoneCode.objects.get()
    stored = " ".join(str(v) for v in PhoneCode.objects.values().get().values())
    assert code not in stored and PHONE not in stored and "8613800138123" not in stored
    assert len(row.code_hash) == 64


def test_a_wrong_code_says_how_many_tries_are_left_and_keeps_the_flow(client: Any) -> None:
    ask(client)
    response = enter(client, wrong(last_code(PHONE)))
    assert response.status_code == 200
    assert "4" in response.context["form"].errors["code"][0]
    assert enter(client, last_code(PHONE))["Location"] == reverse("signup:account")


def test_the_fifth_wrong_try_kills_the_code_even_for_the_right_one(client: Any) -> None:
    ask(client)
    code = last_code(PHONE)
    for _ in range(5):
        enter(client, wrong(code))
    response = enter(client, code)
    assert response.status_code == 200
    assert "错误次数过多" in response.context["form"].errors["code"][0]
    assert PhoneCode.objects.get().verified_at is None


def test_an_expired_code_is_refused(client: Any) -> None:
    ask(client)
    PhoneCode.objects.update(expires_at=PhoneCode.objects.get().created_at + dt.timedelta(seconds=-1))
    response = enter(client, last_code(PHONE))
    assert "已过期" in response.context["form"].errors["code"][0]


def test_a_used_code_and_a_spent_ticket_cannot_be_replayed(client: Any) -> None:
    ask(client)
    code = last_code(PHONE)
    enter(client, code)
    flow = dict(client.session["shuren_code_flow_signup"])
    finish(client)
    # The same code again, from a session that kept the state of before: refused.
    other = type(client)()
    session = other.session
    session["shuren_code_flow_signup"] = {**flow, "ticket": ""}
    session.save()
    assert "已使用过" in enter(other, code).context["form"].errors["code"][0]
    # The spent ticket again: the account step starts over, no second account.
    session["shuren_code_flow_signup"] = flow
    session.save()
    response = finish(other, name="冒名")
    assert response.status_code == 200 and "重新开始" in str(response.context["form"].non_field_errors())
    assert User.objects.count() == 1


def test_a_code_for_one_number_does_not_prove_another(client: Any) -> None:
    ask(client)
    code = last_code(PHONE)
    flow = dict(client.session["shuren_code_flow_signup"])
    from shuren.core import crypto

    flow["phone"] = crypto.encrypt("+8613800138999", context="signup.session")
    session = client.session
    session["shuren_code_flow_signup"] = flow
    session.save()
    assert enter(client, code).status_code == 200
    assert not User.objects.exists()


def test_a_number_gets_one_code_a_minute_and_five_an_hour(client: Any) -> None:
    ask(client)
    response = ask(client)
    assert response.status_code == 429 and codes_sent(PHONE) == 1
    assert "后再试" in str(response.context["form"].non_field_errors())
    for _ in range(4):
        PhoneCode.objects.update(created_at=PhoneCode.objects.get(pk=PhoneCode.objects.latest("pk").pk).created_at)
        for row in PhoneCode.objects.all():
            PhoneCode.objects.filter(pk=row.pk).update(created_at=row.created_at - dt.timedelta(seconds=61))
        assert ask(client).status_code == 302
    assert codes_sent(PHONE) == 5
    for row in PhoneCode.objects.all():
        PhoneCode.objects.filter(pk=row.pk).update(created_at=row.created_at - dt.timedelta(seconds=61))
    assert ask(client).status_code == 429
    assert codes_sent(PHONE) == 5


def test_one_address_gets_a_limited_number_of_codes_whatever_the_numbers(client: Any, settings: Any) -> None:
    settings.SHUREN_SIGNUP_CODES_PER_ADDRESS_PER_HOUR = 3
    for n in range(3):
        assert ask(client, f"1380013810{n}", REMOTE_ADDR="203.0.113.9").status_code == 302
    assert ask(client, "13800138109", REMOTE_ADDR="203.0.113.9").status_code == 429
    assert codes_sent("13800138109") == 0
    assert ask(client, "13800138109", REMOTE_ADDR="198.51.100.7").status_code == 302


def _visible(response: Any) -> str:
    """The page as the person sees it, without the per-request CSRF token."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return re.sub(r'name="csrf-token" content="[^"]+"', "", text)


@pytest.mark.parametrize("url,verify", [("signup:start", "signup:verify"), ("signup:reset", "signup:reset_verify")])
def test_a_number_with_an_account_gets_the_same_answers_as_one_without(
    client: Any, make_user: Any, url: str, verify: str
) -> None:
    answers: list[Any] = []
    for has_account in (False, True):
        PhoneCode.objects.all().delete()
        User.objects.filter(username="holder").delete()
        if has_account:
            make_user(username="holder", phone="+8613800138123")
        browser = type(client)()
        first = ask(browser, url=url)
        answers.append((first.status_code, first["Location"], _visible(browser.get(reverse(verify)))))
        answers.append(_visible(enter(browser, "000000", url=verify)))
        answers.append(ask(browser, url=url).status_code)  # throttled alike
    assert answers[:3] == answers[3:]


def test_no_code_is_sent_when_the_number_already_has_an_account(client: Any, make_user: Any) -> None:
    make_user(username="holder", phone="+8613800138123")
    ask(client)
    assert codes_sent(PHONE) == 0


def test_a_number_taken_between_the_code_and_the_account_is_refused_to_its_holder(client: Any, make_user: Any) -> None:
    ask(client)
    enter(client, last_code(PHONE))
    make_user(username="quicker", phone="+8613800138123")
    response = finish(client)
    assert response.status_code == 200
    assert "已注册账号" in str(response.context["form"].non_field_errors())


def test_a_weak_password_is_refused_with_django_s_validators_and_the_name_is_kept(client: Any) -> None:
    ask(client)
    enter(client, last_code(PHONE))
    response = client.post(reverse("signup:account"), {"full_name": "李晓明", "password1": "123", "password2": "123"})
    assert response.status_code == 200 and response.context["form"].errors["password1"]
    assert 'value="李晓明"' in response.content.decode()
    assert finish(client).status_code == 302  # the ticket was not spent by the refusal


def test_an_invalid_number_is_refused_before_anything_is_sent(client: Any) -> None:
    response = ask(client, "12345")
    assert response.status_code == 200 and response.context["form"].errors["phone"]
    assert not PhoneCode.objects.exists()


def test_the_sms_provider_down_gives_a_clear_error_and_keeps_the_number(client: Any, settings: Any) -> None:
    with AliyunServer() as server:
        settings.SHUREN_SMS_PROVIDER = "aliyun"
        settings.SHUREN_SMS_ALIYUN_ACCESS_KEY_ID = ALIYUN_KEY_ID
        settings.SHUREN_SMS_ALIYUN_ACCESS_KEY_SECRET = ALIYUN_SECRET
        settings.SHUREN_SMS_ALIYUN_ENDPOINT = server.url
        settings.SHUREN_SMS_SIGN_NAME = SIGN_NAME
        settings.SHUREN_SMS_TEMPLATES = {"signup_code": "SMS_482913001"}
        server.script.append("http500")
        response = ask(client, "138 0013 8123")
        assert response.status_code == 200
        assert "发送失败" in str(response.context["form"].non_field_errors())
        assert 'value="138 0013 8123"' in response.content.decode()
        assert not PhoneCode.objects.exists()  # nothing counted: asking again is allowed
        response = ask(client)
        assert response.status_code == 302
        (sent,) = server.accepted
        assert sent.query["PhoneNumbers"] == "13800138123"
        assert sent.query["TemplateCode"] == "SMS_482913001"
        code = re.search(r'"code":\s*"(\d{6})"', sent.query["TemplateParam"])
        assert code is not None
    assert enter(client, code.group(1))["Location"] == reverse("signup:account")


def test_the_daily_purge_deletes_code_rows_past_every_window(client: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    ask(client)
    ask(client, "13800138124")
    old = PhoneCode.objects.order_by("pk").first()
    assert old is not None
    PhoneCode.objects.filter(pk=old.pk).update(created_at=old.created_at - dt.timedelta(days=3))
    out = StringIO()
    call_command("signup", "purge", stdout=out)
    assert out.getvalue().strip().endswith(": 1")
    assert not PhoneCode.objects.filter(pk=old.pk).exists() and PhoneCode.objects.count() == 1


def test_a_new_code_is_sent_on_request_after_a_minute_and_the_old_one_no_longer_works(client: Any) -> None:
    ask(client)
    first = last_code(PHONE)
    response = client.post(reverse("signup:verify"), {"resend": "1"})
    assert response.status_code == 429 and 'data-testid="resend-error"' in response.content.decode()
    assert codes_sent(PHONE) == 1
    PhoneCode.objects.update(created_at=PhoneCode.objects.get().created_at - dt.timedelta(seconds=61))
    assert client.post(reverse("signup:verify"), {"resend": "1"})["Location"] == reverse("signup:verify")
    second = last_code(PHONE)
    assert codes_sent(PHONE) == 2
    if second != first:
        assert enter(client, first).status_code == 200
    assert enter(client, second)["Location"] == reverse("signup:account")
