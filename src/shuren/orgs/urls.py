from django.urls import path

from . import post_views, views

app_name = "orgs"
urlpatterns = [
    path("", views.organization_list, name="organization_list"),
    path("new/", views.organization_new, name="organization_new"),
    path("<int:pk>/", views.organization_detail, name="organization_detail"),
    path("<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("export/", views.organization_export, name="organization_export"),
    path("<int:pk>/members/new/", views.member_add, name="member_add"),
    path("<int:pk>/members/<int:membership_pk>/end/", views.member_end, name="member_end"),
    path("<int:pk>/partnerships/new/", views.partnership_add, name="partnership_add"),
    path("stations/new/", views.station_new, name="station_new"),
    path("posts/", post_views.post_list, name="post_list"),
    path("posts/new/", post_views.post_new, name="post_new"),
    path("posts/export/", post_views.post_export, name="post_export"),
    path("posts/<int:pk>/end/", post_views.post_end, name="post_end"),
    path("posts/mine/", post_views.my_posts, name="my_posts"),
    path("post-kinds/", post_views.post_kind_list, name="post_kind_list"),
    path("post-kinds/new/", post_views.post_kind_edit, name="post_kind_new"),
    path("post-kinds/<int:pk>/", post_views.post_kind_edit, name="post_kind_edit"),
]
