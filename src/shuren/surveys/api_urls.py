"""REST API of surveys (/api/v1/surveys/), in the ``api`` namespace."""

from django.urls import path

from .api import actions, reads

urlpatterns = [
    path("", reads.SurveyListView.as_view(), name="surveys-survey-list"),
    path("open/", reads.OpenSurveyListView.as_view(), name="surveys-open-list"),
    path("<int:pk>/", reads.SurveyDetailView.as_view(), name="surveys-survey-detail"),
    path("<int:pk>/results/", reads.ResultsView.as_view(), name="surveys-survey-results"),
    path("<int:pk>/responses/", actions.ResponseCreateView.as_view(), name="surveys-response-create"),
]
