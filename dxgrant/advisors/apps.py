from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvisorsConfig(AppConfig):
    name = "dxgrant.advisors"
    verbose_name = _("認定アドバイザー")
