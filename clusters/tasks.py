from celery import shared_task
from celery.signals import worker_ready
from django.db import InterfaceError, OperationalError

from clusters import services
from clusters.models import TahunEvaluasi


@shared_task(acks_late=True)
def ingatkan_batas_waktu() -> int:
    # Idempotent within a day: a reminder already given today is not repeated.
    return services.batas_waktu_ingatkan()


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def hitung_skor(tahun_id: int, daerah_id: int | None = None) -> dict | None:
    """Recompute a kab/kota's score snapshot of a year (a task queued before cities had their
    own score carries no city: the first one served). Idempotent: a redelivered task
    (acks_late, a worker lost) computes the same figures again; the previous snapshot stays
    until the new one is written."""
    tahun = TahunEvaluasi.objects.filter(pk=tahun_id).first()
    if tahun is None:  # the year was deleted after the task was queued
        return None
    snapshot = services.skor_hitung(tahun=tahun, daerah_id=daerah_id)
    return {
        "tahun": tahun.tahun,
        "daerah": snapshot.daerah_id,
        "snapshot": snapshot.pk,
        # The city's four figures as stored (the detail is not read into records for them).
        **snapshot.rincian["total"],
    }


@shared_task(acks_late=True)
def periksa_skor_basi() -> list[tuple[int, int]]:
    # Every ten minutes: a year whose answers changed after its newest snapshot is recomputed.
    return services.skor_periksa_basi()


@shared_task(acks_late=True)
def hitung_skor_tertunda() -> list[tuple[int, int]]:
    # Every minute and whenever a worker starts: a year marked as needing a recompute (its
    # change saved while the broker was down, or a recompute lost) is queued again. One query
    # when nothing waits; idempotent (collapsed like any other change).
    return services.skor_antrekan_tertunda()


@worker_ready.connect
def _tertunda_saat_mulai(sender=None, **kwargs) -> None:
    # A worker that starts (after a crash, a deploy, a broker outage that stopped it) first
    # catches up on the scores that waited for it, without waiting for beat.
    hitung_skor_tertunda.delay()
