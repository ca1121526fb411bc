"""REST API of insights (/api/v1/insights/); route names are in the "api" namespace."""

from django.urls import path

from . import api

urlpatterns = [
    path("areas/<int:pk>/kpis/", api.AreaKpisView.as_view(), name="insights-area-kpis"),
    path("evaluations/", api.EvaluationListView.as_view(), name="insights-evaluations"),
]
