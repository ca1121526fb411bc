"""Pages for people who are not signed in: sign up with a code, reset a password with a code.

The answers never tell whether an account holds the number: the same pages, words and redirects
either way (see ``services.codes``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shuren.accounts.mfa import mfa_required
from shuren.accounts.middleware import mark_authenticated
from shuren.core.masking import mask_phone
from shuren.core.middleware import client_ip
from shuren.core.permissions import public
from shuren.notifications.sms import SmsError

from ..forms import AccountForm, CodeForm, NewPasswordForm, PhoneForm
from ..models import Purpose
from ..services import Throttled, check_code, create_account, request_code, reset_password
from .common import Flow, end_flow, load_flow, save_flow, sms_failed_message, throttled_message

BACKEND = "shuren.accounts.backends.UsernameOrPhoneBackend"

# url names of each purpose's steps
STEPS = {
    Purpose.SIGNUP: ("signup:start", "signup:verify", "signup:account"),
    Purpose.RESET: ("signup:reset", "signup:reset_verify", "signup:reset_password"),
}


def _ask(request: HttpRequest, purpose: str, template: str) -> HttpResponse:
    form = PhoneForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        try:
            row = request_code(purpose=purpose, phone=phone, address=client_ip(request))
        except Throttled as exc:
            form.add_error(None, throttled_message(exc.retry_after))
            status = 429
        except SmsError:
            form.add_error(None, sms_failed_message())
            status = 200  # the page answers; the provider is what failed (no error log per person)
        else:
            save_flow(request, Flow(purpose=purpose, phone=phone, code_id=row.pk))
            return redirect(STEPS[Purpose(purpose)][1])
    return render(request, template, {"form": form}, status=status)


def _verify(request: HttpRequest, purpose: str, template: str) -> HttpResponse:
    start, _verify_step, finish = STEPS[Purpose(purpose)]
    flow = load_flow(request, purpose)
    if flow is None:
        return redirect(start)
    form = CodeForm(request.POST if request.method == "POST" and "resend" not in request.POST else None)
    status = 200
    resend_error = ""
    if request.method == "POST" and "resend" in request.POST:
        try:
            row = request_code(purpose=purpose, phone=flow.phone, address=client_ip(request))
        except Throttled as exc:
            resend_error = throttled_message(exc.retry_after)
            status = 429
        except SmsError:
            resend_error = sms_failed_message()
        else:
            save_flow(request, Flow(purpose=purpose, phone=flow.phone, code_id=row.pk))
            messages.info(request, _("A new code was asked for. The old one no longer works."))
            return redirect(request.path)
    elif form.is_bound and form.is_valid():
        try:
            ticket = check_code(purpose=purpose, code_id=flow.code_id, code=form.cleaned_data["code"], phone=flow.phone)
        except ValidationError as exc:
            for message in exc.message_dict.get("code", exc.messages):
                form.add_error("code", message)
        else:
            save_flow(request, Flow(purpose=purpose, phone=flow.phone, code_id=ticket.code_id, ticket=ticket.secret))
            return redirect(finish)
    context = {"form": form, "masked_phone": mask_phone(flow.phone), "start_url": start, "resend_error": resend_error}
    return render(request, template, context, status=status)


def _ticket_flow(request: HttpRequest, purpose: str) -> Flow | None:
    flow = load_flow(request, purpose)
    return flow if flow is not None and flow.ticket else None


@public
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:home")
    return _ask(request, Purpose.SIGNUP, "signup/public/start.html")


@public
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    return _verify(request, Purpose.SIGNUP, "signup/public/verify.html")


@public
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    flow = _ticket_flow(request, Purpose.SIGNUP)
    ticket = flow.as_ticket() if flow is not None else None
    if flow is None or ticket is None:
        return redirect("signup:start")
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = create_account(
                ticket=ticket,
                phone=flow.phone,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            if _spent(exc):
                end_flow(request, Purpose.SIGNUP)
            _add_errors(form, exc)
        else:
            end_flow(request, Purpose.SIGNUP)
            login(request, user, backend=BACKEND)  # rotates the session id
            mark_authenticated(request)
            if mfa_required(user):  # never for a new account (no role yet); kept for the rule's sake
                return redirect("accounts:mfa_setup")
            messages.success(request, _("Your account is ready. Now tell us where you live."))
            return redirect("signup_portal:link")
    return render(request, "signup/public/account.html", {"form": form, "masked_phone": mask_phone(flow.phone)})


def _spent(exc: ValidationError) -> bool:
    """Whether the error says the ticket is gone (expired or spent): the flow starts again."""
    return not hasattr(exc, "error_dict") and any(error.code == "ticket" for error in exc.error_list)


def _add_errors(form: AccountForm | NewPasswordForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@public
@require_http_methods(["GET", "POST"])
def reset(request: HttpRequest) -> HttpResponse:
    return _ask(request, Purpose.RESET, "signup/public/reset.html")


@public
@require_http_methods(["GET", "POST"])
def reset_verify(request: HttpRequest) -> HttpResponse:
    return _verify(request, Purpose.RESET, "signup/public/reset_verify.html")


@public
@require_http_methods(["GET", "POST"])
def reset_new_password(request: HttpRequest) -> HttpResponse:
    flow = _ticket_flow(request, Purpose.RESET)
    ticket = flow.as_ticket() if flow is not None else None
    if flow is None or ticket is None:
        return redirect("signup:reset")
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reset_password(ticket=ticket, phone=flow.phone, password=form.cleaned_data["password1"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            end_flow(request, Purpose.RESET)
            messages.success(request, _("Your password was changed. Sign in with it."))
            return redirect("accounts:login")
    return render(request, "signup/public/reset_password.html", {"form": form})
