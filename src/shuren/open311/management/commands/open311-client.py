"""Register, list, re-key and revoke Open311 clients. The key is printed once, on creation or
rotation; only its digest is stored."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shuren.open311.models import Open311Client
from shuren.open311.services import client_summary, create_client, revoke_client, rotate_key
from shuren.places.models import Area


class Command(BaseCommand):
    help = (
        "Open311 clients: `create NAME --area PATH` (a community or grid path such as 440605.01.017; "
        "a wider area makes every request name its building), `list`, `rotate NAME`, `revoke NAME`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        create = commands.add_parser("create", help="register a client and print its key once")
        create.add_argument("name")
        create.add_argument("--area", required=True, help="path of the area it files into")
        commands.add_parser("list", help="the clients, without their keys")
        rotate = commands.add_parser("rotate", help="replace a client's key and print the new one once")
        rotate.add_argument("name")
        revoke = commands.add_parser("revoke", help="refuse the client's key and disable its account")
        revoke.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            area = Area.objects.filter(path=options["area"]).first()
            if area is None:
                raise CommandError(f"No area has the path {options['area']!r}.")
            try:
                client, key = create_client(name=options["name"], area=area)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
            self.stdout.write(self.style.SUCCESS(f"Registered {client.name}, filing into {area.name} ({area.path})."))
            self._print_key(key)
        elif action == "list":
            for client in Open311Client.objects.select_related("area", "service_user"):
                row = client_summary(client)
                self.stdout.write("  ".join(f"{k}={v}" for k, v in row.items()))
        elif action == "rotate":
            key = rotate_key(client=self._client(options["name"]))
            self.stdout.write(self.style.SUCCESS("The old key no longer works."))
            self._print_key(key)
        elif action == "revoke":
            client = self._client(options["name"])
            revoke_client(client=client)
            self.stdout.write(self.style.SUCCESS(f"Revoked {client.name}."))

    def _client(self, name: str) -> Open311Client:
        client = Open311Client.objects.select_related("service_user").filter(name=name).first()
        if client is None:
            raise CommandError(f"No Open311 client is named {name!r}.")
        return client

    def _print_key(self, key: str) -> None:
        self.stdout.write("api_key (shown this once; store it now, it cannot be read again):")
        self.stdout.write(key)
