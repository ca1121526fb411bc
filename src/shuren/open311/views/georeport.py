"""GeoReport v2 endpoints at /open311/v2/ (see docs/open311.md). Every endpoint is public: reads
show only what may be published, and POST requests checks the client's ``api_key`` itself."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from contextlib import nullcontext
from decimal import Decimal, InvalidOperation
from functools import wraps
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, ValidationError
from django.core.validators import URLValidator, validate_email
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from shuren.core.permissions import public
from shuren.core.scoping import path_covers
from shuren.places.models import Building

from .. import representation, selectors
from ..errors import Open311Error
from ..rendering import FORMATS, errors, render
from ..services import ServiceRequest, authenticate_client, file_service_request
from ..throttling import Open311RateThrottle

MAX_SPAN = dt.timedelta(days=90)
MAX_DESCRIPTION = 4000
MAX_IDS = selectors.MAX_REQUESTS


def _language(request: HttpRequest) -> Any:
    """``locale=en`` (or zh-CN ...) overrides Accept-Language; Chinese is the default."""
    asked = (request.GET.get("locale") or request.POST.get("locale") or "").strip()
    if asked:
        try:
            return translation.override(translation.get_supported_language_variant(asked.lower()))
        except LookupError:
            pass
    return nullcontext()


def _unreadable_body(request: HttpRequest, fmt: str) -> HttpResponse | None:
    """The spec's 400 error (413 beyond the size limit) for a form body Django cannot read."""
    try:
        request.POST  # noqa: B018 - parse the body once, here, rather than fail inside a view
    except RequestDataTooBig:
        return errors(fmt, 413, [_("The request body is too large.")])
    except (SuspiciousOperation, MultiPartParserError, UnicodeDecodeError, LookupError, ValueError):
        return errors(fmt, 400, [_("The request body could not be read.")])
    return None


def endpoint(*methods: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Format check, method check, rate limit and language for one GeoReport endpoint; turns an
    Open311Error into the spec's error list in the format asked for."""
    allowed = set(methods) | ({"HEAD"} if "GET" in methods else set())

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, format: str, **kwargs: Any) -> HttpResponse:
            unreadable = _unreadable_body(request, format.lower())
            if unreadable is not None:
                return unreadable
            with _language(request):
                fmt = format.lower()
                if fmt not in FORMATS:
                    return errors(
                        "xml", 400, [_("Unsupported format “%(format)s”: use json or xml.") % {"format": format}]
                    )
                if request.method not in allowed:
                    response = errors(
                        fmt, 405, [_("Method %(method)s is not allowed here.") % {"method": request.method}]
                    )
                    response["Allow"] = ", ".join(sorted(allowed))
                    return response
                throttle = Open311RateThrottle()
                if not throttle.allows(request):
                    response = errors(fmt, 429, [_("Too many requests: slow down and try again shortly.")])
                    response["Retry-After"] = str(math.ceil(throttle.wait() or 1))
                    return response
                try:
                    return view(request, fmt, **kwargs)
                except Open311Error as exc:
                    return errors(fmt, exc.status, exc.descriptions)

        return csrf_exempt(wrapper)

    return decorator


def _scope(params: QueryDict) -> str:
    scope = selectors.jurisdiction_scope(params.get("jurisdiction_id"))
    if scope is None:
        raise Open311Error(404, _("jurisdiction_id was not found."))
    return scope


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


# --- discovery -----------------------------------------------------------------------------------


@public
@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET discovery.[format]: what a client needs to find and use this endpoint."""
    url = request.build_absolute_uri(reverse("open311:discovery", kwargs={"format": fmt}).rsplit("/", 1)[0])
    return render(fmt, representation.discovery(url=url), root="discovery")


# --- services ------------------------------------------------------------------------------------


@public
@endpoint("GET")
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET services.[format]: the categories open for new appeals."""
    _scope(request.GET)
    rows = [representation.service_row(category) for category in selectors.open_services()]
    return render(fmt, rows, root="services", item="service")


@public
@endpoint("GET")
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    """GET services/{service_code}.[format]."""
    _scope(request.GET)
    category = selectors.open_service(service_code)
    if category is None:
        raise Open311Error(404, _("service_code %(code)s was not found.") % {"code": service_code})
    return render(fmt, representation.service_definition(category), root="service_definition")


# --- requests ------------------------------------------------------------------------------------


@public
@endpoint("GET", "POST")
def service_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET requests.[format] searches published requests; POST files one (needs api_key)."""
    if request.method == "POST":
        return _create(request, fmt)
    scope = _scope(request.GET)
    params = request.GET
    ids = _split(params.get("service_request_id"))
    if ids:
        # The spec: service_request_id overrides every other argument.
        found = selectors.requests_by_id(scope, ids[:MAX_IDS])
    else:
        codes = _split(params.get("service_code"))
        start, end = _date_range(params)
        statuses = [s.lower() for s in _split(params.get("status"))]
        unknown = sorted(set(statuses) - {representation.OPEN, representation.CLOSED})
        if unknown:
            raise Open311Error(400, _("status must be open or closed, not %(value)s.") % {"value": ", ".join(unknown)})
        found = selectors.search_requests(
            scope,
            service_codes=codes,
            start=start,
            end=end,
            statuses=representation.statuses_for(statuses) if statuses else None,
        )
    rows = [representation.request_row(appeal) for appeal in found[: selectors.MAX_REQUESTS]]
    return render(fmt, rows, root="service_requests", item="request")


@public
@endpoint("GET")
def service_request(request: HttpRequest, fmt: str, service_request_id: str) -> HttpResponse:
    """GET requests/{service_request_id}.[format]."""
    scope = _scope(request.GET)
    appeal = selectors.public_request(scope, service_request_id)
    if appeal is None:
        raise Open311Error(404, _("service_request_id %(id)s was not found.") % {"id": service_request_id})
    return render(fmt, [representation.request_row(appeal)], root="service_requests", item="request")


@public
@endpoint("GET")
def token(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    """GET tokens/{token}.[format]: we answer POST with the id at once, but tokens still work."""
    scope = _scope(request.GET)
    appeal = selectors.appeal_for_token(token, scope)
    if appeal is None:
        raise Open311Error(404, _("token was not found."))
    return render(fmt, [representation.token_row(appeal)], root="service_requests", item="request")


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    params = request.POST
    client = authenticate_client(params.get("api_key", ""))
    if client is None:
        if not params.get("api_key", "").strip():
            raise Open311Error(403, _("api_key is missing."))
        raise Open311Error(403, _("Invalid api_key received: cannot create the request."))
    scope = _scope(params)
    if scope and not path_covers(scope, client.area.path):
        raise Open311Error(403, _("This api_key may not file requests in this jurisdiction_id."))
    code = params.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, _("service_code was not provided."))
    category = selectors.open_service(code)
    if category is None:
        raise Open311Error(404, _("service_code %(code)s was not found.") % {"code": code})
    appeal = file_service_request(client=client, request=_service_request(params, category))
    response = render(fmt, [representation.created_row(appeal)], root="service_requests", item="request")
    response["Cache-Control"] = "no-store"
    return response


def _service_request(params: QueryDict, category: Any) -> ServiceRequest:
    """The POST's parameters, checked; every problem is reported at once (400)."""
    problems: list[str] = []
    latitude = _coordinate(params, "lat", 90, problems)
    longitude = _coordinate(params, "long", 180, problems)
    if (latitude is None) != (longitude is None) and not problems:
        problems.append(_("lat and long must be sent together."))
    address_string = params.get("address_string", "").strip()
    building = _building(params.get("address_id", "").strip(), problems)
    if latitude is None and longitude is None and not address_string and building is None and not problems:
        problems.append(_("A location is required: lat and long, address_string or address_id."))
    description = params.get("description", "")
    if len(description) > MAX_DESCRIPTION:
        problems.append(_("description: at most 4,000 characters."))
    email = params.get("email", "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(_("email: this is not an e-mail address."))
    media_url = params.get("media_url", "").strip()
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            problems.append(_("media_url: this is not an http(s) URL."))
    if problems:
        raise Open311Error(400, *problems)
    return ServiceRequest(
        category=category,
        description=description,
        building=building,
        latitude=latitude,
        longitude=longitude,
        address_string=address_string,
        first_name=params.get("first_name", "")[:50],
        last_name=params.get("last_name", "")[:50],
        phone=params.get("phone", "")[:30],
        email=email[:254],
        account_id=params.get("account_id", ""),
        device_id=params.get("device_id", "")[:200],
        media_url=media_url,
    )


def _coordinate(params: QueryDict, name: str, limit: int, problems: list[str]) -> Decimal | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) > limit:
        problems.append(
            _("%(name)s must be a WGS84 coordinate between -%(limit)d and %(limit)d.") % {"name": name, "limit": limit}
        )
        return None
    return value.quantize(Decimal("0.000001"))


def _building(raw: str, problems: list[str]) -> Building | None:
    """``address_id`` is the number of a building of our registry (楼栋)."""
    if not raw:
        return None
    building = None
    if raw.isdigit():
        building = selectors.building_by_id(int(raw))
    if building is None:
        problems.append(_("address_id %(id)s is not a building we know.") % {"id": raw[:20]})
    return building


def _moment(params: QueryDict, name: str) -> dt.datetime | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    # A "+08:00" sent unencoded in a query string arrives as " 08:00".
    raw = re.sub(r" (\d\d:?\d\d)$", r"+\1", raw)
    try:
        moment = parse_datetime(raw)
        if moment is None and (day := parse_date(raw)) is not None:
            moment = dt.datetime.combine(day, dt.time.min)
    except ValueError:
        moment = None
    if moment is None:
        raise Open311Error(
            400, _("%(name)s must be a w3c datetime such as 2026-01-01T00:00:00+08:00.") % {"name": name}
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _date_range(params: QueryDict) -> tuple[dt.datetime, dt.datetime]:
    """start_date and end_date, each defaulting so that the range is 90 days (ending now when
    neither is given); a range longer than 90 days or ending before it starts is refused."""
    start, end = _moment(params, "start_date"), _moment(params, "end_date")
    if start is not None and end is not None:
        if end < start:
            raise Open311Error(400, _("end_date is before start_date."))
        if end - start > MAX_SPAN:
            raise Open311Error(400, _("start_date and end_date may not span more than 90 days."))
        return start, end
    if start is not None:
        return start, start + MAX_SPAN
    end = end or timezone.now()
    return end - MAX_SPAN, end
