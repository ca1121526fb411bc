from django.urls import path

from .views import config, dashboards, evaluation, reports

app_name = "insights"

urlpatterns = [
    path("", dashboards.home, name="home"),
    path("areas/<int:pk>/", dashboards.dashboard, name="dashboard"),
    path("areas/<int:pk>/reports/", reports.report_list, name="reports"),
    path("reports/<int:pk>.<str:fmt>", reports.download, name="report_download"),
    path("evaluation/", evaluation.ranking, name="evaluation"),
    path("evaluation/communities/<int:pk>/", evaluation.history, name="evaluation_history"),
    path("indicators/", config.indicator_list, name="indicator_list"),
    path("indicators/new/", config.indicator_edit, name="indicator_new"),
    path("indicators/<int:pk>/", config.indicator_edit, name="indicator_edit"),
]
