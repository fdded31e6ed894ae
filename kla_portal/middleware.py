from django.conf import settings
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _


class PasswordChangeRequiredMiddleware:
    """Send a person holding a temporary password to the change form before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.wajib_ganti_sandi:
            allowed = (reverse("ganti-sandi"), reverse("keluar"), "/static/", "/health/")
            if request.path.startswith("/api/"):
                message = _("Ganti kata sandi sementara Anda di portal terlebih dahulu.")
                return JsonResponse({"detail": message}, status=403)
            if not request.path.startswith(allowed):
                return redirect("ganti-sandi")
        return self.get_response(request)


class BahasaMiddleware(LocaleMiddleware):
    """Indonesian unless the person picked another language in the footer.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many office
    computers run an English browser: the portal would switch language by accident.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
