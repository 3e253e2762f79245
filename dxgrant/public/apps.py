from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "dxgrant.public"
    verbose_name = _("公開サイト・お問い合わせ")
