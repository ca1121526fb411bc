from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from shuren.synthetic.demo import DEMO_PASSWORD, DEMO_USERS, load_demo


class Command(BaseCommand):
    help = "Load (or refresh) the demo district and print one login per role. Safe to re-run."

    def handle(self, *args: Any, **options: Any) -> None:
        context = load_demo(district=True)
        self.stdout.write(self.style.SUCCESS(_("Demo district loaded: %(n)d areas.") % {"n": len(context.areas)}))
        self.stdout.write("")
        self.stdout.write(f"{'role':<22} {'username':<17} {'mobile':<13} password")
        for username, role, _where, _name, phone in DEMO_USERS:
            self.stdout.write(f"{role.value:<22} {username:<17} {phone:<13} {DEMO_PASSWORD}")
