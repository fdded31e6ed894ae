"""What every endpoint of the REST API shares: errors, idempotent writes, pages, routes.

- **Errors** are ``application/problem+json`` (RFC 9457): ``type``, ``title``, ``status``,
  ``detail`` in the request's language (Indonesian, English with ``Accept-Language: en``), and
  ``errors`` per field where a form would show them. A service's ``ValidationError`` is a 400
  with the same message the page shows; a stale version (``versi.Kedaluwarsa``) is a 409 that
  carries the record as it is now, so the client can merge and send again.
- **Idempotent writes**: a POST, PUT, PATCH or DELETE with an ``Idempotency-Key`` header is
  done once. The key goes into the pages' one-time key store (kla_portal.kirim_sekali) with a
  fingerprint of the request; a repeat gets the first answer again (``Idempotent-Replayed:
  true``), a repeat still running gets 409, the same key with another request 422. A refused
  write frees its key.
- **Permissions**: ``Izin`` asks the view's ``izin`` (a ``rules`` permission, as the page's
  ``perlu_izin``), or the one its action names in ``izin_aksi``.
- **Input**: a write serializer with ``TanpaIsianAsing`` refuses a field it does not take (a
  typo is a 400 naming it, not a save that silently left it out); ``BilanganFilter`` is an id
  filter within the database's range (a larger number is a 400, not a database error).
- **Routes**: each app's api module lists ``RUTE`` (prefix, viewset, basename) and optionally
  ``URLS`` (plain paths); ``kla_portal.urls`` registers them under ``/api/v1/``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping

from django import forms
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from rest_framework import exceptions, permissions, serializers, status, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.encoders import JSONEncoder
from rest_framework.views import exception_handler

from kla_portal import kirim_sekali
from kla_portal.versi import Kedaluwarsa

logger = logging.getLogger(__name__)

PROBLEM = "application/problem+json"
HEADER_KUNCI = "Idempotency-Key"
METODE_TULIS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ID_MAX = 2**31 - 1  # the largest id or version every supported database keeps
PESAN_ASING = gettext_lazy("Isian ini tidak dikenal. Periksa ejaan namanya.")

# The title of each status, the same for every problem of that kind (RFC 9457 §3.1.3).
JUDUL = {
    400: gettext_lazy("Permintaan tidak valid"),
    401: gettext_lazy("Perlu masuk"),
    403: gettext_lazy("Tidak diizinkan"),
    404: gettext_lazy("Tidak ditemukan"),
    405: gettext_lazy("Metode tidak diizinkan"),
    406: gettext_lazy("Format tidak tersedia"),
    409: gettext_lazy("Bertabrakan dengan perubahan lain"),
    413: gettext_lazy("Terlalu besar"),
    415: gettext_lazy("Jenis isi tidak didukung"),
    422: gettext_lazy("Tidak dapat diproses"),
    429: gettext_lazy("Terlalu banyak permintaan"),
    500: gettext_lazy("Kesalahan server"),
}


class ProblemRenderer(JSONRenderer):
    media_type = PROBLEM


class Kedaluwarsa409(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "versi_kedaluwarsa"


class KunciBertabrakan(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "kunci_diproses"


class KunciLain(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "kunci_dipakai"


def _masalah(status_code: int, detail: str, **tambahan) -> dict:
    judul = JUDUL.get(status_code, "")
    return {
        "type": "about:blank",
        "title": str(judul) if judul else detail,
        "status": status_code,
        "detail": detail,
        **tambahan,
    }


def masalah_json(status_code: int, detail: str) -> JsonResponse:
    """A problem answered outside DRF (a middleware, Django's handler404)."""
    return JsonResponse(_masalah(status_code, detail), status=status_code, content_type=PROBLEM)


def _pesan_django(error: DjangoValidationError) -> tuple[str, dict]:
    """The first message (shown as ``detail``) and the messages per field, if any."""
    if hasattr(error, "error_dict"):
        per_kolom = {kolom: [str(m) for m in msgs] for kolom, msgs in error.message_dict.items()}
        pertama = next(iter(per_kolom.values()), [""])[0]
        return pertama, {k: v for k, v in per_kolom.items() if k != "__all__"}
    return " ".join(str(m) for m in error.messages), {}


def _datar(data) -> list[str]:
    if isinstance(data, dict):
        return [m for nilai in data.values() for m in _datar(nilai)]
    if isinstance(data, list):
        return [m for nilai in data for m in _datar(nilai)]
    return [str(data)]


# DRF's messages its Indonesian catalogue leaves in English, said in the reader's language.
PESAN_BADAN = gettext_lazy(
    "Isi permintaan tidak dapat dibaca. Kirim JSON yang sah, atau multipart/form-data "
    "dengan boundary."
)
PESAN_OBJEK = gettext_lazy("Isi permintaan harus berupa objek JSON ({...}).")
PESAN_CSRF = gettext_lazy(
    "Pemeriksaan CSRF gagal. Penulisan dengan sesi peramban perlu header X-CSRFToken (isi "
    "cookie csrftoken); skrip sebaiknya memakai token API (Authorization: Bearer)."
)


def _bahasa(exc, context):
    """The exception with the reader's-language message where DRF has none of its own."""
    if isinstance(exc, exceptions.ParseError):
        return exceptions.ParseError(str(PESAN_BADAN))
    if isinstance(exc, exceptions.MethodNotAllowed):
        metode = getattr(context.get("request"), "method", "")
        return exceptions.MethodNotAllowed(
            metode, _("Metode %(metode)s tidak dapat dipakai di alamat ini.") % {"metode": metode}
        )
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF"):
        return exceptions.PermissionDenied(str(PESAN_CSRF))
    if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, dict):
        umum = exc.detail.get(api_settings.NON_FIELD_ERRORS_KEY)
        if umum and str(umum[0]).startswith(("No data provided", "Invalid data. Expected")):
            return exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [PESAN_OBJEK]})
    return exc


def penangan_galat(exc, context):
    """DRF's EXCEPTION_HANDLER: every error of the API as problem+json."""
    exc = _bahasa(exc, context)
    if isinstance(exc, Kedaluwarsa):
        tambahan = {"versi": exc.versi}
        sekarang = getattr(context.get("view"), "rekaman_sekarang", None)
        if callable(sekarang):
            tambahan["sekarang"] = sekarang()
        detail, _kolom = _pesan_django(exc)
        return _jawab(409, detail, tambahan)
    if isinstance(exc, DjangoValidationError):
        detail, kolom = _pesan_django(exc)
        return _jawab(400, detail, {"errors": kolom} if kolom else {})
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Data ini tidak ada atau bukan bagian Anda."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    tambahan = {}
    if isinstance(data, dict) and set(data) == {"detail"}:
        detail = str(data["detail"])
    else:
        pesan = _datar(data)
        detail = pesan[0] if pesan else str(exc)
        tambahan["errors"] = data if isinstance(data, dict) else {"non_field_errors": data}
    hasil = _jawab(response.status_code, detail, tambahan)
    for nama, nilai in response.items():
        if nama.lower() in ("retry-after", "www-authenticate", "allow"):
            hasil[nama] = nilai
    return hasil


def _jawab(status_code: int, detail: str, tambahan: dict) -> Response:
    return Response(
        _masalah(status_code, detail, **tambahan), status=status_code, content_type=PROBLEM
    )


def _berkas(nilai) -> str:
    return f"{getattr(nilai, 'name', '')}:{getattr(nilai, 'size', '')}"


def _sidik(request) -> str:
    """A fingerprint of what was sent (method, address, fields; a file by name and size): the
    same key with another request is refused rather than answered with the first's result."""
    data = request.data
    if hasattr(data, "lists"):
        isian = dict(data.lists())
    else:
        isian = data if isinstance(data, dict) else {"": data}
    teks = json.dumps(
        [request.method, request.get_full_path(), isian], default=_berkas, sort_keys=True
    )
    return hashlib.sha256(teks.encode()).hexdigest()


class _Ulangan(Exception):  # not an error: the first answer, sent again
    def __init__(self, respons: dict):
        self.respons = respons


class Idempoten:
    """Mixin of every API view: ``Idempotency-Key`` on writes (see the module's docstring)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self._kunci = None
        nilai = request.headers.get(HEADER_KUNCI)
        if request.method not in METODE_TULIS or nilai is None:
            return
        if not kirim_sekali.FORMAT.fullmatch(nilai):
            raise exceptions.ValidationError(
                {
                    HEADER_KUNCI: [
                        _("Idempotency-Key harus 16–64 huruf, angka, '-' atau '_' (misalnya UUID).")
                    ]
                }
            )
        sidik = _sidik(request)
        klaim = kirim_sekali.kunci_klaim(
            user=request.user,
            kunci=nilai,
            jalur=f"api {request.method} {request.path}",
            sidik=sidik,
        )
        if klaim.baru:
            if klaim.kunci.sidik != sidik:  # a dead request's key taken over
                klaim.kunci.sidik = sidik
                klaim.kunci.save(update_fields=["sidik"])
            self._kunci = klaim.kunci
            return
        lama = klaim.kunci
        if lama is None or lama.sidik != sidik:
            raise KunciLain(
                _("Idempotency-Key ini sudah dipakai untuk permintaan lain. Pakai kunci baru.")
            )
        if lama.status != lama.Status.SELESAI:
            raise KunciBertabrakan(
                _("Permintaan dengan kunci ini masih diproses. Tunggu sebentar, lalu ulangi.")
            )
        raise _Ulangan(lama.respons or {"status": 204, "data": None})

    def handle_exception(self, exc):
        if isinstance(exc, _Ulangan):
            headers = {"Idempotent-Replayed": "true"}
            if exc.respons.get("lokasi"):  # a 201's or 202's Location, as the first one had
                headers["Location"] = exc.respons["lokasi"]
            return Response(exc.respons["data"], status=exc.respons["status"], headers=headers)
        try:
            return super().handle_exception(exc)
        except Exception:
            # Not a refusal DRF answers (a 500 follows): finalize_response is never reached, so
            # the key is freed here, or every retry would hear "still running" for minutes.
            self._kunci_lepas()
            raise

    def _kunci_lepas(self) -> None:
        kunci, self._kunci = getattr(self, "_kunci", None), None
        if kunci is not None:
            try:
                kirim_sekali.kunci_lepas(kunci=kunci)
            except DatabaseError:  # taken over after kirim_sekali.BASI
                logger.exception("Idempotency-Key %s tidak dapat dilepas", kunci.kunci)

    def finalize_response(self, request, response, *args, **kwargs):
        kunci = getattr(self, "_kunci", None)
        if kunci is not None:
            # Only an answer with data can be sent again; a file or other plain response of a
            # write frees its key (as a refusal does) rather than failing here.
            if 200 <= response.status_code < 300 and hasattr(response, "data"):
                self._kunci = None
                # Kept as the renderer writes it (DRF's encoder: a Decimal stays a number), so
                # a repeat gets the very same body.
                data = json.loads(json.dumps(response.data, cls=JSONEncoder))
                try:
                    kirim_sekali.kunci_selesai(
                        kunci=kunci,
                        lokasi=request.path,
                        respons={
                            "status": response.status_code,
                            "data": data,
                            "lokasi": response.get("Location", ""),
                        },
                    )
                except DatabaseError:  # the write is done: its answer still goes out
                    logger.exception("Idempotency-Key %s tidak dapat dicatat", kunci.kunci)
            else:
                self._kunci_lepas()
        return super().finalize_response(request, response, *args, **kwargs)


_TANPA = object()


class Izin(permissions.IsAuthenticated):
    """The view's ``izin`` (a ``rules`` permission, as the page's ``perlu_izin``), or the one
    its action names in ``izin_aksi``; ``izin = None`` says that being signed in is enough. A
    view without ``izin`` is a mistake, not an open door."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        perlu = getattr(view, "izin_aksi", {}).get(
            getattr(view, "action", None), getattr(view, "izin", _TANPA)
        )
        if perlu is _TANPA:
            raise ImproperlyConfigured(f"{type(view).__name__} memakai Izin tanpa izin.")
        return perlu is None or request.user.has_perm(perlu)


def perlu(user, izin: str, obj=None, *, pesan="") -> None:
    """Refuse (403, with ``pesan`` or the general message) unless ``user`` has the ``rules``
    permission ``izin``, on ``obj`` when given: an action's check after its record is found."""
    if not user.has_perm(izin, obj):
        raise PermissionDenied(str(pesan)) if pesan else PermissionDenied()


class TanpaIsianAsing:
    """A field this request does not take is refused (400, per field), not ignored, so a typo
    never passes for a saved change."""

    # The docstring above is what the schema shows of a write serializer without one of its own.
    # ABAIKAN: what a read gives besides the fields written, let through when a record read is
    # sent back whole.
    ABAIKAN: frozenset = frozenset()

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            dikenal = {nama for nama, f in self.fields.items() if not f.read_only}
            asing = sorted(set(data) - dikenal - self.ABAIKAN)
            if asing:
                raise serializers.ValidationError({nama: [PESAN_ASING] for nama in asing})
        return super().to_internal_value(data)


class BilanganFilter(filters.NumberFilter):
    """A whole number within the database's range: 1.5 or 10**30 is a 400, not a guess or an
    overflow."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


def hanya_skema(view) -> bool:
    """drf-spectacular is reading the view to write the schema: no person, so no query."""
    return getattr(view, "swagger_fake_view", False)


class ApiViewSet(Idempoten, viewsets.GenericViewSet):
    """Base of every viewset: idempotent writes, problem+json errors; a stale version answers
    409 with the record as it is now (``rekaman_sekarang``)."""

    def rekaman_sekarang(self):
        try:
            obj = self.get_object()
        except Exception:  # the 409 is still correct without the record
            return None
        return self.get_serializer(obj).data
