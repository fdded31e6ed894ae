"""The OpenAPI document of the API (drf-spectacular): what every operation shares.

- **Errors**: every operation lists the problems it may answer (``Masalah``, RFC 9457
  ``application/problem+json``, built by kla_portal.api.penangan_galat): 400, 401, 403, 404 and
  429 everywhere; a write also 409 (stale version or a key still running) and 422 (an
  ``Idempotency-Key`` used for another request) and 415 (a body of a type it does not read).
- **Idempotency-Key**: an optional header of every write (kla_portal.api.Idempoten).
- **Nullable read-only fields**: a field declared by hand (``SlugRelatedField(read_only=True)``
  and the like) says nothing of ``null``; when its source is a nullable model field, the
  schema says ``nullable`` as the answer will.
  A method field whose method may return None (``-> str | None``) is ``nullable`` too.
- **Tokens**: their scheme is agencies.token's (``SkemaToken``).

``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]`` names ``SkemaApi``.
"""

from __future__ import annotations

import typing

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import exceptions, serializers

from kla_portal.api import HEADER_KUNCI, JUDUL, METODE_TULIS, PROBLEM
from kla_portal.versi import PESAN_KEDALUWARSA

MASALAH = {
    "type": "object",
    "description": "Masalah (RFC 9457): `detail` dalam bahasa pembaca (`Accept-Language`).",
    "properties": {
        "type": {"type": "string", "description": "Jenis masalah (`about:blank`)."},
        "title": {"type": "string", "description": "Judul, sama untuk setiap status."},
        "status": {"type": "integer", "description": "Kode status HTTP."},
        "detail": {"type": "string", "description": "Penjelasan untuk orang."},
        "errors": {
            "type": "object",
            "additionalProperties": {},
            "description": "Pesan per kolom, seperti di formulir halaman.",
        },
        "versi": {
            "type": "integer",
            "description": "409 versi kedaluwarsa: versi rekaman sekarang.",
        },
        "sekarang": {
            "type": "object",
            "additionalProperties": {},
            "nullable": True,
            "description": "409 versi kedaluwarsa: rekaman sebagaimana sekarang.",
        },
    },
    "required": ["type", "title", "status", "detail"],
}

SEMUA = (400, 401, 403, 404, 429)
TULIS = (400, 401, 403, 404, 409, 415, 422, 429)


def _contoh(kode: int) -> dict:
    if kode == 409:  # two causes: show both, not only the rarer one
        return {
            "examples": {
                "versi": {"summary": _("Versi kedaluwarsa"), "value": _contoh_kedaluwarsa()},
                "kunci": {
                    "summary": _("Idempotency-Key masih diproses"),
                    "value": _contoh_detail(409),
                },
            }
        }
    return {"example": _contoh_detail(kode)} if kode in TULIS else {}


def _contoh_kedaluwarsa() -> dict:
    """A stale ``versi``: the current version and the record as it is now."""
    return {
        "type": "about:blank",
        "title": str(JUDUL[409]),
        "status": 409,
        "detail": str(PESAN_KEDALUWARSA)
        % {"nama": "Siti Nurhaliza", "waktu": "14 Mei 2025, 10.02"},
        "versi": 3,
        "sekarang": {"id": 7, "versi": 3, "...": "..."},
    }


def _contoh_detail(kode: int) -> dict:
    """An example of each problem, in the reader's language, with the API's own messages."""
    tambahan = {}
    if kode == 400:
        detail = str(serializers.Field.default_error_messages["required"])
        tambahan = {"errors": {"nama": [detail]}}
    elif kode == 409:
        detail = _("Permintaan dengan kunci ini masih diproses. Tunggu sebentar, lalu ulangi.")
    elif kode == 422:
        detail = _("Idempotency-Key ini sudah dipakai untuk permintaan lain. Pakai kunci baru.")
    elif kode == 404:
        detail = _("Data ini tidak ada atau bukan bagian Anda.")
    else:
        kelas = {
            401: exceptions.NotAuthenticated,
            403: exceptions.PermissionDenied,
            415: exceptions.UnsupportedMediaType,
            429: exceptions.Throttled,
        }[kode]
        detail = str(kelas.default_detail).format(media_type="text/plain", wait=60)
    return {
        "type": "about:blank",
        "title": str(JUDUL[kode]),
        "status": kode,
        "detail": detail,
        **tambahan,
    }


PARAMETER_KUNCI = {
    "in": "header",
    "name": HEADER_KUNCI,
    "required": False,
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{16,64}$"},
    "description": (
        "Kunci unik (misalnya UUID): permintaan yang sama dengan kunci yang sama dikerjakan "
        "sekali; ulangan mendapat jawaban pertama lagi (`Idempotent-Replayed: true`)."
    ),
}


def _sumber_boleh_kosong(field) -> bool:
    """Whether a serializer field reads a model field that may be null."""
    model = getattr(getattr(getattr(field, "parent", None), "Meta", None), "model", None)
    sumber = getattr(field, "source", None)
    if model is None or not sumber or "." in sumber or sumber == "*":
        return False
    try:
        return bool(model._meta.get_field(sumber).null)
    except FieldDoesNotExist:
        return False


def _metode_boleh_kosong(field) -> bool:
    """Whether a SerializerMethodField's method says it may return None (``-> str | None``),
    also when ``extend_schema_field`` gives its type."""
    if not isinstance(field, serializers.SerializerMethodField):
        return False
    metode = getattr(field.parent, getattr(field, "method_name", "") or "", None)
    try:
        petunjuk = typing.get_type_hints(metode).get("return")
    except Exception:  # an unresolvable hint says nothing
        return False
    return type(None) in typing.get_args(petunjuk)


class SkemaApi(AutoSchema):
    """drf-spectacular's AutoSchema, with the problems and the Idempotency-Key of every
    operation (see the module's docstring)."""

    def _masalah_ref(self) -> dict:
        komponen = ResolvedComponent(
            name="Masalah", type=ResolvedComponent.SCHEMA, object="Masalah", schema=MASALAH
        )
        self.registry.register_on_missing(komponen)
        return komponen.ref

    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if field.read_only and (_sumber_boleh_kosong(field) or _metode_boleh_kosong(field)):
            meta["nullable"] = True
        return meta

    def _get_response_bodies(self, direction="response"):
        jawaban = super()._get_response_bodies(direction)
        if direction != "response":
            return jawaban
        ref = self._masalah_ref()
        for kode in TULIS if self.method in METODE_TULIS else SEMUA:
            jawaban.setdefault(str(kode), {"description": str(JUDUL[kode])})
        # Every error, those an endpoint documents itself (by a description alone) too.
        for kode, isi in jawaban.items():
            if kode.isdigit() and int(kode) >= 400 and not isi.get("content"):
                isi["content"] = {PROBLEM: {"schema": ref, **_contoh(int(kode))}}
        return jawaban

    def _get_parameters(self):
        parameter = super()._get_parameters()
        if self.method in METODE_TULIS and not any(
            p.get("in") == "header" and p.get("name") == HEADER_KUNCI for p in parameter
        ):
            parameter.append(PARAMETER_KUNCI)
        return parameter
