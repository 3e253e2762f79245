from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dxgrant.core"
    verbose_name = "dxgrant core"
