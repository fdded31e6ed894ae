"""The report of a checked answers file: the answers it would write, the rows it skips."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from clusters import scoring
from clusters.models import Jawaban, Pertanyaan, TahunEvaluasi
from kla_portal.impor import LaporanImpor

KOLOM_WAJIB = ("kode_indikator", "kode_pertanyaan")
KOLOM_ANGKA = ("poin", "cakupan_persen", "angka_tahun_ini", "angka_tahun_lalu")
KOLOM_NILAI = (*KOLOM_ANGKA, "catatan")
# The downloadable template: the columns read back, and others for the reader (ignored).
KOLOM_TEMPLAT = [
    "kelompok",
    "kode_indikator",
    "indikator",
    "kode_pertanyaan",
    "pertanyaan",
    "nilai_max",
    "cara_penilaian",
    "poin_pilihan",
    "angka_diminta",
    "poin",
    "cakupan_persen",
    "angka_tahun_ini",
    "angka_tahun_lalu",
    "catatan",
    "opd",
    "status",
    "tahun",
    "versi_jawaban",
]
BATAS_ANGKA = Decimal(10) ** 14  # angka_tahun_*: 16 digits, two of them after the comma


@dataclass(frozen=True)
class BarisJawaban:
    """An answer the file would write, with every value it would have afterwards."""

    baris: int
    pertanyaan: Pertanyaan
    jawaban: Jawaban | None  # the current city-level answer; None when there is none yet
    fraksi: Decimal | None
    cakupan_persen: Decimal | None
    poin_langsung: Decimal | None
    angka_tahun_ini: Decimal | None
    angka_tahun_lalu: Decimal | None
    catatan: str

    @property
    def versi(self) -> int:
        """The version the check read: the write is refused if the answer changed since."""
        return self.jawaban.versi if self.jawaban else 0

    @property
    def baru(self) -> bool:
        return self.jawaban is None

    @property
    def kunci(self) -> str:
        return str(self.pertanyaan.pk)

    @property
    def poin(self) -> Decimal | None:
        return scoring.poin_pertanyaan(
            nilai_max=self.pertanyaan.nilai_max,
            cara=self.pertanyaan.cara_penilaian,
            fraksi=self.fraksi,
            cakupan_persen=self.cakupan_persen,
            poin_langsung=self.poin_langsung,
        )

    def nilai(self) -> dict:
        """The values for services.jawaban_simpan."""
        return {name: getattr(self, name) for name in Jawaban.ISIAN}


@dataclass(frozen=True)
class Dilewati:
    """A row left alone because its answer is on its way or verified."""

    baris: int
    pertanyaan: Pertanyaan
    jawaban: Jawaban

    @property
    def status(self) -> str:
        return self.jawaban.get_status_display()


@dataclass(kw_only=True)
class LaporanJawaban(LaporanImpor):
    """What a file would import, what it skips, and what is wrong with it."""

    tahun: TahunEvaluasi
    daerah_id: int | None = None  # the kab/kota whose answers these are
    # Rows of a stale template the person left as they were: counted in ``tidak_berubah``
    # and listed, since someone else's newer change to those answers is kept.
    tidak_berubah_basi: list[Dilewati] = field(default_factory=list)

    def judul(self) -> str:
        return f"{self.tahun}"

    def ringkasan(self) -> str:
        return (
            _(
                "%(baru)s jawaban baru, %(ubah)s diperbarui, %(sama)s tidak berubah, "
                "%(lewat)s dilewati, %(kosong)s baris kosong, %(galat)s galat."
            )
            % self.angka()
        )

    def baris_lain(self) -> list[str]:
        basi = [
            "  tidak berubah "
            + _("baris %(b)s: %(soal)s (diubah orang lain sejak templat diunduh; tetap)")
            % {"b": d.baris, "soal": d.pertanyaan}
            for d in self.tidak_berubah_basi
        ]
        return basi + [
            "  dilewati   "
            + _("baris %(b)s: %(soal)s (%(status)s)")
            % {"b": d.baris, "soal": d.pertanyaan, "status": d.status}
            for d in self.dilewati
        ]
