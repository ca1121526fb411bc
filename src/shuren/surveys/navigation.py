"""The surveys' pages in the navigation: the console's list for staff, "my surveys" for residents."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import COGOVERNANCE, MY_COMMUNITY, MenuEntry, register

register(
    MenuEntry(_("Surveys"), "surveys_portal:my_surveys", ("surveys.answer",), MY_COMMUNITY, 85, "clipboard"),
    MenuEntry(_("Surveys"), "surveys:survey_list", ("surveys.view",), COGOVERNANCE, 85, "clipboard"),
)
