from django.urls import URLPattern, URLResolver, include, path

from shuren.api import urls as api_urls
from shuren.web import health

# The API: its shared endpoints (shuren.api.urls) and each domain app's, in one "api" namespace.
api_patterns: list[URLPattern | URLResolver] = [
    *api_urls.urlpatterns,
    path("appeals/", include("shuren.appeals.api_urls")),
    path("governance/", include("shuren.governance.api_urls")),
    path("meetings/", include("shuren.meetings.api_urls")),
    path("proposals/", include("shuren.proposals.api_urls")),
    path("conventions/", include("shuren.conventions.api_urls")),
    path("ballots/", include("shuren.ballots.api_urls")),
    path("surveys/", include("shuren.surveys.api_urls")),
    path("volunteering/", include("shuren.volunteering.api_urls")),
    path("points/", include("shuren.points.api_urls")),
    path("insights/", include("shuren.insights.api_urls")),
    path("notifications/", include("shuren.notifications.api_urls")),
    path("notices/", include("shuren.notices.api_urls")),
    path("lists/", include("shuren.lists.api_urls")),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("i18n/", include("shuren.web.i18n_urls")),
    path("accounts/", include("shuren.accounts.urls")),
    path("admin/accounts/", include("shuren.accounts.admin_urls")),
    path("audit/", include("shuren.audit.urls")),
    path("pii/", include("shuren.core.urls")),
    path("exports/", include("shuren.core.export_urls")),
    path("places/", include("shuren.places.urls")),
    path("people/", include("shuren.people.urls")),
    path("orgs/", include("shuren.orgs.urls")),
    path("notifications/", include("shuren.notifications.urls")),
    path("join/", include("shuren.signup.urls")),
    path("my/account/", include("shuren.signup.portal_urls")),
    path("appeals/", include("shuren.appeals.urls")),
    path("my/appeals/", include("shuren.appeals.portal_urls")),
    path("board/", include("shuren.appeals.board_urls")),
    path("governance/", include("shuren.governance.urls")),
    path("my/governance/", include("shuren.governance.portal_urls")),
    path("meetings/", include("shuren.meetings.urls")),
    path("my/meetings/", include("shuren.meetings.portal_urls")),
    path("proposals/", include("shuren.proposals.urls")),
    path("my/proposals/", include("shuren.proposals.portal_urls")),
    path("conventions/", include("shuren.conventions.urls")),
    path("my/conventions/", include("shuren.conventions.portal_urls")),
    path("ballots/", include("shuren.ballots.urls")),
    path("my/ballots/", include("shuren.ballots.portal_urls")),
    path("surveys/", include("shuren.surveys.urls")),
    path("my/surveys/", include("shuren.surveys.portal_urls")),
    path("volunteering/", include("shuren.volunteering.urls")),
    path("my/volunteering/", include("shuren.volunteering.portal_urls")),
    path("points/", include("shuren.points.urls")),
    path("insights/", include("shuren.insights.urls")),
    path("my/points/", include("shuren.points.portal_urls")),
    path("notices/", include("shuren.notices.urls")),
    path("my/notices/", include("shuren.notices.portal_urls")),
    path("public/notices/", include("shuren.notices.public_urls")),
    path("lists/", include("shuren.lists.urls")),
    path("my/lists/", include("shuren.lists.portal_urls")),
    path("public/services/", include("shuren.lists.public_urls")),
    path("open311/v2/", include("shuren.open311.urls")),
    path("api/v1/", include((api_patterns, api_urls.app_name))),
    path("", include("shuren.web.urls")),
]

handler400 = "shuren.web.views.errors.bad_request"
handler403 = "shuren.web.views.errors.permission_denied"
handler404 = "shuren.web.views.errors.page_not_found"
handler500 = "shuren.web.views.errors.server_error"
