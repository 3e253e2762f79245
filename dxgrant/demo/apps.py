from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for trying dxgrant on a laptop. Installed only where demo data is enabled
    (development and tests), never in production; it has no models of its own."""

    name = "dxgrant.demo"
    verbose_name = "dxgrant demo data"
