"""Every write is saved once, however often it arrives.

A save whose answer was lost on a mobile network is pressed again; a browser re-posts on reload
or after "back". Each POST form carries a one-time key (the hidden field ``kunci_kirim``, put
into every ``form[method=post]`` by static/js/portal.js). The first request with a key records
it (person, key) under a unique constraint, in its own committed transaction, before the view
runs; a second arrival of the key is answered from that record: "sudah tersimpan" and the page
the first one was sent to, or "sedang diproses" while the first is still running. A write that
was refused (the form shown again with its errors, an error message, a failure) frees its key,
so the person can correct the form and send it again.

The store is keyed by person and key and knows nothing of forms, so the API's
``Idempotency-Key`` can use it the same way. Keys are kept a day (kla_portal.tasks).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.utils import timezone

from kla_portal.models import KunciKirim

FIELD = "kunci_kirim"
FORMAT = re.compile(r"[A-Za-z0-9_-]{16,64}")
# Signing in and out and choosing the language are no writes to keep once: logging out again
# after "back" must log out, whatever an earlier logout was.
TANPA_KUNCI = frozenset({"masuk", "keluar", "set_language"})
MASA_SIMPAN = datetime.timedelta(hours=24)
# A key still "in progress" after this long belongs to a request that died (a killed worker:
# gunicorn's timeout is 120 s); the next arrival takes it over instead of waiting for ever.
BASI = datetime.timedelta(minutes=5)


@dataclass(frozen=True)
class Klaim:
    """What recording a key found: ``baru`` (this request writes), or the earlier record
    (``kunci.status`` says whether it is done), or ``lain_alamat`` (the key was used for
    another address: not the same write, so not tracked)."""

    kunci: KunciKirim | None
    baru: bool = False
    lain_alamat: bool = False


def kunci_klaim(*, user, kunci: str, jalur: str, sidik: str = "") -> Klaim:
    """Record ``kunci`` for ``user`` before the write it guards. Call outside any transaction:
    the record commits at once, so of two identical requests at the same moment one writes
    and the other finds the first one's record (with its ``sidik``, the API's fingerprint of
    the request, from the first moment)."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                baru = KunciKirim.objects.create(user=user, kunci=kunci, jalur=jalur, sidik=sidik)
                return Klaim(baru, True)
        except IntegrityError:
            pass
        lama = KunciKirim.objects.filter(user=user, kunci=kunci).first()
        if lama is None:  # the first request failed and freed it a moment ago
            continue
        if lama.jalur != jalur:
            return Klaim(None, lain_alamat=True)
        sekarang = timezone.now()
        if lama.status == KunciKirim.Status.DIPROSES and lama.mulai < sekarang - BASI:
            diambil = KunciKirim.objects.filter(
                pk=lama.pk, status=KunciKirim.Status.DIPROSES, mulai=lama.mulai
            ).update(mulai=sekarang)
            if diambil:
                lama.mulai = sekarang
                return Klaim(lama, True)
            lama.refresh_from_db()
        return Klaim(lama)
    return Klaim(None, lain_alamat=True)  # freed and taken again and again: let it through


def kunci_selesai(*, kunci: KunciKirim, lokasi: str, respons: dict | None = None) -> None:
    """The write succeeded and sent the person to ``lokasi``: later arrivals go there too (the
    API keeps its whole ``respons`` to send again)."""
    kunci.status, kunci.lokasi, kunci.selesai = KunciKirim.Status.SELESAI, lokasi, timezone.now()
    kunci.respons = respons
    kunci.save(update_fields=["status", "lokasi", "selesai", "respons"])


def kunci_lepas(*, kunci: KunciKirim) -> None:
    """The write was refused or failed: the same key may be sent again."""
    KunciKirim.objects.filter(pk=kunci.pk).delete()


def kunci_bersihkan(*, sekarang: datetime.datetime | None = None) -> int:
    """Forget keys older than MASA_SIMPAN; returns how many."""
    batas = (sekarang or timezone.now()) - MASA_SIMPAN
    return KunciKirim.objects.filter(mulai__lt=batas).delete()[0]


def lokasi_berhasil(request, response) -> str:
    """Where a successful write sent the person (Post/Redirect/Get, or htmx's HX-Redirect);
    empty when the write did not succeed: the form shown again (200/4xx), a failure (5xx), or
    a redirect that carries an error message (a refusal told on the next page)."""
    if 300 <= response.status_code < 400 and response.has_header("Location"):
        lokasi = response["Location"]
    elif response.has_header("HX-Redirect"):
        lokasi = response["HX-Redirect"]
    else:
        return ""
    # The messages this request added (Django's storage keeps them apart from older ones).
    baru = getattr(getattr(request, "_messages", None), "_queued_messages", [])
    if any(pesan.level >= messages.ERROR for pesan in baru):
        return ""
    return lokasi
