"""The columns of the RAD sheets, declared once.

Adding a plan column is one entry in ``KOLOM_AKSI`` below (plus its field on the model and on
``services.DataAksi``): the template writes it, the check reads it with the reader its ``jenis``
names, compares it and refuses what an operator may not change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from rencana_aksi.models import Aksi

RENCANA, REALISASI = "rencana", "realisasi"


@dataclass(frozen=True)
class KolomRencana:
    """A column of the plan sheet: its header, the ``DataAksi`` field it sets, how a cell is
    read (``jenis``: teks, kode, angka, klaster, status, indikator, opd, opd_daftar), how the
    template writes the action's value (default: the field as it is), and whether a new
    action needs it."""

    nama: str
    bidang: str
    jenis: str = "teks"
    templat: Callable[[Aksi], object] | None = None
    wajib_baru: bool = False

    def tulis_templat(self, aksi: Aksi):
        return self.templat(aksi) if self.templat else getattr(aksi, self.bidang)


def _pendukung(aksi: Aksi) -> str:
    return "; ".join(o.singkatan for o in aksi.opd_pendukung.all() if o.pk != aksi.opd_utama_id)


# The plan's columns after kode_aksi, in template order; per year the columns of TAHUNAN follow.
KOLOM_AKSI = (
    KolomRencana("aksi", "nama", wajib_baru=True),
    KolomRencana(
        "klaster", "klaster", "klaster", lambda aksi: aksi.get_klaster_display(), wajib_baru=True
    ),
    KolomRencana(
        "indikator_kla",
        "indikator_kla",
        "indikator",
        lambda aksi: "; ".join(i.kode for i in aksi.indikator.all()),
    ),
    KolomRencana("program_kode", "program_kode", "kode"),
    KolomRencana("program", "program"),
    KolomRencana("kegiatan_kode", "kegiatan_kode", "kode"),
    KolomRencana("kegiatan", "kegiatan"),
    KolomRencana("sub_kegiatan_kode", "sub_kegiatan_kode", "kode"),
    KolomRencana("sub_kegiatan", "sub_kegiatan"),
    KolomRencana("indikator_kinerja", "indikator_kinerja", wajib_baru=True),
    KolomRencana("satuan", "satuan", wajib_baru=True),
    KolomRencana("baseline", "baseline", "angka"),
    KolomRencana("opd", "opd_utama", "opd", lambda aksi: aksi.opd_utama.singkatan, True),
    KolomRencana("opd_pendukung", "opd_pendukung", "opd_daftar", _pendukung),
    KolomRencana("status", "status", "status", lambda aksi: aksi.get_status_display()),
)
PER_NAMA = {k.nama: k for k in KOLOM_AKSI}
KOLOM_RENCANA = ("kode_aksi", *PER_NAMA)
# Plan column → DataAksi field, for the columns that are not the code or a year's.
BIDANG = {k.nama: k.bidang for k in KOLOM_AKSI}
SKALAR = {k.bidang for k in KOLOM_AKSI if k.jenis not in ("indikator", "opd_daftar")}
WAJIB_AKSI_BARU = tuple(k.nama for k in KOLOM_AKSI if k.wajib_baru)
NOMENKLATUR = tuple(k.nama for k in KOLOM_AKSI if k.jenis == "kode")
TAHUNAN = ("target", "pagu", "sumber")
KOLOM_TAHUNAN = re.compile(r"^(target|pagu|sumber)_(\d{4})$")

NILAI_REALISASI = ("capaian", "anggaran", "uraian")
KOLOM_REALISASI = ("kode_aksi", "tahun", "triwulan", *NILAI_REALISASI)
KOLOM_TEMPLAT_REALISASI = [
    "kode_aksi",
    "aksi",
    "opd",
    "indikator_kinerja",
    "satuan",
    "target",
    "tahun",
    "triwulan",
    "capaian",
    "anggaran",
    "uraian",
    "status",
    "versi_laporan",
]

SEN = Decimal("0.01")
BATAS_ANGKA = Decimal(10) ** 12  # models.ANGKA: 14 digits, two after the comma
BATAS_RUPIAH = Decimal(10) ** 16  # models.RUPIAH: 18 digits
ROMAWI = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
ROMAWI_TULIS = {angka: romawi.upper() for romawi, angka in ROMAWI.items()}
TRIWULAN = re.compile(r"^(?:tw|triwulan|q)?\s*\.?\s*([1-4]|i{1,3}|iv)$", re.IGNORECASE)


def daftar_kolom() -> str:
    return _(
        "rencana: %(rencana)s, lalu per tahun target_<tahun>, pagu_<tahun>, sumber_<tahun>; "
        "realisasi: %(realisasi)s"
    ) % {"rencana": ", ".join(KOLOM_RENCANA), "realisasi": ", ".join(KOLOM_REALISASI)}


def jenis_lembar(kolom: list[str]) -> str:
    """RENCANA or REALISASI from a sheet's header; "" when it is neither."""
    if "triwulan" in kolom or "capaian" in kolom:
        return REALISASI
    rencana = [k for k in kolom if k in KOLOM_RENCANA or KOLOM_TAHUNAN.match(k)]
    if "kode_aksi" in kolom or len(rencana) >= 2:
        return RENCANA
    return ""


def nama_kolom(raw) -> str:
    """A header as the import names it: "Kode Aksi" and "kode-aksi" are kode_aksi."""
    return re.sub(r"[\s\-]+", "_", str(raw or "").strip().lower())
