from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "dxgrant.programs"
    verbose_name = _("制度・公募回")
