"""Importing answers from a checked spreadsheet: all rows or none, written in bulk.

Each row is held to jawaban_simpan's rules (``isi_jawaban``, the version the check read, the
duplicate refusal) and gets the same records (a new version, who saved, a history entry); the
answers are then written with bulk_create and bulk_update, a few queries whatever the number
of rows. Keyword-only functions, each in one transaction, refusing with an Indonesian
ValidationError.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import User
from clusters import impor_jawaban
from clusters.impor_jawaban import BarisJawaban, LaporanJawaban
from clusters.impor_jawaban.periksa import daerah_dari_pengguna
from clusters.models import Jawaban, Penugasan, TahunEvaluasi
from clusters.services.jawaban import PESAN_GANDA, PESAN_KEDALUWARSA, isi_jawaban
from clusters.services.skor import skor_perlu_dihitung
from kla_portal import impor as kerangka
from kla_portal import versi as versi_lib
from kla_portal.impor import PER_KUERI, HasilImpor, potong
from kla_portal.tabel import baca_tabel

__all__ = ["jawaban_impor", "jawaban_impor_berkas"]

BERUBAH_SEJAK_PRATINJAU = gettext_lazy(
    "Jawaban berubah sejak pratinjau (seseorang menyimpan, mengirim, atau mengimpor di "
    "antaranya). Tidak ada yang diimpor: unggah berkasnya lagi untuk melihat pratinjau terbaru."
)


def jawaban_impor(*, tahun: TahunEvaluasi, laporan: LaporanJawaban, by: User | None) -> HasilImpor:
    """Write the answers of a checked file, in one transaction.

    Each row is held to jawaban_simpan's rules, so the workflow, the history, the points and
    the stale-save protection apply as for a form: the answers are locked and each compared
    with the version the check read, so an answer changed after the check is refused rather
    than overwritten. Any refusal undoes every row and names the row. The answers are then
    written in bulk (each with its new version, who saved and a history entry). Refuses a
    report with faults, or one made for another year. ``by`` is None for the command run
    without ``--oleh``.
    """
    kerangka.tolak_laporan(
        laporan,
        sama=laporan.tahun.pk == tahun.pk,
        pesan_lain=_("Laporan pemeriksaan ini untuk tahun lain."),
    )
    tulis = _TulisJawaban(tahun, laporan.tulis, by, laporan.daerah_id)
    kerangka.tulis_semua(
        laporan.tulis,
        tulis.siapkan,
        pesan_baris=_pesan_baris,
        sebelum=tulis.kunci,
        sesudah=tulis.simpan,
    )
    return laporan.hasil(kerangka.JAWABAN)


def _pesan_baris(row: BarisJawaban, pesan: str) -> str:
    return _("Baris %(b)s (%(soal)s): %(pesan)s Tidak ada jawaban yang diimpor.") % {
        "b": row.baris,
        "soal": row.pertanyaan,
        "pesan": pesan,
    }


class _TulisJawaban:
    """The bulk write of an import's answers: ``kunci`` locks the current answers and finds
    the lead agencies of the new ones, ``siapkan`` holds a row to jawaban_simpan's rules and
    gets its answer ready (writing every PER_KUERI answers ready), ``simpan`` writes those
    left with their history."""

    FIELDS = [*Jawaban.ISIAN, "poin_opd", "versi", "diubah_oleh", "diubah"]

    def __init__(
        self, tahun: TahunEvaluasi, rows: list[BarisJawaban], by: User | None, daerah_id=None
    ):
        self.tahun = tahun
        self.rows = rows
        self.by = by
        # The kab/kota the answers belong to: the importer's; from the command line without a
        # name, the installation's (first) one.
        self.daerah_id = daerah_id or daerah_dari_pengguna(by)
        self.sekarang = timezone.now()
        self.ada: dict[int, Jawaban] = {}
        self.utama: dict[int, int] = {}  # question → its lead agency's id
        self.baru: list[tuple[BarisJawaban, Jawaban]] = []
        self.ubah: list[Jawaban] = []
        self.skor_ditandai = False

    def kunci(self) -> None:
        """Lock the city-level answers of the rows (as jawaban_simpan does, one query per
        PER_KUERI rows), and read the lead agency of each question without one (its first by
        name, as ``opd_utama`` takes it)."""
        for ids in potong([row.pertanyaan.pk for row in self.rows]):
            self.ada.update(
                (jawaban.pertanyaan_id, jawaban)
                for jawaban in Jawaban.objects.filter(
                    daerah_id=self.daerah_id, pertanyaan_id__in=ids, wilayah__isnull=True
                )
                .select_for_update(of=("self",))
                .select_related("diubah_oleh")
            )
        for ids in potong(
            [row.pertanyaan.pk for row in self.rows if row.pertanyaan.pk not in self.ada]
        ):
            for pertanyaan_id, opd_id in (
                Penugasan.objects.filter(
                    daerah_id=self.daerah_id, pertanyaan_id__in=ids, utama=True
                )
                .order_by("opd__nama", "opd_id")
                .values_list("pertanyaan_id", "opd_id")
            ):
                self.utama.setdefault(pertanyaan_id, opd_id)

    def siapkan(self, row: BarisJawaban) -> None:
        pertanyaan = row.pertanyaan
        jawaban = self.ada.get(pertanyaan.pk)
        if jawaban is None:
            jawaban = Jawaban(
                daerah_id=self.daerah_id,
                pertanyaan=pertanyaan,
                wilayah=None,
                opd_id=self.utama.get(pertanyaan.pk),
            )
            jawaban.versi = 0
        versi_lib.periksa_versi(jawaban, row.versi, pesan=PESAN_KEDALUWARSA)
        isi_jawaban(jawaban, pertanyaan, wilayah=None, **row.nilai())
        jawaban.versi += 1
        jawaban.diubah_oleh = self.by
        jawaban.diubah = self.sekarang
        jawaban._history_user = self.by
        if jawaban.pk is None:
            self.baru.append((row, jawaban))
        else:
            self.ubah.append(jawaban)
        if len(self.baru) + len(self.ubah) >= PER_KUERI:
            self.simpan()  # a batch at a time: memory stays that of one batch

    def simpan(self) -> None:
        """Write the answers ready (then forget them), their history entries ("+" new, "~"
        changed) and mark the year's scores for a recompute, as every save of an answer does."""
        baru = [jawaban for _row, jawaban in self.baru]
        if baru:
            try:
                with transaction.atomic():
                    Jawaban.objects.bulk_create(baru, batch_size=PER_KUERI)
            except IntegrityError:
                raise ValidationError(_pesan_baris(self._ganda(), str(PESAN_GANDA))) from None
        Jawaban.objects.bulk_update(self.ubah, self.FIELDS, batch_size=PER_KUERI)
        kerangka.riwayat_massal(Jawaban, baru=baru, ubah=self.ubah, by=self.by, waktu=self.sekarang)
        if (baru or self.ubah) and not self.skor_ditandai:
            skor_perlu_dihitung(tahun_id=self.tahun.pk, daerah_id=self.daerah_id)
            self.skor_ditandai = True
        self.baru, self.ubah = [], []

    def _ganda(self) -> BarisJawaban:
        """The first new row whose answer someone else created meanwhile."""
        rows = [row for row, _jawaban in self.baru]
        ada = set()
        for ids in potong([row.pertanyaan.pk for row in rows]):
            ada.update(
                Jawaban.objects.filter(
                    daerah_id=self.daerah_id, pertanyaan_id__in=ids, wilayah__isnull=True
                ).values_list("pertanyaan_id", flat=True)
            )
        return next((row for row in rows if row.pertanyaan.pk in ada), rows[0])


def jawaban_impor_berkas(
    *, tahun: TahunEvaluasi, nama: str, isi: bytes, versi_pratinjau: dict, by: User
) -> HasilImpor:
    """Check a previewed file again, as ``by``, and write it. Refuses when the check now finds
    a fault (the year closed, a question reassigned) or an answer the preview saw has changed
    since."""
    laporan = impor_jawaban.periksa(baca_tabel(nama, isi), tahun=tahun, pengguna=by)
    kerangka.periksa_ulang(laporan, versi_pratinjau, berubah=BERUBAH_SEJAK_PRATINJAU)
    return jawaban_impor(tahun=tahun, laporan=laporan, by=by)
