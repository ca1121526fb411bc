"""Staff console of volunteering (/volunteering/)."""

from django.urls import path

from . import views, volunteer_views

app_name = "volunteering"

urlpatterns = [
    path("", views.activity_list, name="activity_list"),
    path("new/", views.activity_new, name="activity_new"),
    path("<int:pk>/", views.activity_detail, name="activity_detail"),
    path("<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("<int:pk>/act/<slug:action>/", views.activity_action, name="activity_action"),
    path("<int:pk>/poster/", views.activity_poster, name="activity_poster"),
    path("<int:pk>/door/", views.activity_door, name="activity_door"),
    path("<int:pk>/confirm-all/", views.activity_confirm_all, name="activity_confirm_all"),
    path("<int:pk>/signups/<int:signup_pk>/<slug:action>/", views.signup_action, name="signup_action"),
    path("records/<int:pk>/correct/", views.record_correct, name="record_correct"),
    path("volunteers/", volunteer_views.volunteer_list, name="volunteer_list"),
    path("volunteers/export.xlsx", volunteer_views.volunteer_export, name="volunteer_export"),
    path("volunteers/queue/", volunteer_views.volunteer_queue, name="volunteer_queue"),
    path("volunteers/<int:pk>/", volunteer_views.volunteer_detail, name="volunteer_detail"),
    path("volunteers/<int:pk>/<slug:decision>/", volunteer_views.volunteer_decide, name="volunteer_decide"),
    path("teams/", volunteer_views.team_list, name="team_list"),
    path("party-progress/", volunteer_views.progress, name="progress"),
    path("party-progress/export.xlsx", volunteer_views.progress_export, name="progress_export"),
    path("policy/", volunteer_views.policy_list, name="policy_list"),
    path("policy/<int:pk>/", volunteer_views.policy_edit, name="policy_edit"),
]
