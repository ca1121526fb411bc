from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .permissions import PublicEndpoint

app_name = "api"


class SchemaView(SpectacularAPIView):
    permission_classes = [PublicEndpoint]


class DocsView(SpectacularSwaggerView):
    permission_classes = [PublicEndpoint]


urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
]
