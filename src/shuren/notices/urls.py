"""Console pages of the notices (/notices/)."""

from django.urls import path

from .views import console, groups

app_name = "notices"

urlpatterns = [
    path("", console.notice_list, name="list"),
    path("new/", console.notice_new, name="new"),
    path("figures/", console.figures, name="figures"),
    path("<int:pk>/", console.notice_detail, name="detail"),
    path("<int:pk>/edit/", console.notice_edit, name="edit"),
    path("<int:pk>/act/<slug:action>/", console.notice_act, name="act"),
    path("<int:pk>/photos/<int:photo_pk>/", console.notice_photo, name="photo"),
    path("<int:pk>/attachment/", console.notice_attachment, name="attachment"),
    path("households/<int:pk>/tell/", console.household_tell, name="tell"),
    path("groups/", groups.group_list, name="groups"),
    path("groups/new/", groups.group_edit, name="group_new"),
    path("groups/<int:pk>/", groups.group_edit, name="group_edit"),
    path("groups/<int:pk>/delete/", groups.group_delete, name="group_delete"),
]
