"""`shuren import residents|dwellings FILE.xlsx --community CODE [--dry-run]`: the web imports, from a shell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shuren.core.spreadsheets import ImportResult
from shuren.people.services.imports import import_residents
from shuren.places.models import Area, AreaKind


class Command(BaseCommand):
    help = (
        "Import residents or dwellings from the Chinese-headed xlsx templates. "
        "Exits 1 if any row is wrong (nothing is written)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["residents", "dwellings"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--community", required=True, help="the community's code or full path, e.g. 440605.01.017")
        parser.add_argument("--dry-run", action="store_true", help="validate only")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["community"]
        community = Area.objects.filter(kind=AreaKind.COMMUNITY).filter(path=code).first() or (
            Area.objects.filter(kind=AreaKind.COMMUNITY, code=code).first()
        )
        if community is None:
            raise CommandError(f"No community {code!r}.")
        if not options["file"].exists():
            raise CommandError(f"No file {options['file']}.")

        def progress(phase: str, done: int, total: int | None) -> None:
            of = f" / {total}" if total else ""
            self.stderr.write(f"{phase}: {done}{of} rows", ending="\r" if phase == "checking" else "\n")

        if options["kind"] == "dwellings":
            from shuren.places.services.imports import import_dwellings

            result: ImportResult = import_dwellings(
                actor=None, community=community, data=options["file"].read_bytes(), dry_run=options["dry_run"]
            )
        else:
            result = import_residents(
                actor=None,
                community=community,
                data=options["file"].read_bytes(),
                dry_run=options["dry_run"],
                progress=progress if options["verbosity"] >= 1 else None,
            )
        for error in result.errors:
            self.stderr.write(f"row {error.row} · {error.column}: {error.reason}")
        if result.errors:
            self.stderr.write(
                self.style.ERROR(f"{len(result.errors)} problem(s) in {result.rows} rows; nothing imported.")
            )
            raise SystemExit(1)
        verb = "would import" if result.dry_run else "imported"
        self.stdout.write(self.style.SUCCESS(f"{result.rows} rows checked; {verb} {result.created or result.rows}."))
