from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "dxgrant.reporting"
    verbose_name = _("交付後の報告")
