"""Staff console of meetings: the rules of procedure of each kind of meeting."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shuren.accounts.acting import acting_user
from shuren.core.permissions import requires

from .. import services
from ..forms import MeetingRuleForm
from ..selectors import meeting_rule, meeting_rules

# --- rules of procedure ---------------------------------------------------------------------------


@requires("meetings.configure")
def rule_list(request: HttpRequest) -> HttpResponse:
    return render(request, "meetings/console/rule_list.html", {"rules": meeting_rules()})


@requires("meetings.configure")
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = meeting_rule(pk)
    form = MeetingRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        services.change_rule(actor=acting_user(request), rule=rule, fields=form.cleaned_data, changed=form.changed_data)
        messages.success(request, _("The rules of procedure have been saved."))
        return redirect("meetings:rule_list")
    return render(request, "meetings/console/rule_form.html", {"form": form, "rule": rule})
