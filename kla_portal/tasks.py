from celery import shared_task

from kla_portal import kirim_sekali, pekerjaan


@shared_task(name="kla_portal.ping", acks_late=False, ignore_result=False)
def ping() -> str:
    """Answer the health check: proves a worker takes tasks from the default queue."""
    return "pong"


@shared_task(name="kla_portal.bersihkan_kunci_kirim")
def bersihkan_kunci_kirim() -> int:
    # Idempotent: deletes whatever is older than a day, so a duplicate run is harmless.
    return kirim_sekali.kunci_bersihkan()


@shared_task(name="kla_portal.sapu_pekerjaan", acks_late=False)
def sapu_pekerjaan() -> int:
    """Mark jobs whose worker is gone as failed (every half minute, from beat)."""
    return pekerjaan.sapu()
