"""Staff console of volunteering (/volunteering/)."""

from django.urls import path

from .views import console, volunteers

app_name = "volunteering"

urlpatterns = [
    path("", console.activity_list, name="activity_list"),
    path("new/", console.activity_new, name="activity_new"),
    path("<int:pk>/", console.activity_detail, name="activity_detail"),
    path("<int:pk>/edit/", console.activity_edit, name="activity_edit"),
    path("<int:pk>/act/<slug:action>/", console.activity_action, name="activity_action"),
    path("<int:pk>/poster/", console.activity_poster, name="activity_poster"),
    path("<int:pk>/door/", console.activity_door, name="activity_door"),
    path("<int:pk>/confirm-all/", console.activity_confirm_all, name="activity_confirm_all"),
    path("<int:pk>/signups/<int:signup_pk>/<slug:action>/", console.signup_action, name="signup_action"),
    path("records/<int:pk>/correct/", console.record_correct, name="record_correct"),
    path("volunteers/", volunteers.volunteer_list, name="volunteer_list"),
    path("volunteers/export.xlsx", volunteers.volunteer_export, name="volunteer_export"),
    path("volunteers/queue/", volunteers.volunteer_queue, name="volunteer_queue"),
    path("volunteers/<int:pk>/", volunteers.volunteer_detail, name="volunteer_detail"),
    path("volunteers/<int:pk>/<slug:decision>/", volunteers.volunteer_decide, name="volunteer_decide"),
    path("teams/", volunteers.team_list, name="team_list"),
    path("party-progress/", volunteers.progress, name="progress"),
    path("party-progress/export.xlsx", volunteers.progress_export, name="progress_export"),
    path("policy/", volunteers.policy_list, name="policy_list"),
    path("policy/<int:pk>/", volunteers.policy_edit, name="policy_edit"),
]
