from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvinsiConfig(AppConfig):
    name = "provinsi"
    verbose_name = _("Provinsi")
