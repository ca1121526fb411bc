"""The surveys' pages in the navigation, and their card on the resident's home page."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import COGOVERNANCE, MY_COMMUNITY, MenuEntry, register, register_panel, waiting_card

from .selectors import awaiting_my_answer

register(
    MenuEntry(_("Surveys"), "surveys_portal:my_surveys", ("surveys.answer",), MY_COMMUNITY, 85, "clipboard"),
    MenuEntry(_("Surveys"), "surveys:survey_list", ("surveys.view",), COGOVERNANCE, 85, "clipboard"),
)


# --- the resident's home (web:portal) -------------------------------------------------------------

URGENT = dt.timedelta(days=2)  # a survey closing within two days is marked urgent


def home_waiting(request: HttpRequest) -> str:
    """Surveys open to the resident that neither they nor (for a survey per household) their
    household have answered: one card, straight to the survey when there is one."""
    surveys = awaiting_my_answer(request.user)
    if not surveys:
        return ""
    first = surveys[0]
    closes = date_format(timezone.localtime(first.closes_at), "DATETIME_FORMAT")
    return waiting_card(
        request,
        testid="waiting-surveys",
        count=len(surveys),
        title=ngettext("%(count)d survey asks for your answer", "%(count)d surveys ask for your answer", len(surveys))
        % {"count": len(surveys)},
        detail=gettext("%(title)s · closes %(when)s") % {"title": first.title, "when": closes},
        action=pgettext("home page action", "Fill in"),
        url=reverse("surveys_portal:survey", args=[first.pk]),
        list_url=reverse("surveys_portal:my_surveys"),
        urgent=first.closes_at - timezone.now() <= URGENT,
    )


register_panel("portal", home_waiting, order=45)
