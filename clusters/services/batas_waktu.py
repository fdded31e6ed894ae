"""The year's deadline: an agency's extension, and the reminders before the day (the
evaluation's answers themselves: clusters.services.jawaban)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies import services as agencies_services
from agencies.models import Notifikasi, Opd, Peran, User
from agencies.services import Teks
from clusters import alur
from clusters.models import Jawaban, Penugasan, Perpanjangan, TahunEvaluasi

# --- Deadlines ----------------------------------------------------------------------------


def perpanjangan_beri(
    *, tahun: TahunEvaluasi, opd: Opd, sampai, alasan: str, by: User
) -> Perpanjangan:
    """Give one agency more time after the deadline, with a reason; its operators are told."""
    if tahun.batas_waktu and sampai <= tahun.batas_waktu:
        raise ValidationError({"sampai": _("Perpanjangan harus setelah batas waktu tahun ini.")})
    if not alasan.strip():
        raise ValidationError({"alasan": _("Tuliskan alasan perpanjangan.")})
    perpanjangan = Perpanjangan.objects.create(
        tahun=tahun, opd=opd, sampai=sampai, alasan=alasan.strip(), diberikan_oleh=by
    )
    agencies_services.notifikasi_kirim(
        penerima=agencies_services.pengguna_dengan_peran(peran=Peran.OPERATOR_OPD, opd=opd),
        judul=Teks.dari(
            gettext_noop("%(opd)s mendapat perpanjangan %(tahun)s sampai %(sampai)s."),
            opd=opd,
            tahun=tahun,
            sampai=date_format(timezone.localtime(sampai), "DATETIME_FORMAT"),
        ),
        tautan="/evaluasi/tugas/",
    )
    return perpanjangan


HARI_PENGINGAT = (3, 1)


def batas_waktu_ingatkan(*, hari_ini=None) -> int:
    """Remind agencies of the deadline three days and one day before; returns how many people.

    Operators hear how many of their agency's questions are not sent yet; heads hear how many
    answers wait for their approval. Safe to run twice a day: a reminder already given today
    is not repeated.
    """
    hari_ini = hari_ini or timezone.localdate()
    dikirim = 0
    for tahun in TahunEvaluasi.objects.filter(dibuka=True, batas_waktu__isnull=False):
        sisa = (timezone.localtime(tahun.batas_waktu).date() - hari_ini).days
        if sisa not in HARI_PENGINGAT:
            continue
        batas = date_format(timezone.localtime(tahun.batas_waktu), "DATETIME_FORMAT")
        belum = (
            Penugasan.objects.filter(pertanyaan__tahun=tahun, utama=True)
            .exclude(
                Exists(
                    Jawaban.objects.filter(
                        pertanyaan=OuterRef("pertanyaan"),
                        daerah=OuterRef("daerah"),
                        wilayah__isnull=True,
                    ).exclude(status__in=alur.BISA_DIUBAH)
                )
            )
            .values("opd_id")
            .annotate(n=Count("pk"))
        )
        isi = {"tahun": tahun, "batas": batas, "sisa": sisa}
        dikirim += _ingatkan_per_opd(
            belum,
            Peran.OPERATOR_OPD,
            gettext_noop(
                "%(n)s pertanyaan %(tahun)s belum dikirim; batas waktu %(batas)s "
                "(%(sisa)s hari lagi)."
            ),
            isi,
        )
        menunggu = (
            Jawaban.objects.filter(
                pertanyaan__tahun=tahun, status=alur.Status.MENUNGGU_KEPALA, opd__isnull=False
            )
            .values("opd_id")
            .annotate(n=Count("pk"))
        )
        dikirim += _ingatkan_per_opd(
            menunggu,
            Peran.KEPALA_OPD,
            gettext_noop(
                "%(n)s jawaban menunggu persetujuan Anda; batas waktu %(batas)s "
                "(%(sisa)s hari lagi)."
            ),
            isi,
        )
    return dikirim


def _ingatkan_per_opd(baris, peran: str, judul: str, isi: dict) -> int:
    """Remind the people of ``peran`` in each agency of ``baris`` (opd_id and a count n)."""
    dikirim = 0
    for row in baris:
        penerima = agencies_services.pengguna_dengan_peran(peran=peran, opd=Opd(pk=row["opd_id"]))
        dikirim += _ingatkan_sekali(penerima, Teks.dari(judul, n=row["n"], **isi))
    return dikirim


def _ingatkan_sekali(penerima, judul: Teks) -> int:
    """Remind people once a day; a new reminder replaces their earlier open one of the same
    kind (its count is out of date), so reminders do not pile up in the bell."""
    sudah = set(
        Notifikasi.objects.filter(
            judul=judul.indonesia(), dibuat__date=timezone.localdate()
        ).values_list("penerima_id", flat=True)
    )
    baru = [user for user in penerima if user.pk not in sudah]
    Notifikasi.objects.filter(penerima__in=baru, pesan__m=judul.msgid, selesai__isnull=True).update(
        selesai=timezone.now()
    )
    return agencies_services.notifikasi_kirim(penerima=baru, judul=judul, tautan="/evaluasi/tugas/")
