"""Pages of a signed-in resident: linking the account to their home, changing the mobile number."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from shuren.accounts.acting import acting_user
from shuren.accounts.credentials import confirm_own_password
from shuren.core.masking import mask_phone
from shuren.core.middleware import client_ip
from shuren.core.permissions import authenticated
from shuren.notifications.sms import SmsError

from .. import selectors
from ..forms import ChangePhoneForm, CodeForm, LinkForm
from ..models import LinkStatus, Purpose
from ..services import Throttled, change_phone, check_code, request_code, request_link
from .common import Flow, end_flow, load_flow, save_flow, sms_failed_message, throttled_message

STEP_FIELDS = ("community_search", "community", "building", "dwelling", "name")
LOCKED = gettext_lazy("Too many failed attempts. Try again in 15 minutes or ask your community office for help.")


@authenticated
@require_http_methods(["GET", "POST"])
def link(request: HttpRequest) -> HttpResponse:
    """Where the resident asks to be linked to their home, and sees how their requests went."""
    user = acting_user(request)
    person = selectors.linked_person(user)
    requests = list(selectors.own_requests(user)[:10])
    waiting = any(r.status == LinkStatus.PENDING for r in requests)
    form: LinkForm | None = None
    if person is None and not waiting:
        if request.method == "POST" and "step" in request.POST:
            # "Show the buildings and homes": narrow the lists to the community and building chosen, without errors yet.
            form = LinkForm(initial={k: request.POST.get(k, "") for k in STEP_FIELDS})
        else:
            form = LinkForm(request.POST or None, initial={"name": user.full_name})
            if request.method == "POST" and form.is_valid():
                try:
                    made = request_link(
                        actor=user,
                        community=form.cleaned_data["community"],
                        dwelling=form.cleaned_data["dwelling"],
                        name=form.cleaned_data["name"],
                    )
                except ValidationError as exc:
                    if hasattr(exc, "error_dict"):
                        for field, errors in exc.message_dict.items():
                            form.add_error(field if field in form.fields else None, errors)
                    else:
                        form.add_error(None, exc.messages)
                else:
                    if made.status == LinkStatus.LINKED:
                        messages.success(request, _("Your account is linked to your home."))
                    else:
                        messages.info(request, _("Your request was sent to the community. You will hear from them."))
                    return redirect("signup_portal:link")
    elif request.method == "POST":
        return redirect("signup_portal:link")
    context = {"person": person, "requests": requests, "form": form, "waiting": waiting}
    return render(request, "signup/portal/link.html", context)


@authenticated
@require_http_methods(["GET", "POST"])
def phone(request: HttpRequest) -> HttpResponse:
    """Change the account's mobile number: the current password, then a code sent to the new number."""
    user = acting_user(request)
    form = ChangePhoneForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        new = form.cleaned_data["phone"]
        check = confirm_own_password(request, user=user, password=form.cleaned_data["password"], purpose="change_phone")
        if check.refusal is not None:
            form.add_error(None, str(LOCKED))
            status = 429
        elif check.user is None:
            form.add_error("password", _("The password is incorrect."))
        elif new == user.phone:
            form.add_error("phone", _("This is already your number."))
        else:
            try:
                row = request_code(purpose=Purpose.CHANGE_PHONE, phone=new, address=client_ip(request), user=user)
            except Throttled as exc:
                form.add_error(None, throttled_message(exc.retry_after))
                status = 429
            except SmsError:
                form.add_error(None, sms_failed_message())
                status = 200  # the page answers; the provider is what failed (no error log per person)
            else:
                save_flow(request, Flow(purpose=Purpose.CHANGE_PHONE, phone=new, code_id=row.pk))
                return redirect("signup_portal:phone_verify")
    context = {"form": form, "current": user.masked_phone}
    return render(request, "signup/portal/phone.html", context, status=status)


@authenticated
@require_http_methods(["GET", "POST"])
def phone_verify(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    flow = load_flow(request, Purpose.CHANGE_PHONE)
    if flow is None:
        return redirect("signup_portal:phone")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = check_code(
                purpose=Purpose.CHANGE_PHONE,
                code_id=flow.code_id,
                code=form.cleaned_data["code"],
                phone=flow.phone,
                user=user,
            )
            change_phone(actor=user, ticket=ticket, phone=flow.phone)
        except ValidationError as exc:
            for message in exc.message_dict.get("code", []) if hasattr(exc, "error_dict") else []:
                form.add_error("code", message)
            others = (
                [m for f, ms in exc.message_dict.items() if f != "code" for m in ms]
                if hasattr(exc, "error_dict")
                else exc.messages
            )
            if others:
                form.add_error(None, others)
        else:
            end_flow(request, Purpose.CHANGE_PHONE)
            messages.success(request, _("Your mobile number was changed."))
            return redirect("accounts:security")
    return render(request, "signup/portal/phone_verify.html", {"form": form, "masked_phone": mask_phone(flow.phone)})
