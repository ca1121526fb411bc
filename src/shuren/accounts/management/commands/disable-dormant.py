from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from shuren.accounts.services import disable_dormant_accounts


class Command(BaseCommand):
    help = "Disable accounts nobody has signed in to for SHUREN_DORMANT_DAYS days (run daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] or settings.SHUREN_DORMANT_DAYS
        names = disable_dormant_accounts(days=days)
        self.stdout.write(f"Disabled {len(names)} dormant account(s): {', '.join(names) or '-'}")
