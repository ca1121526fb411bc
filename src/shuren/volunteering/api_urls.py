"""REST API of volunteering (/api/v1/volunteering/); route names are in the "api" namespace."""

from django.urls import path

from .api import actions, reads

urlpatterns = [
    path("activities/", reads.ActivityListView.as_view(), name="volunteering-activity-list"),
    path("activities/<int:pk>/", reads.ActivityDetailView.as_view(), name="volunteering-activity-detail"),
    path("activities/<int:pk>/signups/", reads.ActivitySignUpListView.as_view(), name="volunteering-activity-signups"),
    *[
        path(f"activities/<int:pk>/{step}/", view.as_view(), name=f"volunteering-activity-{step}")
        for step, view in actions.STEP_VIEWS.items()
    ],
    path("activities/<int:pk>/sign-up/", actions.SignUpView.as_view(), name="volunteering-activity-sign-up"),
    path(
        "activities/<int:pk>/cancel-sign-up/",
        actions.CancelSignUpView.as_view(),
        name="volunteering-activity-cancel-sign-up",
    ),
    path("activities/<int:pk>/door/", actions.DoorSignUpView.as_view(), name="volunteering-activity-door"),
    path(
        "activities/<int:pk>/confirm-all/", actions.ConfirmAllView.as_view(), name="volunteering-activity-confirm-all"
    ),
    path("checkin/", actions.CheckInByTokenView.as_view(), name="volunteering-checkin"),
    *[
        path(f"signups/<int:pk>/{step}/", view.as_view(), name=f"volunteering-signup-{step}")
        for step, view in actions.SIGNUP_STEP_VIEWS.items()
    ],
    path("records/", reads.RecordListView.as_view(), name="volunteering-record-list"),
    path("records/<int:pk>/correct/", actions.RecordCorrectView.as_view(), name="volunteering-record-correct"),
    path("profile/", reads.ProfileMeView.as_view(), name="volunteering-profile-me"),
    path("profiles/", reads.ProfileListView.as_view(), name="volunteering-profile-list"),
    path("profiles/<int:pk>/", reads.ProfileDetailView.as_view(), name="volunteering-profile-detail"),
    *[
        path(f"profiles/<int:pk>/{decision}/", view.as_view(), name=f"volunteering-profile-{decision}")
        for decision, view in actions.DECISION_VIEWS.items()
    ],
    path("party-progress/", reads.PartyProgressView.as_view(), name="volunteering-party-progress"),
]
