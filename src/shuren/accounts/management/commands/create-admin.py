"""First installation: create one of the three administrator accounts (never a superuser)."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from shuren.accounts.models import User
from shuren.accounts.roles import ADMIN_ROLES
from shuren.accounts.services import grant_role


class Command(BaseCommand):
    help = (
        "Create an administrator account holding exactly one of system_admin, security_admin, auditor. "
        "The password comes from SHUREN_ADMIN_PASSWORD or is asked for."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(ADMIN_ROLES))
        parser.add_argument("--full-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        if User.objects.filter(username=username).exists():
            raise CommandError(f"The account {username!r} already exists.")
        password = os.environ.get("SHUREN_ADMIN_PASSWORD") or getpass.getpass("Password: ")
        user = User(username=username, full_name=options["full_name"])
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        with transaction.atomic():
            user.set_password(password)
            user.save()
            grant_role(actor=None, user=user, role=options["role"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {username} as {options['role']}. They enrol an authenticator app at first sign-in."
            )
        )
