"""Residents' portal of surveys (/my/surveys/)."""

from django.urls import path

from .views import portal

app_name = "surveys_portal"

urlpatterns = [
    path("", portal.my_surveys, name="my_surveys"),
    path("<int:pk>/", portal.survey, name="survey"),
    path("<int:pk>/thanks/", portal.thanks, name="thanks"),
    path("<int:pk>/results/", portal.results, name="results"),
]
