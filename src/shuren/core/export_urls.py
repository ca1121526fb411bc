from django.urls import path

from .views import exports as views

app_name = "exports"
urlpatterns = [
    path("", views.export_requests, name="list"),
    path("<int:pk>/", views.export_request, name="detail"),
    path("<int:pk>/download/", views.download, name="download"),
    path("pending/", views.pending, name="pending"),
    path("pending/<int:pk>/", views.review, name="review"),
    path("pending/<int:pk>/approve/", views.decide, {"approve": True}, name="approve"),
    path("pending/<int:pk>/refuse/", views.decide, {"approve": False}, name="refuse"),
]
