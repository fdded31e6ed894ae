import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from kla_portal import kirim_sekali
from kla_portal.api import masalah_json

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
                return masalah_json(403, message)
            if not request.path.startswith(allowed):
                return redirect("ganti-sandi")
        return self.get_response(request)


def sesi_mulai(sender, request, user, **kwargs) -> None:
    """Start the idle clock of a session at login (connected in KlaPortalConfig.ready)."""
    if request is not None and hasattr(request, "session"):
        request.session[SesiMenganggurMiddleware.KUNCI] = int(time.time())


class SesiMenganggurMiddleware:
    """Log a person out after SESSION_IDLE_MINUTES without a request of their own.

    The session records when it was last renewed; a request renews it (the time, and with the
    save the cookie's and the stored session's expiry) only when a few minutes have passed, so
    an active person is not written to the session store on every click. A page polling in the
    background (header X-KLA-Latar, sent by the progress and score panels) does not count as
    activity: a tab left open on the score page must not keep a session alive for ever.
    """

    KUNCI = "_aktif_terakhir"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            sekarang = int(time.time())
            terakhir = request.session.get(self.KUNCI, sekarang)
            batas = settings.SESSION_COOKIE_AGE
            if sekarang - terakhir > batas:
                logout(request)
                messages.info(
                    request,
                    _(
                        "Anda keluar otomatis setelah %(menit)s menit tidak aktif. "
                        "Silakan masuk lagi."
                    )
                    % {"menit": batas // 60},
                    fail_silently=True,
                )
                if request.headers.get("HX-Request"):
                    # A panel polling the page: send the whole page to the login form.
                    return HttpResponse(headers={"HX-Redirect": reverse(settings.LOGIN_URL)})
            elif request.headers.get("X-KLA-Latar") != "1" and (
                self.KUNCI not in request.session or sekarang - terakhir >= min(300, batas // 10)
            ):
                request.session[self.KUNCI] = sekarang
        return self.get_response(request)


class CatatanUnggahanMiddleware:
    """Tell the person what the upload check cut out of their files (scripts or hidden
    attachments in a PDF): the check marks the file, and after a successful upload (answered
    with a redirect) the note is shown on the next page, whichever app took the upload."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method == "POST"
            and 300 <= response.status_code < 400
            and request.content_type == "multipart/form-data"
        ):
            for _field, files in request.FILES.lists():
                for berkas in files:
                    catatan = getattr(berkas, "catatan_keamanan", "")
                    if catatan:
                        messages.warning(request, catatan, fail_silently=True)
        return response


class BahasaMiddleware(LocaleMiddleware):
    """Indonesian unless the person picked another language in the footer.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many office
    computers run an English browser: the portal would switch language by accident.
    """

    def process_request(self, request):
        if request.path.startswith("/api/"):
            # A program says what it reads in Accept-Language; it has no footer to click.
            translation.activate(translation.get_language_from_request(request))
            request.LANGUAGE_CODE = translation.get_language()
            return
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
