from django.urls import path

from .views import console, posts

app_name = "orgs"
urlpatterns = [
    path("", console.organization_list, name="organization_list"),
    path("new/", console.organization_new, name="organization_new"),
    path("<int:pk>/", console.organization_detail, name="organization_detail"),
    path("<int:pk>/edit/", console.organization_edit, name="organization_edit"),
    path("export/", console.organization_export, name="organization_export"),
    path("<int:pk>/members/new/", console.member_add, name="member_add"),
    path("<int:pk>/members/<int:membership_pk>/end/", console.member_end, name="member_end"),
    path("<int:pk>/partnerships/new/", console.partnership_add, name="partnership_add"),
    path("stations/new/", console.station_new, name="station_new"),
    path("posts/", posts.post_list, name="post_list"),
    path("posts/new/", posts.post_new, name="post_new"),
    path("posts/export/", posts.post_export, name="post_export"),
    path("posts/<int:pk>/end/", posts.post_end, name="post_end"),
    path("posts/mine/", posts.my_posts, name="my_posts"),
    path("post-kinds/", posts.post_kind_list, name="post_kind_list"),
    path("post-kinds/new/", posts.post_kind_edit, name="post_kind_new"),
    path("post-kinds/<int:pk>/", posts.post_kind_edit, name="post_kind_edit"),
]
