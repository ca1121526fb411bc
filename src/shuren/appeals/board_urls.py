"""The public board of resolved appeals (/board/)."""

from django.urls import path

from .views import board as views

app_name = "appeals_board"

urlpatterns = [
    path("", views.board_list, name="list"),
    path("<int:pk>/", views.board_detail, name="detail"),
]
