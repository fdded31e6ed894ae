"""The approval workflow shared by answers and, later, RAD realisation reports.

draft → waiting for the agency head → waiting for verification → verified (locked), or
returned with a reason at either check → draft again; a verified item can be reopened with a
reason. Each step names the states it starts from; ``jalankan`` refuses any other, so a double
submit or a stale page changes nothing.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draf")
    MENUNGGU_KEPALA = "menunggu_kepala", _("Menunggu persetujuan kepala")
    MENUNGGU_VERIFIKASI = "menunggu_verifikasi", _("Menunggu verifikasi")
    TERVERIFIKASI = "terverifikasi", _("Terverifikasi")
    DIKEMBALIKAN = "dikembalikan", _("Dikembalikan")


BISA_DIUBAH = frozenset({Status.DRAFT, Status.DIKEMBALIKAN})


@dataclass(frozen=True)
class Langkah:
    nama: str
    dari: frozenset
    ke: str
    perlu_alasan: bool
    sudah: str  # said when the item is not in a starting state any more


LANGKAH = {
    langkah.nama: langkah
    for langkah in (
        Langkah("kirim", BISA_DIUBAH, Status.MENUNGGU_KEPALA, False, _("sudah dikirim")),
        Langkah(
            "setujui",
            frozenset({Status.MENUNGGU_KEPALA}),
            Status.MENUNGGU_VERIFIKASI,
            False,
            _("tidak menunggu persetujuan kepala"),
        ),
        Langkah(
            "tolak",
            frozenset({Status.MENUNGGU_KEPALA}),
            Status.DIKEMBALIKAN,
            True,
            _("tidak menunggu persetujuan kepala"),
        ),
        Langkah(
            "verifikasi",
            frozenset({Status.MENUNGGU_VERIFIKASI}),
            Status.TERVERIFIKASI,
            False,
            _("tidak menunggu verifikasi"),
        ),
        Langkah(
            "kembalikan",
            frozenset({Status.MENUNGGU_VERIFIKASI}),
            Status.DIKEMBALIKAN,
            True,
            _("tidak menunggu verifikasi"),
        ),
        Langkah(
            "buka_kembali",
            frozenset({Status.TERVERIFIKASI}),
            Status.DIKEMBALIKAN,
            True,
            _("belum terverifikasi"),
        ),
    )
}


def bisa(item, nama_langkah: str) -> bool:
    """Whether the step may start from the item's current state."""
    return item.status in LANGKAH[nama_langkah].dari


def jalankan(item, nama_langkah: str, *, alasan: str = "") -> str:
    """Move ``item`` (with ``status`` and ``alasan`` fields) one step; returns the old status.

    The caller saves the item, inside a transaction that locked its row.
    """
    langkah = LANGKAH[nama_langkah]
    if item.status not in langkah.dari:
        raise ValidationError(
            _("Tidak dapat diproses: %(item)s %(sudah)s (status: %(status)s). Muat ulang halaman.")
            % {"item": item, "sudah": langkah.sudah, "status": Status(item.status).label}
        )
    if langkah.perlu_alasan and not alasan.strip():
        raise ValidationError(
            {"alasan": _("Tuliskan alasannya agar penerima tahu apa yang harus diperbaiki.")}
        )
    lama = item.status
    item.status = langkah.ke
    if langkah.perlu_alasan:
        item.alasan = alasan.strip()
    return lama
