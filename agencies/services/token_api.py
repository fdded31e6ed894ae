"""Personal API tokens: made, shown once, revoked.

A token reads ``kla_<awalan>_<rahasia>``: ``awalan`` (8 hex characters) finds the row, the
secret is 256 random bits (``secrets.token_urlsafe``). Only the SHA-256 of the whole token is
stored, so a copy of the database gives no usable token. A token acts as its owner, with the
owner's roles, and may be limited to reading (``akses=baca``).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import TokenApi, User

AWALAN_TOKEN = "kla"  # noqa: S105 - the marker of every token, not a secret
# A person (or a system's account) rarely needs more; a runaway script making tokens stops here.
TOKEN_AKTIF_MAKS = 20


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _baru(*, user: User, nama: str, akses: str, kedaluwarsa) -> tuple[TokenApi, str]:
    awalan = secrets.token_hex(4)
    token = f"{AWALAN_TOKEN}_{awalan}_{secrets.token_urlsafe(32)}"
    baris = TokenApi.objects.create(
        user=user,
        nama=nama,
        awalan=awalan,
        hash=token_hash(token),
        akses=akses,
        kedaluwarsa=kedaluwarsa,
    )
    return baris, token


def _periksa(*, user: User, nama: str, akses: str, kedaluwarsa) -> str:
    nama = " ".join((nama or "").split())
    if not nama:
        raise ValidationError(
            {"nama": _("Beri token ini nama, misalnya nama skrip atau sistemnya.")}
        )
    if len(nama) > 100:
        raise ValidationError({"nama": _("Nama token paling panjang 100 karakter.")})
    if akses not in TokenApi.Akses.values:
        raise ValidationError({"akses": _("Pilih akses: hanya baca, atau baca dan tulis.")})
    if kedaluwarsa is not None and kedaluwarsa <= timezone.now():
        raise ValidationError({"kedaluwarsa": _("Tanggal berlaku harus di masa depan.")})
    if not user.is_active:
        raise ValidationError(_("Akun ini tidak aktif; tokennya tidak dapat dibuat."))
    if TokenApi.objects.visible_to(user).berlaku().count() >= TOKEN_AKTIF_MAKS:
        raise ValidationError(
            _("Anda sudah punya %(n)s token aktif. Cabut token yang tidak dipakai lagi dahulu.")
            % {"n": TOKEN_AKTIF_MAKS}
        )
    return nama


def token_buat(
    *, user: User, nama: str, akses: str, kedaluwarsa: datetime.datetime | None = None
) -> tuple[TokenApi, str]:
    """A new token of ``user``: the row and the token itself, which is never shown again."""
    nama = _periksa(user=user, nama=nama, akses=akses, kedaluwarsa=kedaluwarsa)
    for _coba in range(5):  # the 8-character prefix of another token, by chance
        try:
            with transaction.atomic():
                return _baru(user=user, nama=nama, akses=akses, kedaluwarsa=kedaluwarsa)
        except IntegrityError:
            continue
    raise ValidationError(_("Token tidak dapat dibuat sekarang. Coba lagi."))


def token_cabut(*, token: TokenApi, by: User) -> TokenApi:
    """Revoke a token of ``by`` (its owner): it stops working at once and stays in the list."""
    if token.user_id != by.pk:
        raise ValidationError(_("Hanya pemilik token yang dapat mencabutnya."))
    with transaction.atomic():
        terkunci = TokenApi.objects.select_for_update().get(pk=token.pk)
        if terkunci.dicabut is not None:
            raise ValidationError(_("Token ini sudah dicabut."))
        terkunci.dicabut = timezone.now()
        terkunci.dicabut_oleh = by
        terkunci.save(update_fields=["dicabut", "dicabut_oleh"])
    token.dicabut, token.dicabut_oleh = terkunci.dicabut, by
    return token


def token_dipakai(*, token: TokenApi, sekarang: datetime.datetime | None = None) -> None:
    """Record a use, at most once a minute: no write on every request."""
    sekarang = sekarang or timezone.now()
    terakhir = token.terakhir_dipakai
    if terakhir is not None and sekarang - terakhir < datetime.timedelta(minutes=1):
        return
    TokenApi.objects.filter(pk=token.pk).update(terakhir_dipakai=sekarang)
    token.terakhir_dipakai = sekarang
