"""Staff console pages for appeals (/appeals/)."""

from django.urls import path

from . import config_views, detail_views, kpi_views, publication_views, views

app_name = "appeals"

urlpatterns = [
    path("", views.appeal_list, name="appeal_list"),
    path("assigned/", views.handler_list, name="handler_list"),
    path("export.xlsx", views.appeal_export, name="appeal_export"),
    path("new/", views.appeal_new, name="appeal_new"),
    path("places/buildings/", views.building_options, name="building_options"),
    path("places/dwellings/", views.dwelling_options, name="dwelling_options"),
    path("<int:pk>/", detail_views.appeal_detail, name="appeal_detail"),
    path("<int:pk>/act/<slug:action>/", detail_views.appeal_action, name="appeal_action"),
    path("<int:pk>/photos/<int:photo_pk>/", detail_views.appeal_photo, name="appeal_photo"),
    path("publication/", publication_views.publication_review, name="publication_review"),
    path("kpis/", kpi_views.kpi_page, name="kpis"),
    path("kpis/export.xlsx", kpi_views.kpi_export, name="kpi_export"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notification_read, name="notification_read"),
    # Configuration
    path("config/categories/", config_views.category_list, name="category_list"),
    path("config/categories/new/", config_views.category_edit, name="category_new"),
    path("config/categories/<int:pk>/", config_views.category_edit, name="category_edit"),
    path("config/rules/", config_views.rule_list, name="rule_list"),
    path("config/rules/new/", config_views.rule_edit, name="rule_new"),
    path("config/rules/<int:pk>/", config_views.rule_edit, name="rule_edit"),
    path("config/rules/<int:pk>/active/", config_views.rule_toggle, name="rule_toggle"),
    path("config/handlers/", config_views.handler_list, name="handler_accounts"),
    path("config/handlers/<int:pk>/active/", config_views.handler_toggle, name="handler_toggle"),
    path("config/intake/", config_views.policy_list, name="policy_list"),
    path("config/intake/<int:pk>/", config_views.policy_edit, name="policy_edit"),
    path("config/working-days/", config_views.workday_list, name="workday_list"),
    path("config/working-days/<int:pk>/delete/", config_views.workday_delete, name="workday_delete"),
]
