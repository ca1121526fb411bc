"""What the operators read: a refused request is one line, a failure keeps its traceback."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from shuren.accounts.roles import Role

pytestmark = pytest.mark.django_db


def _request_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "django.request"]


def _written(record: logging.LogRecord) -> str:
    """The record as a handler writes it (the traceback, when there is one, follows the message)."""
    return logging.Formatter("%(levelname)s %(name)s %(message)s").format(record)


def test_a_forbidden_page_is_one_line_naming_the_method_path_status_and_user(caplog, user_for_role, verified_client):
    resident = user_for_role(Role.RESIDENT)
    client = verified_client(resident)
    with caplog.at_level(logging.INFO, logger="django.request"):
        assert client.get("/appeals/kpis/").status_code == 403
    [record] = _request_records(caplog)
    text = _written(record)
    assert record.levelno == logging.WARNING
    assert "\n" not in text and "Traceback" not in text and record.exc_info is None
    assert text.endswith(f"method=GET path=/appeals/kpis/ status=403 user={resident.pk}")


@pytest.mark.urls("shuren.core.tests.log_urls")
def test_permission_denied_raised_in_a_view_is_one_record_of_one_line(caplog):
    with caplog.at_level(logging.INFO, logger="django.request"):
        assert Client().post("/refuses/").status_code == 403
    [record] = _request_records(caplog)
    assert _written(record) == (
        "WARNING django.request Forbidden (Permission denied): method=POST path=/refuses/ status=403 user=-"
    )


@pytest.mark.urls("shuren.core.tests.log_urls")
def test_a_crafted_path_cannot_write_a_second_line(caplog):
    with caplog.at_level(logging.INFO, logger="django.request"):
        assert Client().get("/refuses/%0Aforged").status_code == 404
    [record] = _request_records(caplog)
    assert "\n" not in _written(record) and "status=404" in _written(record)


@pytest.mark.urls("shuren.core.tests.log_urls")
def test_a_server_error_still_logs_its_traceback(caplog):
    with caplog.at_level(logging.INFO, logger="django.request"):
        assert Client(raise_request_exception=False).get("/fails/").status_code == 500
    [record] = _request_records(caplog)
    text = _written(record)
    assert record.levelno == logging.ERROR
    assert "Traceback" in text and "RuntimeError: the code is wrong" in text
