"""Staff console of meetings: the rules of procedure of each kind of meeting."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from shuren.core.permissions import requires

from .forms import MeetingRuleForm
from .models import MeetingRule

# --- rules of procedure ---------------------------------------------------------------------------


@requires("meetings.configure")
def rule_list(request: HttpRequest) -> HttpResponse:
    return render(request, "meetings/console/rule_list.html", {"rules": MeetingRule.objects.all()})


@requires("meetings.configure")
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    from shuren.audit.services import record_event

    rule = get_object_or_404(MeetingRule, pk=pk)
    form = MeetingRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        changed = form.changed_data
        form.save()
        record_event(
            "meetings.rule_changed",
            actor=request.user,
            obj=rule,
            detail={name: str(form.cleaned_data[name]) for name in changed},
        )
        messages.success(request, _("The rules of procedure have been saved."))
        return redirect("meetings:rule_list")
    return render(request, "meetings/console/rule_form.html", {"form": form, "rule": rule})
