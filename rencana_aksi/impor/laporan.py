"""The report of a checked RAD file: the rows it would write, the rows it skips, its faults."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from kla_portal.impor import LaporanImpor
from rencana_aksi.impor.kolom import REALISASI, RENCANA, ROMAWI_TULIS
from rencana_aksi.models import Aksi, PeriodeRad, Realisasi
from rencana_aksi.services import DataAksi


@dataclass(frozen=True)
class BarisAksi:
    """An action the file would create or change, with every value it would have afterwards."""

    baris: int
    data: DataAksi
    aksi: Aksi | None  # the action as the check read it; None for a new one
    sidik: str  # fingerprint of that action: the write refuses if it changed since
    berubah: tuple[str, ...]  # the columns that change

    @property
    def baru(self) -> bool:
        return self.aksi is None

    @property
    def kunci(self) -> str:
        return f"aksi:{self.data.kode}"

    @property
    def versi(self) -> str:
        return self.sidik or "baru"

    def __str__(self) -> str:
        return f"{self.data.kode} {self.data.nama}"


@dataclass(frozen=True)
class BarisRealisasi:
    """A quarterly report the file would create or change."""

    baris: int
    aksi: Aksi
    tahun: int
    triwulan: int
    realisasi: Realisasi | None
    capaian: Decimal | None
    anggaran: Decimal | None
    narasi: str

    @property
    def baru(self) -> bool:
        return self.realisasi is None

    @property
    def kunci(self) -> str:
        return f"realisasi:{self.aksi.pk}:{self.tahun}:{self.triwulan}"

    @property
    def versi(self) -> int:
        """The version the check read: realisasi_simpan refuses if the report changed since."""
        return self.realisasi.versi if self.realisasi else 0

    @property
    def triwulan_romawi(self) -> str:
        return ROMAWI_TULIS[self.triwulan]

    def __str__(self) -> str:
        return f"{self.aksi.kode} {self.tahun} TW {self.triwulan_romawi}"


@dataclass(frozen=True)
class Dilewati:
    """A row left alone: its quarterly report was sent, approved or reviewed."""

    baris: int
    label: str
    status: str


@dataclass(kw_only=True)
class LaporanRad(LaporanImpor):
    """What a file would import, what it skips, and what is wrong with it."""

    periode: PeriodeRad
    jenis: str = ""  # RENCANA or REALISASI; "" when the sheet is neither
    baris_berkas: int = 0

    TAMPIL_MAKS = 300  # rows of each list shown on the preview page

    @property
    def jenis_label(self) -> str:
        return {RENCANA: _("rencana aksi"), REALISASI: _("realisasi triwulan")}.get(self.jenis, "")

    def judul(self) -> str:
        return f"{self.periode}, {self.jenis_label}" if self.jenis else f"{self.periode}"

    def ringkasan(self) -> str:
        benda = _("aksi") if self.jenis == RENCANA else _("laporan")
        return _(
            "%(baris)s baris: %(baru)s %(benda)s baru, %(ubah)s diperbarui, %(sama)s tidak "
            "berubah, %(lewat)s dilewati, %(kosong)s baris kosong, %(galat)s galat."
        ) % {"baris": self.baris_berkas, "benda": benda, **self.angka()}

    def baris_lain(self) -> list[str]:
        return [
            "  dilewati   "
            + _("baris %(b)s: %(label)s (%(status)s)")
            % {"b": d.baris, "label": d.label, "status": d.status}
            for d in self.dilewati
        ]
