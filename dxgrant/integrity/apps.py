from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    name = "dxgrant.integrity"
    verbose_name = _("監査・不正防止")
