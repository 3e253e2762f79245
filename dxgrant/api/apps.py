from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "dxgrant.api"
    verbose_name = "API"
