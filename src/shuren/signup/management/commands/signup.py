"""`shuren signup purge` (cron daily): delete the one-time code rows older than two days — past every
throttle window and every code's and ticket's life, they only held keyed hashes of numbers and
addresses."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Sign-up: `purge` the one-time code rows older than two days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["purge"])

    def handle(self, *args: Any, **options: Any) -> None:
        from shuren.signup.services import purge_codes

        deleted = purge_codes()
        self.stdout.write(f"one-time code rows deleted (older than 2 days): {deleted}")
