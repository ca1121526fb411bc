from typing import Any

from django.core.management.base import BaseCommand

from shuren.core.idempotency import purge_expired_records


class Command(BaseCommand):
    help = "Delete stored Idempotency-Key responses older than SHUREN_IDEMPOTENCY_TTL_HOURS."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Deleted {purge_expired_records()} expired idempotency records.")
