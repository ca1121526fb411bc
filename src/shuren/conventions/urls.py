"""Staff console of conventions (/conventions/)."""

from django.urls import path

from .views import console

app_name = "conventions"

urlpatterns = [
    path("", console.convention_list, name="list"),
    path("new/", console.convention_new, name="new"),
    path("<int:pk>/", console.convention_detail, name="detail"),
    path("<int:pk>/versions/new/", console.version_new, name="version_new"),
    path("<int:pk>/repeal/", console.convention_repeal, name="repeal"),
    path("versions/<int:pk>/edit/", console.version_edit, name="version_edit"),
    path("versions/<int:pk>/open/", console.version_open, name="version_open"),
    path("versions/<int:pk>/reject/", console.version_reject, name="version_reject"),
    path("comments/<int:pk>/hide/", console.comment_hide, name="comment_hide"),
]
