"""REST API of owners' ballots (/api/v1/ballots/): list, detail and drafting for staff, opening and
closing with If-Match or ``version``, online votes by owners, paper votes entered by staff, and the
tally with its arithmetic. Errors are problem+json; a repeated vote answers 409 ``already-voted``
naming who voted and when."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from shuren.api.base import ServiceAPIView
from shuren.api.pagination import PageNumberPagination, paginated
from shuren.api.permissions import ActionByMethod, HasAction
from shuren.api.schema import LIST_OF_OBJECTS
from shuren.api.serializers import StrictSerializer
from shuren.conventions.models import ConventionVersion
from shuren.core.concurrency import etag_for, expected_version
from shuren.core.errors import OutOfScope
from shuren.core.scoping import resolve
from shuren.places.models import Area, Building, Estate, Unit

from . import services
from .models import Ballot, BallotRule, BallotVote, Matter, VoteChoice
from .selectors import ballot_for, ballots_of_owner, turnout, visible_ballots
from .tally import describe_all

# --- serializers ----------------------------------------------------------------------------------


class MatterSerializer(serializers.ModelSerializer):
    rule = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Matter
        fields = ["id", "position", "title", "description", "civil_code_item", "rule", "convention_version", "passed"]


class BallotSerializer(serializers.ModelSerializer):
    place = serializers.CharField(source="place_label", read_only=True)
    matters = MatterSerializer(many=True, read_only=True)

    class Meta:
        model = Ballot
        fields = [
            "id",
            "reference",
            "title",
            "description",
            "status",
            "place",
            "area",
            "estate",
            "building",
            "unit",
            "opens_at",
            "closes_at",
            "electorate_frozen_at",
            "total_area",
            "total_owners",
            "closed_at",
            "version",
            "matters",
        ]


class PlaceInScope(serializers.PrimaryKeyRelatedField):
    """A place named by id, resolved among those where the caller manages ballots
    (core.scoping.resolve): 404 alike when it does not exist and when it lies elsewhere."""

    def to_internal_value(self, data: Any) -> Any:
        return resolve(self.context["request"].user, "ballots.manage", self.get_queryset(), data)


class BallotCreateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    area = PlaceInScope(queryset=Area.objects.all(), required=False, allow_null=True)
    estate = PlaceInScope(queryset=Estate.objects.all(), required=False, allow_null=True)
    building = PlaceInScope(queryset=Building.objects.all(), required=False, allow_null=True)
    unit = PlaceInScope(queryset=Unit.objects.all(), required=False, allow_null=True)
    opens_at = serializers.DateTimeField(required=False, allow_null=True)
    closes_at = serializers.DateTimeField()


class MatterCreateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    civil_code_item = serializers.IntegerField(min_value=1, max_value=9, required=False, allow_null=True)
    rule = serializers.SlugRelatedField(
        slug_field="code", queryset=BallotRule.objects.all(), required=False, allow_null=True
    )
    convention_version = serializers.PrimaryKeyRelatedField(
        queryset=ConventionVersion.objects.all(), required=False, allow_null=True
    )


class BallotVersionSerializer(StrictSerializer):
    version = serializers.IntegerField(required=False)


class CancelSerializer(BallotVersionSerializer):
    reason = serializers.CharField(max_length=500)


class VoteSerializer(StrictSerializer):
    choice = serializers.ChoiceField(choices=VoteChoice.choices)
    voter = serializers.IntegerField(required=False, help_text="Needed only when you own dwellings of several voters.")


class PaperVoteSerializer(StrictSerializer):
    voter = serializers.IntegerField()
    choice = serializers.ChoiceField(choices=VoteChoice.choices)
    paper_number = serializers.CharField(max_length=40)


class VoteOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = BallotVote
        fields = ["id", "matter", "voter", "choice", "channel", "paper_number", "recorded_at"]


# --- views ----------------------------------------------------------------------------------------


def ballot_response(ballot: Ballot, *, status_code: int = status.HTTP_200_OK) -> Response:
    ballot = Ballot.objects.select_related("area", "estate", "building", "unit").get(pk=ballot.pk)
    response = Response(BallotSerializer(ballot).data, status=status_code)
    response["ETag"] = etag_for(ballot)
    return response


class BallotAPIView(ServiceAPIView):
    """Turns the services' Django ValidationErrors into 400 problems naming the fields."""


class BallotListView(BallotAPIView):
    permission_classes = [ActionByMethod({"GET": "ballots.view", "POST": "ballots.manage"})]

    @extend_schema(operation_id="ballots_list", responses=paginated(BallotSerializer))
    def get(self, request: Request) -> Response:
        ballots = visible_ballots(request.user).prefetch_related("matters__rule").order_by("-created_at")
        status_filter = request.query_params.get("status")
        if status_filter:
            ballots = ballots.filter(status=status_filter)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(ballots, request, view=self)
        return paginator.get_paginated_response(BallotSerializer(page, many=True).data)

    @extend_schema(request=BallotCreateSerializer, responses={201: BallotSerializer})
    def post(self, request: Request) -> Response:
        body = BallotCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        ballot = services.create_ballot(request.user, **body.validated_data)
        return ballot_response(ballot, status_code=status.HTTP_201_CREATED)


class BallotDetailView(BallotAPIView):
    permission_classes = [HasAction("ballots.view")]

    @extend_schema(responses=BallotSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return ballot_response(ballot_for(request.user, pk))


class MatterListView(BallotAPIView):
    permission_classes = [ActionByMethod({"GET": "ballots.view", "POST": "ballots.manage"})]

    @extend_schema(responses=MatterSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        ballot = ballot_for(request.user, pk)
        return Response(MatterSerializer(services.matters_in_order(ballot), many=True).data)

    @extend_schema(request=MatterCreateSerializer, responses={201: MatterSerializer})
    def post(self, request: Request, pk: int) -> Response:
        ballot = ballot_for(request.user, pk, "ballots.manage")
        body = MatterCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        matter = services.add_matter(request.user, ballot, **body.validated_data)
        return Response(MatterSerializer(matter).data, status=status.HTTP_201_CREATED)


class _TransitionView(BallotAPIView):
    permission_classes = [HasAction("ballots.manage")]
    body_serializer: type[BallotVersionSerializer] = BallotVersionSerializer

    def perform(self, request: Request, ballot: Ballot, version: int, data: dict[str, Any]) -> Ballot:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        ballot = ballot_for(request.user, pk, "ballots.manage")
        body = self.body_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = expected_version(
            ballot, if_match=request.headers.get("If-Match"), body_version=data.pop("version", None)
        )
        return ballot_response(self.perform(request, ballot, version, data))


@extend_schema(request=BallotVersionSerializer, responses=BallotSerializer)
class BallotOpenView(_TransitionView):
    """Open voting: the electorate is fixed from the registry (400 while a dwelling lacks its area)."""

    def perform(self, request: Request, ballot: Ballot, version: int, data: dict[str, Any]) -> Ballot:
        return services.open_ballot(request.user, ballot, version=version)


@extend_schema(request=BallotVersionSerializer, responses=BallotSerializer)
class BallotCloseView(_TransitionView):
    """Close voting and count every matter by the art. 278 double majority."""

    def perform(self, request: Request, ballot: Ballot, version: int, data: dict[str, Any]) -> Ballot:
        return services.close_ballot(request.user, ballot, version=version)


@extend_schema(request=CancelSerializer, responses=BallotSerializer)
class BallotCancelView(_TransitionView):
    body_serializer = CancelSerializer

    def perform(self, request: Request, ballot: Ballot, version: int, data: dict[str, Any]) -> Ballot:
        return services.cancel_ballot(request.user, ballot, version=version, reason=data["reason"])


class VoteView(BallotAPIView):
    """An owner's own vote on a matter, for all the dwellings of their voter. Final once cast."""

    permission_classes = [HasAction("ballots.vote")]

    @extend_schema(request=VoteSerializer, responses={201: VoteOutSerializer})
    def post(self, request: Request, pk: int, matter_pk: int) -> Response:
        ballot = get_object_or_404(ballots_of_owner(request.user), pk=pk)
        matter = get_object_or_404(Matter, pk=matter_pk, ballot=ballot)
        body = VoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        voters = services.voters_of_user(request.user, ballot)
        wanted = body.validated_data.get("voter")
        if wanted is not None:
            voters = [v for v in voters if v.pk == wanted]
        if len(voters) != 1:
            if not voters:
                raise OutOfScope()
            raise serializers.ValidationError({"voter": ["You own dwellings of several voters: name the voter."]})
        vote = services.cast_vote(request.user, matter, voter=voters[0], choice=body.validated_data["choice"])
        return Response(VoteOutSerializer(vote).data, status=status.HTTP_201_CREATED)


class PaperVoteView(BallotAPIView):
    """Staff enter a paper ballot for one matter (never replacing a recorded vote)."""

    permission_classes = [HasAction("ballots.manage")]

    @extend_schema(request=PaperVoteSerializer, responses={201: VoteOutSerializer})
    def post(self, request: Request, pk: int, matter_pk: int) -> Response:
        ballot = ballot_for(request.user, pk, "ballots.manage")
        matter = get_object_or_404(Matter, pk=matter_pk, ballot=ballot)
        body = PaperVoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        voter = get_object_or_404(ballot.voters, pk=body.validated_data["voter"])
        vote = services.record_paper_vote(
            request.user,
            matter,
            voter=voter,
            choice=body.validated_data["choice"],
            paper_number=body.validated_data["paper_number"],
        )
        return Response(VoteOutSerializer(vote).data, status=status.HTTP_201_CREATED)


class TallyView(BallotAPIView):
    """Each matter's result with the arithmetic (provisional while voting is open), and turnout."""

    permission_classes = [HasAction("ballots.view")]

    @extend_schema(responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        ballot = ballot_for(request.user, pk)
        matters = []
        if ballot.status in ("open", "closed"):
            for matter in services.matters_in_order(ballot):
                result = matter.result if ballot.status == "closed" else services.count_matter(matter)
                matters.append(
                    {
                        "id": matter.pk,
                        "position": matter.position,
                        "title": matter.title,
                        "passed": result["passed"],
                        "result": result,
                        "lines": [check["line"] for check in describe_all(result)],
                    }
                )
        data = {
            "ballot": ballot.pk,
            "status": ballot.status,
            "provisional": ballot.status == "open",
            "total_area": str(ballot.total_area),
            "total_owners": ballot.total_owners,
            "turnout": [
                {"matter": t.matter.pk, "owners": t.owners, "area": str(t.area), "online": t.online, "paper": t.paper}
                for t in (turnout(ballot) if ballot.status == "open" else [])
            ],
            "matters": matters,
        }
        return Response(data)


class RuleListView(BallotAPIView):
    """The rules in use (reference data, not tied to a place)."""

    permission_classes = [HasAction("ballots.view")]

    @extend_schema(responses={200: LIST_OF_OBJECTS})
    def get(self, request: Request) -> Response:
        return Response(
            [
                {
                    "code": r.code,
                    "name": r.name,
                    "participation": f"{r.participation_numerator}/{r.participation_denominator}",
                    "participation_strict": r.participation_strict,
                    "pass": f"{r.pass_numerator}/{r.pass_denominator}",
                    "pass_strict": r.pass_strict,
                    "pass_base": r.pass_base,
                    "is_major": r.is_major,
                }
                for r in BallotRule.objects.filter(is_active=True)
            ]
        )
