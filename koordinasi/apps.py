from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KoordinasiConfig(AppConfig):
    name = "koordinasi"
    verbose_name = _("Koordinasi Gugus Tugas")
