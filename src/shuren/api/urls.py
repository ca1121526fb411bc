"""The shared part of the API (``/api/v1/``): the schema and its docs, the caller, areas, tokens.

The domain apps' API URL modules are mounted beside these in the root URL module (``shuren.urls``)
under the same ``api`` namespace: the API plumbing sits beneath the domain apps and names none.
"""

from django.urls import path
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
]
