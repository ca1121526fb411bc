"""What the ballots API's views share: the base view, the caller, and the ballot answered with its ETag."""

from __future__ import annotations

from rest_framework import status
from rest_framework.response import Response

from shuren.api.base import ServiceAPIView
from shuren.core.concurrency import etag_for

from .. import selectors
from ..models import Ballot
from .serializers import BallotSerializer


def ballot_response(ballot: Ballot, *, status_code: int = status.HTTP_200_OK) -> Response:
    ballot = selectors.ballot_with_places(ballot)
    response = Response(BallotSerializer(ballot).data, status=status_code)
    response["ETag"] = etag_for(ballot)
    return response


class BallotAPIView(ServiceAPIView):
    """Turns the services' Django ValidationErrors into 400 problems naming the fields."""
