from celery import shared_task
from django.db import InterfaceError, OperationalError

from clusters import services
from clusters.models import TahunEvaluasi


@shared_task(acks_late=True)
def ingatkan_batas_waktu() -> int:
    # Idempotent within a day: a reminder already given today is not repeated.
    return services.ingatkan_batas_waktu()


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def hitung_skor(tahun_id: int) -> dict | None:
    """Recompute a year's score snapshot. Idempotent: a redelivered task (acks_late, a worker
    lost) computes the same figures again; the previous snapshot stays until the new one is
    written."""
    tahun = TahunEvaluasi.objects.filter(pk=tahun_id).first()
    if tahun is None:  # the year was deleted after the task was queued
        return None
    snapshot = services.skor_hitung(tahun=tahun)
    return {"tahun": tahun.tahun, "snapshot": snapshot.pk, **snapshot.rincian["total"]}


@shared_task(acks_late=True)
def periksa_skor_basi() -> list[int]:
    # Every ten minutes: a year whose answers changed after its newest snapshot is recomputed.
    return services.skor_periksa_basi()
