"""Staff console of surveys (/surveys/)."""

from django.urls import path

from .views import console

app_name = "surveys"

urlpatterns = [
    path("", console.survey_list, name="survey_list"),
    path("new/", console.survey_edit, name="survey_new"),
    path("<int:pk>/", console.survey_detail, name="survey_detail"),
    path("<int:pk>/edit/", console.survey_edit, name="survey_edit"),
    path("<int:pk>/questions/new/", console.question_edit, name="question_new"),
    path("<int:pk>/questions/<int:question_pk>/edit/", console.question_edit, name="question_edit"),
    path("<int:pk>/questions/<int:question_pk>/remove/", console.question_remove, name="question_remove"),
    path("<int:pk>/questions/<int:question_pk>/move/", console.question_move, name="question_move"),
    path("<int:pk>/open/", console.survey_open, name="survey_open"),
    path("<int:pk>/close/", console.survey_close, name="survey_close"),
    path("<int:pk>/results/", console.survey_results, name="survey_results"),
    path("<int:pk>/responses.xlsx", console.survey_export, name="survey_export"),
    path("<int:pk>/paper/", console.paper_entry, name="paper_entry"),
]
