"""Staff console of proposals (/proposals/)."""

from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("policies/", views.policy_list, name="policies"),
    path("policies/<int:pk>/", views.policy_edit, name="policy_edit"),
    path("<int:pk>/", views.proposal_detail, name="detail"),
    path("<int:pk>/answer/", views.proposal_answer, name="answer"),
    path("<int:pk>/publish/", views.proposal_publish, name="publish"),
    path("<int:pk>/inadmissible/", views.proposal_inadmissible, name="inadmissible"),
]
