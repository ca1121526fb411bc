from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "shuren.api"
    label = "api"
    verbose_name = "API"
