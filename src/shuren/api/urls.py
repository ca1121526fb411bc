from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views
from .permissions import PublicEndpoint

app_name = "api"


class SchemaView(SpectacularAPIView):
    permission_classes = [PublicEndpoint]


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI served from the drf-spectacular-sidecar package (no CDN) with its init script as a
    separate file, so the page works under the site's CSP (script-src 'self')."""

    permission_classes = [PublicEndpoint]


urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    path("me/", views.MeView.as_view(), name="me"),
    path("areas/", views.AreaListView.as_view(), name="area-list"),
    path("areas/<int:pk>/", views.AreaDetailView.as_view(), name="area-detail"),
    path("auth/token/", views.TokenView.as_view(), name="auth-token"),
    path("appeals/", include("shuren.appeals.api_urls")),
    path("governance/", include("shuren.governance.api_urls")),
    path("meetings/", include("shuren.meetings.api_urls")),
    path("proposals/", include("shuren.proposals.api_urls")),
    path("conventions/", include("shuren.conventions.api_urls")),
    path("ballots/", include("shuren.ballots.api_urls")),
    path("volunteering/", include("shuren.volunteering.api_urls")),
    path("points/", include("shuren.points.api_urls")),
    path("insights/", include("shuren.insights.api_urls")),
]
