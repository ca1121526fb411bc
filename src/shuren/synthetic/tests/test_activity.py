"""`shuren seed-scale --activity`: two years of volunteering, points, governance lists, meetings and
ballots for the synthetic district, as rows the application itself would have written. The district
is kept small (two communities of 1,200 residents); timings belong to bench/."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from shuren.ballots.models import Ballot, Matter, Voter
from shuren.ballots.selectors import count_matter
from shuren.core.validators import parse_id_number
from shuren.core.workdays import WorkingCalendar
from shuren.governance.models import Claim, ClaimStatus, GovernanceItem, ItemStatus
from shuren.governance.selectors import overdue_q
from shuren.governance.services.items import reference_for as item_reference
from shuren.meetings.models import (
    ActionItem,
    ActionStatus,
    Attendance,
    Invitation,
    Meeting,
    MeetingStatus,
    Minutes,
    Resolution,
)
from shuren.meetings.services.scheduling import reference_for as meeting_reference
from shuren.people.models import PartyMembership, Person, pinyin_of
from shuren.places.models import Area, AreaKind
from shuren.points.models import (
    Account,
    AccountKind,
    LedgerEntry,
    LedgerTransaction,
    Redemption,
    RedemptionStatus,
    Reward,
    TransactionKind,
)
from shuren.points.selectors import overview
from shuren.points.services.crediting import service_points
from shuren.synthetic import activity as scale_activity
from shuren.synthetic import governance as scale_governance
from shuren.synthetic import timing
from shuren.synthetic.activity import seed_activity
from shuren.synthetic.bulk_rows import BulkWriter, copy_text, copy_text_python
from shuren.synthetic.district import GIVEN, GIVEN_FEMALE, GIVEN_MALE, SURNAMES, scale_district, seed_scale
from shuren.volunteering.models import (
    Activity,
    ActivityStatus,
    ProfileStatus,
    ServiceRecord,
    SignUp,
    SignUpStatus,
    VolunteerProfile,
)
from shuren.volunteering.services.activities import reference_for as activity_reference
from shuren.volunteering.services.records import proposed_minutes

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
RESIDENTS = 1_200  # a community each call of seed_scale


def quiet(_line: str) -> None:
    pass


def communities(district: Area) -> list[Area]:
    return list(Area.objects.filter(kind=AreaKind.COMMUNITY, path__startswith=district.path + ".").order_by("path"))


def in_scope(community: Area, scope: str) -> bool:
    return scope == community.path or scope.startswith(community.path + ".")


def sequence_positions() -> list[tuple[str, int | None]]:
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences")
        return cursor.fetchall()


def restore_sequences(positions: list[tuple[str, int | None]]) -> None:
    with connection.cursor() as cursor:
        for name, value in positions:
            cursor.execute("SELECT setval(%s, %s, %s)", [name, value or 1, value is not None])


@pytest.fixture(scope="class")
def district(django_db_setup, django_db_blocker):
    """Two communities of residents with their activity, built once for the tests of the class (in
    a transaction rolled back after them)."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_scale(RESIDENTS, seed=7, progress=quiet)
        seed_scale(RESIDENTS, seed=8, progress=quiet)
        report = seed_activity(seed=7, now=NOW, progress=quiet)
        yield scale_district(), report
        transaction.set_rollback(True)


class TestTwoCommunities:
    """The invariants users rely on, over one district built for the whole class."""

    @pytest.mark.django_db
    def test_each_community_gets_activity_in_proportion_to_its_residents(self, district):
        area, report = district
        assert report.communities == 2 and report.skipped == 0 and report.rows > 0
        for community in communities(area):
            residents = Person.objects.filter(community=community).count()
            volunteers = VolunteerProfile.objects.filter(community=community)
            assert volunteers.count() == pytest.approx(residents * 0.05, rel=0.1)
            # 96 % approved on average (3 % awaiting approval, 1 % suspended): with about 60
            # volunteers a community, 85 % leaves room for chance without hiding a change of rule.
            assert volunteers.filter(status=ProfileStatus.APPROVED).count() > 0.85 * volunteers.count()
            party = PartyMembership.objects.filter(person__community=community).count()
            assert party == pytest.approx(residents * 0.035, rel=0.1)
            records = ServiceRecord.objects.filter(person__community=community).count()
            assert 10 * volunteers.count() < records < 40 * volunteers.count()  # a few a month for the active
            assert GovernanceItem.objects.filter(scope__startswith=community.path).exists()
            assert Meeting.objects.filter(scope__startswith=community.path).exists()
            assert Reward.objects.filter(community=community).count() >= 5
        assert Ballot.objects.filter(scope__startswith=area.path).exists()

    @pytest.mark.django_db
    def test_party_members_serve_toward_their_fifty_hours(self, district):
        area, _report = district
        year = NOW.year - 1  # the last whole year
        hours = defaultdict(int)
        for person, minutes in ServiceRecord.objects.filter(
            served_on__year=year, scope__startswith=area.path
        ).values_list("person", "minutes"):
            hours[person] += minutes
        members = set(
            PartyMembership.objects.filter(person__volunteer_profile__isnull=False).values_list("person", flat=True)
        )
        others = {p for p in hours if p not in members}
        member_hours = sorted(hours[p] / 60 for p in members)
        assert 25 < member_hours[len(member_hours) // 2] < 70  # the median party member is near the target
        assert any(h >= 50 for h in member_hours) and any(h < 50 for h in member_hours)
        assert sum(hours[p] for p in others) / max(1, len(others)) < sum(hours[p] for p in members) / len(members)

    @pytest.mark.django_db
    def test_volunteering_rows_are_what_the_services_would_write(self, district):
        area, _report = district
        for community in communities(area):
            activities = Activity.objects.filter(scope__startswith=community.path).select_related("area", "team")
            for activity in activities[::25]:
                activity.full_clean()
                assert activity.reference == activity_reference(activity)
                assert activity.team.kind == "volunteer_team" and activity.team.scope == community.path
                assert in_scope(community, activity.scope) and activity.published_at <= NOW
                confirmed = activity.signups.filter(status=SignUpStatus.CONFIRMED).count()
                assert confirmed <= activity.capacity
        for signup in SignUp.objects.filter(checkin__isnull=False).select_related("activity", "checkin")[::40]:
            record = ServiceRecord.objects.get(signup=signup, corrects__isnull=True)
            assert record.proposed_minutes == proposed_minutes(signup, at=NOW)
            assert record.served_on == signup.activity.starts_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
            assert record.person_id == signup.person_id and record.scope == signup.activity.scope
            assert signup.activity.status == ActivityStatus.FINISHED
            record.full_clean()
            assert signup.queued_at <= signup.activity.starts_at <= record.confirmed_at <= NOW
        # Volunteers signed up once their registration was approved; nobody has two active sign-ups.
        served = ServiceRecord.objects.filter(scope__startswith=area.path, corrects__isnull=True)
        assert served.exists()
        approved = served.filter(person__volunteer_profile__status=ProfileStatus.APPROVED)
        assert not approved.filter(person__volunteer_profile__decided_at__gt=F("signup__queued_at")).exists()
        assert not served.exclude(person__volunteer_profile__status__in=["approved", "suspended"]).exists()
        active = SignUp.objects.filter(status__in=["confirmed", "waitlisted"]).values("activity", "person")
        assert not active.annotate(n=Count("pk")).filter(n__gt=1).exists()

    @pytest.mark.django_db
    def test_activities_are_in_the_daytime_on_the_days_their_titles_say_and_the_coming_ones_open(self, district):
        area, _report = district
        calendar = WorkingCalendar()
        activities = list(Activity.objects.filter(scope__startswith=area.path))
        weekend = 0
        for activity in activities:
            assert timing.fits(activity.title, activity.starts_at, calendar.is_working_day), (
                activity.title,
                timezone.localtime(activity.starts_at),
            )
            weekend += timing.day_rule(activity.title) == timing.WEEKEND
            if "暑期" in activity.title:
                assert timezone.localtime(activity.starts_at).month in (7, 8)
        assert weekend > 0
        coming = [a for a in activities if a.starts_at > NOW]
        assert coming and all(a.status == ActivityStatus.PUBLISHED for a in coming)
        for activity in coming:
            assert activity.signup_closes_at is None or activity.signup_closes_at > NOW
            assert activity.signups.filter(status=SignUpStatus.CONFIRMED).count() < activity.capacity
        finished = Activity.objects.filter(scope__startswith=area.path, status=ActivityStatus.FINISHED)
        assert not finished.exclude(signups__checkin__isnull=False).exists()  # people came to each

    @pytest.mark.django_db
    def test_few_items_are_overdue_and_only_recently_with_a_reason(self, district):
        area, _report = district
        today = timezone.localdate(NOW)
        for community in communities(area):
            items = GovernanceItem.objects.filter(scope__startswith=community.path)
            overdue = list(items.filter(overdue_q(today)))
            assert len(overdue) <= scale_governance.OVERDUE_PER_COMMUNITY
            for item in overdue:
                assert (today - item.due_on).days <= scale_governance.OVERDUE_DAYS
                assert item.updates.filter(kind="note", text__startswith="逾期说明").exists()
            old = items.filter(created_at__lt=NOW - dt.timedelta(days=90))
            assert not old.filter(status__in=scale_governance.UNFINISHED).exists()
            # Deadlines that ran out on unfinished items were moved, as an edit on the timeline says.
            for item in items.filter(status__in=scale_governance.UNFINISHED).exclude(pk__in=[i.pk for i in overdue]):
                assert item.due_on >= today

    @pytest.mark.django_db
    def test_the_ledger_balances_to_zero_and_every_balance_is_its_entries(self, district):
        area, _report = district
        entries = LedgerEntry.objects.filter(account__scope__startswith=area.path)
        assert entries.exists()
        assert entries.aggregate(total=Sum("amount"))["total"] == 0
        unbalanced = LedgerTransaction.objects.annotate(total=Sum("entries__amount")).exclude(
            Q(total=0) | Q(total__isnull=True)
        )
        assert not unbalanced.exists()
        running: dict[int, int] = defaultdict(int)
        for account_id, amount, after in entries.order_by("created_at", "pk").values_list(
            "account_id", "amount", "balance_after"
        ):
            running[account_id] += amount
            assert after == running[account_id]
        for account in Account.objects.filter(scope__startswith=area.path):
            assert account.balance == running.get(account.pk, 0)
            assert account.balance >= 0 or account.kind == AccountKind.ISSUED
            account.full_clean()

    @pytest.mark.django_db
    def test_each_service_record_is_credited_once_by_the_crediting_rules(self, district):
        area, _report = district
        records = list(
            ServiceRecord.objects.filter(scope__startswith=area.path).select_related(
                "person__community", "activity", "corrects__activity"
            )
        )
        keys = dict(
            LedgerTransaction.objects.filter(source_key__startswith="volunteering.record:").values_list(
                "source_key", "pk"
            )
        )
        amounts = dict(
            LedgerEntry.objects.filter(
                transaction__source_key__startswith="volunteering.record:", account__kind="person"
            )
            .values_list("transaction__source_key")
            .annotate(total=Sum("amount"))
        )
        credited = 0
        by_person: dict[int, tuple[int, int]] = defaultdict(lambda: (0, 0))
        rng = random.Random(1)
        for record in records:
            key = f"volunteering.record:{record.pk}"
            points, _rule = service_points(record) if rng.random() < 0.2 or record.corrects_id else (None, None)
            if points is None:
                assert key in keys  # positive minutes always earn points under the seeded rules
                continue
            if points > 0:
                assert amounts[key] == points
                credited += 1
            elif points < 0:  # a correction taking hours away debits at most what the volunteer holds
                assert points <= amounts.get(key, 0) <= 0
            minutes, earned = by_person[record.person_id]
            by_person[record.person_id] = (minutes + record.minutes, earned + amounts.get(key, 0))
        assert credited > 0
        assert len(keys) == len({r.pk for r in records})  # one transaction per record, and no other
        for _person, (minutes, earned) in by_person.items():
            assert (minutes > 0) == (earned > 0)

    @pytest.mark.django_db
    def test_each_communitys_points_overview_reconciles(self, district):
        area, _report = district
        for community in communities(area):
            figures = overview(community)
            assert figures.reconciles
            assert figures.issued > 0 and figures.redeemed > 0 and figures.outstanding > 0
            assert figures.expired == 0
            redemptions = Redemption.objects.filter(reward__community=community)
            assert redemptions.filter(status=RedemptionStatus.FULFILLED).exists()
            for redemption in redemptions.select_related("transaction", "refund", "reward")[::10]:
                redemption.full_clean()
                assert redemption.transaction.kind == TransactionKind.REDEMPTION
                assert (redemption.refund is not None) == (redemption.status == RedemptionStatus.CANCELLED)
                if redemption.refund is not None:
                    assert redemption.refund.reverses_id == redemption.transaction_id
            for reward in Reward.objects.filter(community=community):
                reward.full_clean()  # the stock never went below zero
                if reward.per_person_limit:
                    worst = (
                        reward.redemptions.exclude(status=RedemptionStatus.CANCELLED)
                        .values("account")
                        .annotate(n=Count("pk"))
                        .order_by("-n")
                        .first()
                    )
                    assert worst is None or worst["n"] <= reward.per_person_limit

    @pytest.mark.django_db
    def test_governance_items_and_claims_are_in_the_community_and_hold_one_claim_at_a_time(self, district):
        area, _report = district
        for community in communities(area):
            items = GovernanceItem.objects.filter(scope__startswith=community.path).select_related(
                "area", "building", "governance_list"
            )
            assert {ItemStatus.DONE, ItemStatus.OPEN} <= set(items.values_list("status", flat=True))
            for item in items:
                assert item.scope == (item.building.scope if item.building_id else item.area.path)
                assert item.governance_list is None or item.governance_list.scope == community.path
                assert item.reference == item_reference(item)
                active = item.claims.filter(status=ClaimStatus.ACTIVE)
                if item.status in (ItemStatus.CLAIMED, ItemStatus.SUBMITTED):
                    assert active.count() == 1
                    assert item.status == ItemStatus.SUBMITTED or active.get().lapses_at > NOW  # nothing to lapse yet
                else:
                    assert not active.exists()
                if item.status == ItemStatus.DONE:
                    claim = item.claims.get(status=ClaimStatus.COMPLETED)
                    assert item.verified_at and item.verified_at <= NOW
                    key = f"governance.verified:{item.pk}:{claim.pk}"
                    assert LedgerTransaction.objects.filter(source_key=key).exists()
                at = list(item.updates.values_list("at", flat=True))
                assert at == sorted(at) and at[-1] <= NOW
            for item in items[::15]:
                item.full_clean()
            for claim in Claim.objects.filter(item__scope__startswith=community.path).select_related("person")[::10]:
                claim.full_clean()
                assert claim.organization_id or in_scope(community, claim.person.scope)

    @pytest.mark.django_db
    def test_meetings_are_held_in_the_community_with_their_counts_and_action_items(self, district):
        area, _report = district
        for community in communities(area):
            meetings = Meeting.objects.filter(scope__startswith=community.path)
            assert meetings.filter(status=MeetingStatus.PUBLISHED).exists()
            for meeting in meetings.select_related("area", "building")[::5]:
                meeting.full_clean()
                assert meeting.reference == meeting_reference(meeting)
                assert meeting.scope == (meeting.building.scope if meeting.building_id else meeting.area.path)
                held = meeting.status in (MeetingStatus.HELD, MeetingStatus.PUBLISHED)
                assert Minutes.objects.filter(meeting=meeting).exists() == held
                assert held or not meeting.attendances.exists()
                for resolution in Resolution.objects.filter(meeting=meeting):
                    present = meeting.attendances.filter(is_voting=True).count()
                    assert resolution.voting_members_present == present
                    assert resolution.voting_members_invited == meeting.invitations.filter(is_voting=True).count()
                    assert resolution.votes_for + resolution.votes_against + resolution.votes_abstain <= present
            actions = ActionItem.objects.filter(meeting__scope__startswith=community.path).select_related("meeting")
            assert actions.filter(status=ActionStatus.DONE).count() > actions.count() / 2
            for action in actions:
                assert action.scope == action.meeting.scope
                assert (action.status == ActionStatus.DONE) == (action.done_at is not None)
                assert action.status != ActionStatus.DONE or action.progress == 100
        assert (
            not Invitation.objects.values("meeting", "person")
            .filter(person__isnull=False)
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
        )
        credited = LedgerTransaction.objects.filter(source_key__startswith="meetings.attendance:").count()
        assert 0 < credited <= Attendance.objects.filter(person__isnull=False).count()

    @pytest.mark.django_db
    def test_ballots_are_counted_as_closing_them_would_count_them(self, district):
        area, _report = district
        ballots = Ballot.objects.filter(scope__startswith=area.path).select_related("building")
        assert ballots.exists()
        for ballot in ballots:
            ballot.full_clean()
            assert ballot.total_owners == Voter.objects.filter(ballot=ballot).count()
            assert ballot.total_area == sum((v.area for v in ballot.voters.all()), Decimal("0.00"))
            for matter in Matter.objects.filter(ballot=ballot).select_related("rule", "ballot"):
                assert matter.result == count_matter(matter)
                assert matter.passed is matter.result["passed"]

    @pytest.mark.django_db
    def test_running_again_leaves_communities_with_activity_alone(self, district):
        area, _report = district
        before = LedgerTransaction.objects.count(), ServiceRecord.objects.count(), Meeting.objects.count()
        again = seed_activity(seed=7, now=NOW, progress=quiet)
        assert (again.communities, again.skipped, again.rows) == (0, 2, 0)
        assert (LedgerTransaction.objects.count(), ServiceRecord.objects.count(), Meeting.objects.count()) == before
        seed_scale(300, seed=9, progress=quiet)  # a new community: it gets its activity, the others nothing
        more = seed_activity(seed=7, now=NOW, progress=quiet)
        assert (more.communities, more.skipped) == (1, 2)
        assert ServiceRecord.objects.count() > before[1]

    @pytest.mark.django_db
    def test_the_same_seed_gives_the_same_activity(self, district):
        seed_scale(300, seed=10, progress=quiet)
        (community,), _done = scale_activity.communities_without_activity(scale_district())
        staff = scale_activity._staff(community)
        texts = []
        positions = sequence_positions()
        for _run in range(2):
            restore_sequences(positions)  # the same ids for both runs (PostgreSQL draws them from sequences)
            writer = BulkWriter(collect=True)
            scale_activity._community(community, staff, 11, NOW.timestamp(), writer)
            writer.flush()
            texts.append(writer.collected())
        assert texts[0] == texts[1] and sum(n for _label, _text, n in texts[0]) > 1000

    @pytest.mark.django_db
    def test_the_command_reports_the_activity(self, district, capsys):
        seed_scale(300, seed=12, progress=quiet)
        call_command("seed-scale", "--activity")
        out = capsys.readouterr().out
        community = communities(scale_district())[-1]  # the new one
        records = ServiceRecord.objects.filter(scope__startswith=community.path).count()
        meetings = Meeting.objects.filter(scope__startswith=community.path).count()
        assert records and f"{records}" in out and f"{meetings}" in out


def test_copy_text_is_the_same_with_psycopg_or_python():
    rows = [
        [1, "SCALE.01.001", SignUpStatus.CONFIRMED, None, True, False, Decimal("60.50"), 2**40],
        [
            2,
            "带\t制表符\\和\n换行",
            "",
            dt.date(2025, 1, 2),
            dt.datetime(2025, 3, 4, 5, 6, 7, 89, tzinfo=dt.UTC),
            0,
            -3,
            None,
        ],
    ]
    assert copy_text(rows) == copy_text_python(rows)


@pytest.mark.django_db
def test_residents_are_stored_as_the_orm_would_store_them():
    seed_scale(400, seed=13, progress=quiet)
    people = list(Person.objects.filter(scope__startswith=scale_district().path + ".").order_by("pk"))
    for person in people[::7]:
        stored = (person.id_index, person.phone_index, person.phone_tail, person.name_pinyin, person.name_initials)
        person.derive_fields()  # what Person.save computes
        assert stored == (
            person.id_index,
            person.phone_index,
            person.phone_tail,
            person.name_pinyin,
            person.name_initials,
        )
        if person.id_number:  # decrypted by the field: it was encrypted by it
            parsed = parse_id_number(person.id_number)
            assert (person.birth_date, person.gender) == (parsed.birth_date, parsed.sex)
            # A man's or a woman's given name, as the ID number says.
            assert set(person.name[1:]) <= set(GIVEN_MALE if person.gender == "M" else GIVEN_FEMALE)
        person.full_clean(exclude=["user"])
    rng = random.Random(3)
    for _ in range(300):  # a name's pinyin is its characters' pinyin, as the generator assumes
        name = rng.choice(SURNAMES[:-2]) + rng.choice(GIVEN) + rng.choice(["", *GIVEN])
        assert pinyin_of(name) == tuple("".join(pinyin_of(c)[i] for c in name) for i in (0, 1))


@pytest.mark.postgres_only  # worker processes on connections of their own, indexes deferred
@pytest.mark.django_db(transaction=True)
def test_a_large_load_with_workers_and_deferred_indexes_leaves_the_same_guarantees(monkeypatch):
    seed_scale(500, seed=14, progress=quiet)
    seed_scale(500, seed=15, progress=quiet)

    def indexes() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = ANY(%s)",
                [[m._meta.db_table for m in scale_activity.DEFERRED_TABLES]],
            )
            return {name for (name,) in cursor.fetchall()}

    before = indexes()
    monkeypatch.setattr(scale_activity, "DEFER_INDEXES_FROM", 1)
    monkeypatch.setattr(scale_activity, "estimated_rows", lambda model: 0)
    lines: list[str] = []
    report = seed_activity(seed=7, now=NOW, workers=2, progress=lines.append)
    assert report.communities == 2 and any("recreated" in line for line in lines)
    assert indexes() == before
    entries = LedgerEntry.objects.all()
    assert entries.aggregate(total=Sum("amount"))["total"] == 0
    for account in Account.objects.annotate(total=Sum("entries__amount")):
        assert account.balance == (account.total or 0)
    for community in communities(scale_district()):
        assert overview(community).reconciles
    assert (
        ServiceRecord.objects.count()
        == LedgerTransaction.objects.filter(source_key__startswith="volunteering.record:").count()
    )
