"""The security administrator's pages: accounts, role grants, disabling and MFA resets.

Viewing needs ``accounts.view_user``; every change needs ``accounts.manage_roles`` and a recent
re-authentication, goes through accounts.services and is audited there. Phones are shown masked.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.audit.services import record_event
from shuren.core.errors import NotPermitted
from shuren.core.permissions import requires
from shuren.core.reauth import reauth_required

from .. import selectors, services
from ..acting import acting_user
from ..admin_forms import DisableForm, GrantForm, UserCreateForm, UserSearchForm
from ..models import RoleGrant, User


@requires("accounts.view_user")
def user_list(request: HttpRequest) -> HttpResponse:
    form = UserSearchForm(request.GET or None)
    users = selectors.search_users(form.cleaned_data if form.is_valid() else {})
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    headings = [_("Username"), _("Full name"), _("Mobile number"), _("Roles"), _("Status"), _("Last sign-in")]
    return render(request, "accounts/user_list.html", {"form": form, "page": page, "headings": headings})


@requires("accounts.manage_roles")
@reauth_required
def user_new(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password, generated = form.initial_password()
        with transaction.atomic():
            user = User(
                username=form.cleaned_data["username"],
                full_name=form.cleaned_data["full_name"],
                phone=form.cleaned_data["phone"],
            )
            user.set_password(password)
            user.save()
            record_event("accounts.user_create", request=request, obj=user)
        if generated:
            messages.warning(
                request,
                _("One-time password for %(user)s: %(password)s — give it to them in person; it is not shown again.")
                % {"user": user.username, "password": password},
            )
        else:
            messages.success(request, _("The account has been created."))
        return redirect("accounts_admin:user_detail", pk=user.pk)
    return render(request, "accounts/user_new.html", {"form": form})


@requires("accounts.view_user")
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    grants = selectors.grants_of(user)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": user,
            "grants": grants,
            "grant_form": GrantForm(),
            "disable_form": DisableForm(),
            "mfa_enrolled": selectors.has_confirmed_device(user),
        },
    )


@requires("accounts.manage_roles")
@reauth_required
def grant_role(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    form = GrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_role(
                actor=acting_user(request),
                user=user,
                role=form.cleaned_data["role"],
                area=form.cleaned_data["area"],
                expires_on=form.cleaned_data["expires_on"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except NotPermitted as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(request, _("The role has been granted."))
            return redirect("accounts_admin:user_detail", pk=pk)
    return render(request, "accounts/grant_form.html", {"account": user, "form": form})


@requires("accounts.manage_roles")
@require_POST
@reauth_required
def revoke_role(request: HttpRequest, pk: int, grant_pk: int) -> HttpResponse:
    grant = get_object_or_404(RoleGrant, pk=grant_pk, user_id=pk)
    try:
        services.revoke_role(actor=acting_user(request), grant=grant)
    except NotPermitted as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("The role has been revoked."))
    return redirect("accounts_admin:user_detail", pk=pk)


@requires("accounts.manage_roles")
@require_POST
@reauth_required
def disable_user(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    form = DisableForm(request.POST)
    if user.pk == request.user.pk:
        messages.error(request, _("You cannot disable your own account."))
    elif form.is_valid():
        services.disable_user(actor=acting_user(request), user=user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The account has been disabled and its sessions ended."))
    else:
        messages.error(request, _("Give a reason for disabling the account."))
    return redirect("accounts_admin:user_detail", pk=pk)


@requires("accounts.manage_roles")
@require_POST
@reauth_required
def enable_user(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    services.enable_user(actor=acting_user(request), user=user)
    messages.success(request, _("The account has been enabled."))
    return redirect("accounts_admin:user_detail", pk=pk)


@requires("accounts.manage_roles")
@require_POST
@reauth_required
def reset_mfa(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    services.reset_mfa(actor=acting_user(request), user=user)
    messages.success(request, _("Two-step verification has been reset; the user must enrol again at next sign-in."))
    return redirect("accounts_admin:user_detail", pk=pk)
