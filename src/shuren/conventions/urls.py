"""Staff console of conventions (/conventions/)."""

from django.urls import path

from . import views

app_name = "conventions"

urlpatterns = [
    path("", views.convention_list, name="list"),
    path("new/", views.convention_new, name="new"),
    path("<int:pk>/", views.convention_detail, name="detail"),
    path("<int:pk>/versions/new/", views.version_new, name="version_new"),
    path("<int:pk>/repeal/", views.convention_repeal, name="repeal"),
    path("versions/<int:pk>/edit/", views.version_edit, name="version_edit"),
    path("versions/<int:pk>/open/", views.version_open, name="version_open"),
    path("versions/<int:pk>/reject/", views.version_reject, name="version_reject"),
    path("comments/<int:pk>/hide/", views.comment_hide, name="comment_hide"),
]
