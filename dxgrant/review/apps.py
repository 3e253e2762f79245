from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "dxgrant.review"
    verbose_name = _("交付審査")
