"""The province's worker task (queue ``laporan``, with the cities' bundles): it loads the job
and calls provinsi.lampiran, reporting progress on the job the page shows."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from kla_portal import pekerjaan as pekerjaan_services
from kla_portal.models import Pekerjaan
from laporan.tasks import Pelapor

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def bangun_lampiran(pekerjaan_id: int) -> str | None:
    """Build the attachment of the governor's letter (provinsi.lampiran). Idempotent: a job
    that has ended is left alone; a job cancelled or judged dead meanwhile keeps no file."""
    from provinsi import lampiran

    job = Pekerjaan.objects.select_related("dibuat_oleh").filter(pk=pekerjaan_id).first()
    if job is None or job.berakhir:
        return job.status if job else None
    try:
        with pekerjaan_services.berdetak(job):
            hasil = lampiran.bangun(job, lapor=Pelapor(job))
    except pekerjaan_services.Dibatalkan:
        return Pekerjaan.Status.DIBATALKAN
    except Exception:
        logger.exception("Lampiran provinsi %s gagal dibuat", pekerjaan_id)
        job.refresh_from_db(fields=["langkah"])
        pekerjaan_services.gagal(
            job,
            pesan=_(
                "Lampiran gagal dibuat karena kesalahan sistem pada langkah “%(langkah)s”; "
                "tidak ada berkas yang disimpan. Coba lagi; bila terulang, hubungi admin "
                "(pekerjaan nomor %(nomor)s)."
            )
            % {"langkah": job.langkah or _("persiapan"), "nomor": job.pk},
        )
        raise
    if not pekerjaan_services.selesai(job, hasil=hasil, langkah=_("Selesai.")):
        default_storage.delete(hasil["berkas"])
        return Pekerjaan.objects.get(pk=job.pk).status
    return Pekerjaan.Status.SELESAI
