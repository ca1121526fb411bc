"""Staff console of proposals (/proposals/)."""

from django.urls import path

from .views import console

app_name = "proposals"

urlpatterns = [
    path("", console.proposal_list, name="list"),
    path("policies/", console.policy_list, name="policies"),
    path("policies/<int:pk>/", console.policy_edit, name="policy_edit"),
    path("<int:pk>/", console.proposal_detail, name="detail"),
    path("<int:pk>/answer/", console.proposal_answer, name="answer"),
    path("<int:pk>/publish/", console.proposal_publish, name="publish"),
    path("<int:pk>/inadmissible/", console.proposal_inadmissible, name="inadmissible"),
]
