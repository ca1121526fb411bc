"""REST API of volunteering (/api/v1/volunteering/); route names are in the "api" namespace."""

from django.urls import path

from . import api

urlpatterns = [
    path("activities/", api.ActivityListView.as_view(), name="volunteering-activity-list"),
    path("activities/<int:pk>/", api.ActivityDetailView.as_view(), name="volunteering-activity-detail"),
    path("activities/<int:pk>/signups/", api.ActivitySignUpListView.as_view(), name="volunteering-activity-signups"),
    *[
        path(f"activities/<int:pk>/{step}/", view.as_view(), name=f"volunteering-activity-{step}")
        for step, view in api.STEP_VIEWS.items()
    ],
    path("activities/<int:pk>/sign-up/", api.SignUpView.as_view(), name="volunteering-activity-sign-up"),
    path(
        "activities/<int:pk>/cancel-sign-up/",
        api.CancelSignUpView.as_view(),
        name="volunteering-activity-cancel-sign-up",
    ),
    path("activities/<int:pk>/door/", api.DoorSignUpView.as_view(), name="volunteering-activity-door"),
    path("activities/<int:pk>/confirm-all/", api.ConfirmAllView.as_view(), name="volunteering-activity-confirm-all"),
    path("checkin/", api.CheckInByTokenView.as_view(), name="volunteering-checkin"),
    *[
        path(f"signups/<int:pk>/{step}/", view.as_view(), name=f"volunteering-signup-{step}")
        for step, view in api.SIGNUP_STEP_VIEWS.items()
    ],
    path("records/", api.RecordListView.as_view(), name="volunteering-record-list"),
    path("records/<int:pk>/correct/", api.RecordCorrectView.as_view(), name="volunteering-record-correct"),
    path("profile/", api.ProfileMeView.as_view(), name="volunteering-profile-me"),
    path("profiles/", api.ProfileListView.as_view(), name="volunteering-profile-list"),
    path("profiles/<int:pk>/", api.ProfileDetailView.as_view(), name="volunteering-profile-detail"),
    *[
        path(f"profiles/<int:pk>/{decision}/", view.as_view(), name=f"volunteering-profile-{decision}")
        for decision, view in api.DECISION_VIEWS.items()
    ],
    path("party-progress/", api.PartyProgressView.as_view(), name="volunteering-party-progress"),
]
