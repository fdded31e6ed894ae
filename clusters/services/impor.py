"""Importing answers from a checked spreadsheet: every row through jawaban_simpan, all or nothing.

Keyword-only functions, each in one transaction, refusing with an Indonesian ValidationError.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.models import User
from clusters.impor_jawaban import LaporanJawaban
from clusters.models import TahunEvaluasi
from clusters.services.jawaban import jawaban_simpan

# clusters.services.HasilImpor stays the instrument import's result.
__all__ = ["jawaban_impor"]


@dataclass(frozen=True)
class HasilImpor:
    baru: int
    diperbarui: int
    tidak_berubah: int
    dilewati: int

    def as_text(self) -> str:
        return _("Jawaban baru %(b)s, diperbarui %(u)s, tidak berubah %(s)s, dilewati %(l)s.") % {
            "b": self.baru,
            "u": self.diperbarui,
            "s": self.tidak_berubah,
            "l": self.dilewati,
        }


@transaction.atomic
def jawaban_impor(*, tahun: TahunEvaluasi, laporan: LaporanJawaban, by: User | None) -> HasilImpor:
    """Write the answers of a checked file, in one transaction.

    Each row goes through jawaban_simpan, so the workflow, the history, the points and the
    stale-save protection apply as for a form: the version passed is the one the check read,
    and jawaban_simpan compares it with the current one under its row lock, so an answer
    changed after the check is refused rather than overwritten. Any refusal undoes every row
    and names the row. Refuses a report with faults, or one made for another year. ``by`` is
    None for the command run without ``--oleh``.
    """
    if laporan.tahun.pk != tahun.pk:
        raise ValidationError(_("Laporan pemeriksaan ini untuk tahun lain."))
    if laporan.ada_galat:
        raise ValidationError(_("Berkas masih mengandung galat; perbaiki lalu unggah lagi."))
    for row in laporan.tulis:
        try:
            jawaban_simpan(pertanyaan=row.pertanyaan, by=by, versi=row.versi, **row.nilai())
        except ValidationError as error:
            raise ValidationError(
                _("Baris %(b)s (%(soal)s): %(pesan)s Tidak ada jawaban yang diimpor.")
                % {"b": row.baris, "soal": row.pertanyaan, "pesan": " ".join(error.messages)}
            ) from error
    return HasilImpor(
        baru=laporan.baru,
        diperbarui=laporan.diperbarui,
        tidak_berubah=laporan.tidak_berubah,
        dilewati=len(laporan.dilewati),
    )
