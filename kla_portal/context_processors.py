from django.conf import settings
from django.utils.functional import SimpleLazyObject

from kla_portal import bersyarat
from kla_portal.navigation import menu_for


def portal(request):
    """The menu, the city served and the upload limit; the queries run only when a template
    uses them."""
    user = request.user
    return {
        "menu": SimpleLazyObject(lambda: menu_for(user, request.path))
        if user.is_authenticated
        else [],
        "kabkota": SimpleLazyObject(lambda: bersyarat.kabkota(request)),
        "notifikasi_baru": (
            SimpleLazyObject(lambda: bersyarat.notifikasi_baru(request))
            if user.is_authenticated
            else 0
        ),
        "batas_unggah_mb": settings.UPLOAD_MAX_MB,
    }
