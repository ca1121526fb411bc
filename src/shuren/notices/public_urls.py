"""A community's public notices and their Atom feed (/public/notices/<community>/), for everyone."""

from django.urls import path

from .views import public

app_name = "notices_public"

urlpatterns = [
    path("<int:community>/", public.notice_list, name="list"),
    path("<int:community>/<int:pk>/", public.notice_detail, name="detail"),
    path("<int:community>/feed.atom", public.notice_feed, name="feed"),
]
