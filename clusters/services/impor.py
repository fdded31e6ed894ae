"""Importing answers from a checked spreadsheet: every row through jawaban_simpan, all or nothing.

Keyword-only functions, each in one transaction, refusing with an Indonesian ValidationError.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import User
from clusters import impor_jawaban
from clusters.impor_jawaban import LaporanJawaban
from clusters.models import TahunEvaluasi
from clusters.services.jawaban import jawaban_simpan
from kla_portal import impor as kerangka
from kla_portal.impor import HasilImpor
from kla_portal.tabel import baca_tabel

__all__ = ["jawaban_impor", "jawaban_impor_berkas"]

BERUBAH_SEJAK_PRATINJAU = gettext_lazy(
    "Jawaban berubah sejak pratinjau (seseorang menyimpan, mengirim, atau mengimpor di "
    "antaranya). Tidak ada yang diimpor: unggah berkasnya lagi untuk melihat pratinjau terbaru."
)


def jawaban_impor(*, tahun: TahunEvaluasi, laporan: LaporanJawaban, by: User | None) -> HasilImpor:
    """Write the answers of a checked file, in one transaction.

    Each row goes through jawaban_simpan, so the workflow, the history, the points and the
    stale-save protection apply as for a form: the version passed is the one the check read,
    and jawaban_simpan compares it with the current one under its row lock, so an answer
    changed after the check is refused rather than overwritten. Any refusal undoes every row
    and names the row. Refuses a report with faults, or one made for another year. ``by`` is
    None for the command run without ``--oleh``.
    """
    kerangka.tolak_laporan(
        laporan,
        sama=laporan.tahun.pk == tahun.pk,
        pesan_lain=_("Laporan pemeriksaan ini untuk tahun lain."),
    )
    kerangka.tulis_semua(
        laporan.tulis,
        lambda row: jawaban_simpan(
            pertanyaan=row.pertanyaan, by=by, versi=row.versi, **row.nilai()
        ),
        pesan_baris=lambda row, pesan: (
            _("Baris %(b)s (%(soal)s): %(pesan)s Tidak ada jawaban yang diimpor.")
            % {"b": row.baris, "soal": row.pertanyaan, "pesan": pesan}
        ),
    )
    return laporan.hasil(kerangka.JAWABAN)


def jawaban_impor_berkas(
    *, tahun: TahunEvaluasi, nama: str, isi: bytes, versi_pratinjau: dict, by: User
) -> HasilImpor:
    """Check a previewed file again, as ``by``, and write it. Refuses when the check now finds
    a fault (the year closed, a question reassigned) or an answer the preview saw has changed
    since."""
    laporan = impor_jawaban.periksa(baca_tabel(nama, isi), tahun=tahun, pengguna=by)
    kerangka.periksa_ulang(laporan, versi_pratinjau, berubah=BERUBAH_SEJAK_PRATINJAU)
    return jawaban_impor(tahun=tahun, laporan=laporan, by=by)
