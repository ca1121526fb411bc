from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from shuren.web.scale import seed_scale


class Command(BaseCommand):
    help = (
        "Add a synthetic district of N residents (communities, grids, estates, buildings, dwellings, "
        "residences, tags) for benchmarks. It lives in its own district (code SCALE); running again adds more."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--residents", type=int, required=True, help="How many residents to add.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (the same seed gives the same data).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["residents"] < 1:
            raise CommandError(_("--residents must be at least 1."))
        started = time.perf_counter()
        report = seed_scale(
            options["residents"], seed=options["seed"], progress=lambda line: self.stderr.write(line, ending="\r")
        )
        seconds = time.perf_counter() - started
        self.stderr.write("")
        self.stdout.write(
            _(
                "%(residents)d residents in %(communities)d communities, %(buildings)d buildings, "
                "%(dwellings)d dwellings; %(seconds).1f s (%(rate)d residents/s)."
            )
            % {
                "residents": report.residents,
                "communities": report.communities,
                "buildings": report.buildings,
                "dwellings": report.dwellings,
                "seconds": seconds,
                "rate": report.residents / seconds if seconds else 0,
            }
        )
