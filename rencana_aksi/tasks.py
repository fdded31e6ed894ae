import base64
import logging

from celery import shared_task
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kla_portal import pekerjaan as pekerjaan_services
from kla_portal.models import Pekerjaan
from rencana_aksi.impor import tulis as impor_tulis
from rencana_aksi.models import PeriodeRad

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def impor_rad(
    pekerjaan_id: int, periode_id: int, nama: str, isi_base64: str, versi: dict
) -> str | None:
    """Write a large previewed RAD file in the background, reporting progress on its job.

    The file travels in the message (base64), since a worker may run on another machine than
    the web server. Idempotent: a job that has ended (done, failed, cancelled while queued) is
    left alone, so a redelivered message writes nothing twice; and the write itself refuses a
    file whose rows changed since the preview.
    """
    job = Pekerjaan.objects.select_related("dibuat_oleh").filter(pk=pekerjaan_id).first()
    if job is None or job.berakhir:
        return job.status if job else None
    periode = PeriodeRad.objects.filter(pk=periode_id).first()
    if periode is None:
        pekerjaan_services.gagal(job, pesan=_("Periode RAD ini sudah dihapus."))
        return Pekerjaan.Status.GAGAL
    try:
        with pekerjaan_services.berdetak(job):
            hasil = impor_tulis.rad_impor_berkas(
                periode=periode,
                nama=nama,
                isi=base64.b64decode(isi_base64),
                versi_pratinjau=versi,
                by=job.dibuat_oleh,
                pekerjaan=job,
            )
    except pekerjaan_services.Dibatalkan:
        return Pekerjaan.Status.DIBATALKAN  # lapor has marked the job; the write was undone
    except ValidationError as error:
        pekerjaan_services.gagal(job, pesan=" ".join(error.messages))
        return Pekerjaan.Status.GAGAL
    except Exception:
        logger.exception("Impor RAD %s gagal", pekerjaan_id)
        pekerjaan_services.gagal(
            job,
            pesan=_(
                "Impor berhenti karena kesalahan sistem; tidak ada yang diimpor. Coba lagi, atau "
                "hubungi admin bila terulang."
            ),
        )
        raise
    if not pekerjaan_services.selesai(
        job,
        hasil={
            "ringkasan": hasil.as_text(),
            "tautan": periode.get_absolute_url(),
            "label_tautan": _("Kembali ke daftar aksi"),
        },
        langkah=_("Selesai."),
    ):
        return Pekerjaan.objects.get(pk=job.pk).status  # ended meanwhile; left as it was
    return Pekerjaan.Status.SELESAI
