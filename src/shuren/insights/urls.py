from django.urls import path

from . import evaluation_views, report_views, views

app_name = "insights"

urlpatterns = [
    path("", views.home, name="home"),
    path("areas/<int:pk>/", views.dashboard, name="dashboard"),
    path("areas/<int:pk>/reports/", report_views.report_list, name="reports"),
    path("reports/<int:pk>.<str:fmt>", report_views.download, name="report_download"),
    path("evaluation/", evaluation_views.ranking, name="evaluation"),
    path("evaluation/communities/<int:pk>/", evaluation_views.history, name="evaluation_history"),
    path("indicators/", evaluation_views.indicator_list, name="indicator_list"),
    path("indicators/new/", evaluation_views.indicator_edit, name="indicator_new"),
    path("indicators/<int:pk>/", evaluation_views.indicator_edit, name="indicator_edit"),
]
