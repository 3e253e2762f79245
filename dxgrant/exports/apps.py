from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "dxgrant.exports"
    verbose_name = _("一覧の書き出し")
