import logging

from django.conf import settings
from django.contrib import messages
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from kla_portal import kirim_sekali

logger = logging.getLogger(__name__)


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


class KirimSekaliMiddleware:
    """A POST of a signed-in person carrying a one-time key (kla_portal.kirim_sekali) is
    saved once: the key is recorded before the view, a repeat is answered from the record.
    Placed after the CSRF check (process_view order), so a refused token records nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        kunci = getattr(request, "_kunci_kirim", None)
        if kunci is not None:
            lokasi = kirim_sekali.lokasi_berhasil(request, response)
            try:
                if lokasi:
                    kirim_sekali.kunci_selesai(kunci=kunci, lokasi=lokasi)
                else:
                    kirim_sekali.kunci_lepas(kunci=kunci)
            except DatabaseError:
                # The write itself is done (or refused): its answer still goes out. The key
                # stays "in progress" and is taken over after kirim_sekali.BASI.
                logger.exception("Kunci kirim %s tidak dapat dicatat", kunci.kunci)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or not request.user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.url_name in kirim_sekali.TANPA_KUNCI:
            return None
        nilai = request.POST.get(kirim_sekali.FIELD, "")
        if not kirim_sekali.FORMAT.fullmatch(nilai):
            return None
        klaim = kirim_sekali.kunci_klaim(user=request.user, kunci=nilai, jalur=request.path)
        if klaim.baru:
            request._kunci_kirim = klaim.kunci
            return None
        if klaim.lain_alamat:
            return None
        return self._sudah(request, klaim.kunci)

    def _sudah(self, request, kunci):
        ajax = request.headers.get("X-Requested-With") == "XMLHttpRequest"
        htmx = request.headers.get("HX-Request") == "true"
        if kunci.status == kunci.Status.SELESAI:
            messages.info(
                request, _("Data ini sudah tersimpan sebelumnya; tidak disimpan dua kali.")
            )
            if htmx:
                return HttpResponseClientRedirect(kunci.lokasi)
            # The upload script (XHR) follows the redirect like the first save's.
            return HttpResponseRedirect(kunci.lokasi)
        pesan = _(
            "Data ini masih sedang diproses dari pengiriman sebelumnya. Tunggu sebentar, lalu "
            "muat ulang halaman untuk melihat hasilnya; jangan kirim lagi."
        )
        if ajax or htmx:
            return HttpResponse(pesan, status=409, content_type="text/plain; charset=utf-8")
        return render(request, "kla_portal/sedang_diproses.html", {"pesan": pesan}, status=409)
