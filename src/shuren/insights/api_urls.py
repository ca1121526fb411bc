"""REST API of insights (/api/v1/insights/); route names are in the "api" namespace."""

from django.urls import path

from .api import reads

urlpatterns = [
    path("areas/<int:pk>/kpis/", reads.AreaKpisView.as_view(), name="insights-area-kpis"),
    path("evaluations/", reads.EvaluationListView.as_view(), name="insights-evaluations"),
]
