"""Writes of background jobs (kla_portal.models.Pekerjaan), used by the tasks that run them."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kla_portal.models import Pekerjaan


class Dibatalkan(Exception):
    """The person asked to cancel; the task stops at its next report."""


def buat(*, jenis: str, judul: str, by) -> Pekerjaan:
    return Pekerjaan.objects.create(jenis=jenis, judul=judul, dibuat_oleh=by)


def lapor(pekerjaan: Pekerjaan, *, persen: int, langkah: str) -> None:
    """Record progress; raises Dibatalkan when cancelling was asked for. Written outside any
    transaction of the task, so the page sees it at once."""
    with transaction.atomic():
        row = Pekerjaan.objects.select_for_update().get(pk=pekerjaan.pk)
        if row.minta_batal:
            row.status, row.selesai = Pekerjaan.Status.DIBATALKAN, timezone.now()
            row.langkah = _("Dibatalkan atas permintaan; tidak ada yang disimpan.")
            row.save(update_fields=["status", "selesai", "langkah"])
        else:
            row.persen = max(0, min(100, persen))
            row.langkah = langkah
            if row.status == Pekerjaan.Status.ANTRE:
                row.status, row.mulai = Pekerjaan.Status.BERJALAN, timezone.now()
            row.save(update_fields=["persen", "langkah", "status", "mulai"])
    # Raised once the block has committed: raised inside it, the cancelled status would be
    # rolled back and the job would show as running for ever.
    if row.minta_batal:
        raise Dibatalkan


def selesai(pekerjaan: Pekerjaan, *, hasil: dict, langkah: str = "") -> None:
    Pekerjaan.objects.filter(pk=pekerjaan.pk).update(
        status=Pekerjaan.Status.SELESAI,
        persen=100,
        langkah=langkah,
        hasil=hasil,
        selesai=timezone.now(),
    )


def gagal(pekerjaan: Pekerjaan, *, pesan: str) -> None:
    Pekerjaan.objects.filter(pk=pekerjaan.pk).update(
        status=Pekerjaan.Status.GAGAL, pesan=pesan, selesai=timezone.now()
    )


def minta_batal(pekerjaan: Pekerjaan) -> None:
    """Ask the task to stop; a job still queued is cancelled at once."""
    Pekerjaan.objects.filter(pk=pekerjaan.pk, status=Pekerjaan.Status.ANTRE).update(
        status=Pekerjaan.Status.DIBATALKAN,
        minta_batal=True,
        selesai=timezone.now(),
        langkah=_("Dibatalkan sebelum dimulai; tidak ada yang disimpan."),
    )
    Pekerjaan.objects.filter(pk=pekerjaan.pk, status=Pekerjaan.Status.BERJALAN).update(
        minta_batal=True
    )
