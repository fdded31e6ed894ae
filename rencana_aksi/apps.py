from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RencanaAksiConfig(AppConfig):
    name = "rencana_aksi"
    verbose_name = _("RAD KLA")
