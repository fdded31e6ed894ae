"""Sending every finished draft at once: after an Excel import an operator has dozens of
drafts, and sending them one by one is the friction that sends people back to WhatsApp."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from agencies.models import User
from clusters import alur
from clusters.models import Jawaban, TahunEvaluasi
from clusters.services.jawaban import jawaban_kirim

__all__ = ["HasilKirimSemua", "jawaban_kirim_semua"]


@dataclass
class HasilKirimSemua:
    terkirim: list[Jawaban] = field(default_factory=list)
    tidak: list[tuple[Jawaban, str]] = field(default_factory=list)  # with why not


def jawaban_kirim_semua(*, tahun: TahunEvaluasi, by: User) -> HasilKirimSemua:
    """Send to the head every draft or returned answer of ``tahun`` that the person fills in,
    each through ``jawaban_kirim`` with all its rules (answered, mandatory evidence attached,
    before the deadline, someone else to approve it) and in its own transaction: one refused
    is reported with the reason and does not hold back the others. Sending again sends
    nothing twice: what was sent is no longer a draft."""
    hasil = HasilKirimSemua()
    calon = (
        Jawaban.objects.visible_to(by)
        .filter(pertanyaan__tahun=tahun, status__in=alur.BISA_DIUBAH)
        .select_related("pertanyaan__indikator", "wilayah", "opd")
        .order_by(
            "pertanyaan__indikator__kelompok__urutan",
            "pertanyaan__indikator__urutan",
            "pertanyaan__urutan",
            "wilayah__nama",
            "pk",
        )
    )
    for jawaban in calon:
        if not by.has_perm("clusters.isi_jawaban", jawaban):
            continue
        try:
            jawaban_kirim(jawaban=jawaban, by=by)
        except ValidationError as error:
            hasil.tidak.append((jawaban, " ".join(error.messages)))
        else:
            hasil.terkirim.append(jawaban)
    return hasil
