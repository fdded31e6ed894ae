from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KlaPortalConfig(AppConfig):
    name = "kla_portal"
    verbose_name = _("Portal KLA")
