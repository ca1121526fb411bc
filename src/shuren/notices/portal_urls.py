"""The residents' notices (/my/notices/)."""

from django.urls import path

from .views import portal

app_name = "notices_portal"

urlpatterns = [
    path("", portal.notice_list, name="list"),
    path("<int:pk>/", portal.notice_detail, name="detail"),
    path("<int:pk>/photos/<int:photo_pk>/", portal.notice_photo, name="photo"),
    path("<int:pk>/attachment/", portal.notice_attachment, name="attachment"),
]
