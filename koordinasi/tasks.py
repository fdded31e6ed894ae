"""Reminders of coordination, run by Celery beat; each only calls its service."""

from celery import shared_task

from koordinasi import services


@shared_task(acks_late=True)
def ingatkan_rapat() -> int:
    # Idempotent: a meeting is reminded once (pengingat_terkirim), so a duplicate run is harmless.
    return services.ingatkan_rapat()


@shared_task(acks_late=True)
def ingatkan_tindak_lanjut() -> int:
    # Idempotent: a follow-up is reminded at most once a day (diingatkan).
    return services.ingatkan_tindak_lanjut()
