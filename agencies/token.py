"""How a program signs in to the REST API: ``Authorization: Bearer kla_<awalan>_<rahasia>``.

- ``TokenAuthentication`` (first in DEFAULT_AUTHENTICATION_CLASSES, so a request without any
  credentials gets 401 with ``WWW-Authenticate: Bearer``): finds the token by its prefix,
  compares the SHA-256 of what was sent in constant time, refuses a revoked or expired token or
  an inactive owner (401), and a read-only token on a write (403). The token acts as its owner,
  so the owner's roles scope every answer exactly as on the pages. The browser keeps its session
  (SessionAuthentication, with its CSRF check).
- ``BatasPermintaan``: requests per minute per token (per person for a session, per address
  for anyone else), reads and writes counted apart; the limits come from settings
  (API_BATAS_BACA_PER_MENIT, API_BATAS_TULIS_PER_MENIT). Over the limit: 429 with Retry-After.
  The counts are kept in the configured cache; while it does not answer, nothing is limited.
"""

from __future__ import annotations

import hmac
import math

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from agencies import services
from agencies.models import TokenApi
from agencies.services.token_api import AWALAN_TOKEN, token_hash
from kla_portal.cache import cache_get, cache_set

METODE_AMAN = frozenset({"GET", "HEAD", "OPTIONS"})
SKEMA = b"bearer"


def _tidak_dikenal() -> exceptions.AuthenticationFailed:
    return exceptions.AuthenticationFailed(
        _("Token API tidak dikenal. Periksa tokennya, atau buat token baru di halaman Akun saya.")
    )


def _cari(teks: str) -> TokenApi:
    bagian = teks.split("_", 2)
    if len(bagian) != 3 or bagian[0] != AWALAN_TOKEN or not bagian[1] or not bagian[2]:
        raise _tidak_dikenal()
    token = TokenApi.objects.select_related("user").filter(awalan=bagian[1]).first()
    if token is None or not hmac.compare_digest(token.hash, token_hash(teks)):
        raise _tidak_dikenal()
    return token


class TokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <token>``; see the module's docstring."""

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != SKEMA:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Header Authorization harus berbentuk 'Bearer <token>', tanpa spasi lain.")
            )
        try:
            teks = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise _tidak_dikenal() from None
        token = _cari(teks)
        self._periksa(token)
        if token.akses != TokenApi.Akses.TULIS and request.method not in METODE_AMAN:
            raise exceptions.PermissionDenied(
                _(
                    "Token ini hanya untuk membaca. Untuk mengubah data, buat token dengan "
                    "akses baca dan tulis."
                )
            )
        services.token_dipakai(token=token)
        return token.user, token

    @staticmethod
    def _periksa(token: TokenApi) -> None:
        if token.dicabut is not None:
            raise exceptions.AuthenticationFailed(_("Token API ini sudah dicabut."))
        if token.kedaluwarsa_lewat:
            raise exceptions.AuthenticationFailed(_("Token API ini sudah kedaluwarsa."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Akun pemilik token ini tidak aktif."))

    def authenticate_header(self, request):
        return "Bearer"


class Terlalu(exceptions.Throttled):
    """429 in the reader's language, with Retry-After (DRF sets it from ``wait``)."""

    def __init__(self, detik: int):
        exceptions.APIException.__init__(
            self,
            _("Terlalu banyak permintaan. Coba lagi dalam %(detik)s detik.") % {"detik": detik},
        )
        self.wait = detik


class _CacheLunak:
    """The configured cache through kla_portal.cache: when it does not answer, the request is
    let through (no count) instead of failing."""

    def get(self, kunci, default=None):
        return cache_get(kunci, default)

    def set(self, kunci, nilai, timeout):
        cache_set(kunci, nilai, timeout)


class BatasPermintaan(SimpleRateThrottle):
    """Per token (else per person, else per address), reads and writes counted apart."""

    cache = _CacheLunak()
    cache_format = "api_batas_%(scope)s_%(ident)s"

    def __init__(self):  # the rate depends on the request: chosen in allow_request
        self.rate = None

    def allow_request(self, request, view):
        self.scope = "api_baca" if request.method in METODE_AMAN else "api_tulis"
        # Read now, not at import: a changed setting (a test's) counts.
        self.rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, TokenApi):
            ident = f"token{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user{request.user.pk}"
        else:
            ident = f"ip{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def throttle_failure(self):
        detik = max(1, math.ceil(self.wait() or 1))
        raise Terlalu(detik)


class SkemaToken(OpenApiAuthenticationExtension):
    """The token in the OpenAPI document: an HTTP bearer scheme."""

    target_class = "agencies.token.TokenAuthentication"
    name = "tokenApi"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "kla_<awalan>_<rahasia>",
            "description": _(
                "Token API dari halaman Akun saya: Authorization: Bearer kla_<awalan>_<rahasia>."
            ),
        }
