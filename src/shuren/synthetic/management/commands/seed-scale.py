from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from shuren.synthetic.district import scale_communities, scale_district, seed_places, seed_scale


class Command(BaseCommand):
    help = (
        "Add a synthetic district for benchmarks (its own district, code SCALE; running again adds more): "
        "--residents N residents with communities, grids, estates, buildings, dwellings, residences and tags; "
        "--appeals N appeals of the last two years over its buildings and estates (communities without "
        "residents are laid out first where the district has fewer than one per 40,000 appeals); "
        "--activity two years of volunteering, points, governance lists, meetings and ballots for every "
        "community with residents that has none yet."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--residents", type=int, default=0, help="How many residents to add.")
        parser.add_argument("--appeals", type=int, default=0, help="How many appeals to add.")
        parser.add_argument(
            "--appeal-timeline",
            choices=["none", "submit", "full"],
            default="submit",
            help="Timeline events of each appeal: none, the submission only (default), or every step.",
        )
        parser.add_argument(
            "--activity",
            action="store_true",
            help="Give every community with residents and no activity yet two years of activity, in proportion "
            "to its residents (communities that have it are left alone).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (the same seed gives the same data).")

    def handle(self, *args: Any, **options: Any) -> None:
        residents, appeals, activity = options["residents"], options["appeals"], options["activity"]
        if residents < 0 or appeals < 0 or (residents + appeals < 1 and not activity):
            raise CommandError(_("Give --residents N or --appeals N (at least 1)."))

        def progress(line: str) -> None:
            self.stderr.write(line, ending="\r")

        if residents:
            started = time.perf_counter()
            report = seed_scale(residents, seed=options["seed"], progress=progress)
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
        if appeals:
            self._seed_appeals(appeals, options, progress)
        if activity:
            self._seed_activity(options)

    def _seed_activity(self, options: dict[str, Any]) -> None:
        from shuren.synthetic.activity import seed_activity

        started = time.perf_counter()

        def log(line: str) -> None:
            self.stderr.write(line.strip())

        report = seed_activity(seed=options["seed"], progress=log)
        seconds = time.perf_counter() - started
        counts = report.counts
        self.stdout.write(
            _(
                "Activity of %(communities)d communities (%(skipped)d already had theirs): %(party)d party "
                "members, %(volunteers)d volunteers, %(activities)d activities, %(records)d service records, "
                "%(transactions)d ledger transactions, %(redemptions)d redemptions, %(items)d governance items, "
                "%(meetings)d meetings, %(ballots)d ballots; %(rows)d rows in %(seconds).1f s (%(rate)d rows/s)."
            )
            % {
                "communities": report.communities,
                "skipped": report.skipped,
                "volunteers": counts["volunteers"],
                "party": counts["party members"],
                "activities": counts["activities"],
                "records": counts["service records"],
                "transactions": counts["ledger transactions"],
                "redemptions": counts["redemptions"],
                "items": counts["governance items"],
                "meetings": counts["meetings"],
                "ballots": counts["ballots"],
                "rows": report.rows,
                "seconds": seconds,
                "rate": report.rows / seconds if seconds else 0,
            }
        )

    def _seed_appeals(self, appeals: int, options: dict[str, Any], progress: Any) -> None:
        from shuren.appeals.models import Appeal
        from shuren.synthetic.appeals import communities_needed, seed_appeals

        started = time.perf_counter()
        district = scale_district()
        existing = Appeal.objects.filter(scope__startswith=district.path + ".").count()
        missing = communities_needed(existing + appeals) - scale_communities(district)
        if missing > 0:
            places = seed_places(missing, seed=options["seed"], progress=progress)
            self.stderr.write("")
            self.stdout.write(
                _("%(communities)d communities without residents, %(buildings)d buildings; %(seconds).1f s.")
                % {
                    "communities": places.communities,
                    "buildings": places.buildings,
                    "seconds": time.perf_counter() - started,
                }
            )
        started = time.perf_counter()

        def log(line: str) -> None:  # a line each 50,000 appeals, with the time so far
            self.stderr.write(f"{time.perf_counter() - started:7.1f} s  {line.strip()}")

        report = seed_appeals(
            appeals, area=district, seed=options["seed"], timeline=options["appeal_timeline"], progress=log
        )
        seconds = time.perf_counter() - started
        self.stdout.write(
            _(
                "%(appeals)d appeals (%(open)d open, %(overdue)d of them overdue), %(events)d timeline events, "
                "%(organizations)d new organisations; %(seconds).1f s (%(rate)d appeals/s)."
            )
            % {
                "appeals": report.appeals,
                "open": report.open,
                "overdue": report.overdue,
                "events": report.events,
                "organizations": report.organizations,
                "seconds": seconds,
                "rate": report.appeals / seconds if seconds else 0,
            }
        )
