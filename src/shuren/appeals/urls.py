"""Staff console pages for appeals (/appeals/)."""

from django.urls import path

from .views import config, console, kpis, publication

app_name = "appeals"

urlpatterns = [
    path("", console.appeal_list, name="appeal_list"),
    path("assigned/", console.handler_list, name="handler_list"),
    path("export.xlsx", console.appeal_export, name="appeal_export"),
    path("new/", console.appeal_new, name="appeal_new"),
    path("places/buildings/", console.building_options, name="building_options"),
    path("places/dwellings/", console.dwelling_options, name="dwelling_options"),
    path("<int:pk>/", console.appeal_detail, name="appeal_detail"),
    path("<int:pk>/act/<slug:action>/", console.appeal_action, name="appeal_action"),
    path("<int:pk>/photos/<int:photo_pk>/", console.appeal_photo, name="appeal_photo"),
    path("publication/", publication.publication_review, name="publication_review"),
    path("kpis/", kpis.kpi_page, name="kpis"),
    path("kpis/export.xlsx", kpis.kpi_export, name="kpi_export"),
    path("notifications/", console.notification_list, name="notification_list"),
    path("notifications/read/", console.notification_read, name="notification_read"),
    # Configuration
    path("config/categories/", config.category_list, name="category_list"),
    path("config/categories/new/", config.category_edit, name="category_new"),
    path("config/categories/<int:pk>/", config.category_edit, name="category_edit"),
    path("config/rules/", config.rule_list, name="rule_list"),
    path("config/rules/new/", config.rule_edit, name="rule_new"),
    path("config/rules/<int:pk>/", config.rule_edit, name="rule_edit"),
    path("config/rules/<int:pk>/active/", config.rule_toggle, name="rule_toggle"),
    path("config/handlers/", config.handler_list, name="handler_accounts"),
    path("config/handlers/<int:pk>/active/", config.handler_toggle, name="handler_toggle"),
    path("config/intake/", config.policy_list, name="policy_list"),
    path("config/intake/<int:pk>/", config.policy_edit, name="policy_edit"),
    path("config/working-days/", config.workday_list, name="workday_list"),
    path("config/working-days/<int:pk>/delete/", config.workday_delete, name="workday_delete"),
]
