"""Sending every finished draft at once: after an Excel import an operator has dozens of
drafts, and sending them one by one is the friction that sends people back to WhatsApp."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop

from agencies import services as agencies_services
from agencies.models import User
from clusters import alur
from clusters.models import Jawaban, TahunEvaluasi
from clusters.rules import pengisi_jawaban
from clusters.services.jawaban import jawaban_kirim, penyetuju

__all__ = ["HasilKirimSemua", "jawaban_kirim_semua"]


@dataclass
class HasilKirimSemua:
    terkirim: list[Jawaban] = field(default_factory=list)
    tidak: list[tuple[Jawaban, str]] = field(default_factory=list)  # with why not


def jawaban_kirim_semua(*, tahun: TahunEvaluasi, by: User) -> HasilKirimSemua:
    """Send to the head every draft of ``tahun`` that the person fills in themselves (an
    operator of the lead agency or of the unit: never everything a superuser may see), each
    through ``jawaban_kirim`` with all its rules (answered, mandatory evidence attached, before
    the deadline, someone else to approve it) and in its own transaction: one refused is
    reported with the reason and does not hold back the others. A returned answer is not among
    them: it goes back only once its reason has been dealt with, from its own page. Each head
    gets a notice per answer in the portal (each done once dealt with) and one e-mail for the
    whole batch. Sending again sends nothing twice: what was sent is no longer a draft."""
    hasil = HasilKirimSemua()
    calon = (
        Jawaban.objects.visible_to(by)
        .filter(pertanyaan__tahun=tahun, status=alur.Status.DRAFT)
        .select_related("pertanyaan__indikator", "wilayah", "opd")
        .order_by(
            "pertanyaan__indikator__kelompok__urutan",
            "pertanyaan__indikator__urutan",
            "pertanyaan__urutan",
            "wilayah__nama",
            "pk",
        )
    )
    kepala = Counter()
    for jawaban in calon:
        if not pengisi_jawaban(by, jawaban):
            continue
        try:
            jawaban_kirim(jawaban=jawaban, by=by, email=False)
        except ValidationError as error:
            hasil.tidak.append((jawaban, " ".join(error.messages)))
        else:
            hasil.terkirim.append(jawaban)
            kepala.update(penyetuju(jawaban).selain(by))
    for orang, n in kepala.items():
        agencies_services.email_kirim(
            penerima=[orang],
            judul=agencies_services.Teks.dari(
                gettext_noop("%(n)s jawaban menunggu persetujuan Anda, dikirim oleh %(o)s."),
                n=n,
                o=by.get_full_name() or by.username,
            ),
            tautan="/evaluasi/tugas/",
        )
    return hasil
