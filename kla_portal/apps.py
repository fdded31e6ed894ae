from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _


class KlaPortalConfig(AppConfig):
    name = "kla_portal"
    verbose_name = _("Portal KLA")

    def ready(self):
        from kla_portal.middleware import sesi_mulai

        # The idle clock starts at login, in the session saved with it, so the first request
        # after logging in does not write the session again.
        user_logged_in.connect(sesi_mulai, dispatch_uid="kla_portal.sesi_mulai")
