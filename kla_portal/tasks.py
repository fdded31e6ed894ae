from celery import shared_task

from kla_portal import pekerjaan


@shared_task(name="kla_portal.ping", acks_late=False, ignore_result=False)
def ping() -> str:
    """Answer the health check: proves a worker takes tasks from the default queue."""
    return "pong"


@shared_task(name="kla_portal.sapu_pekerjaan", acks_late=False)
def sapu_pekerjaan() -> int:
    """Mark jobs whose worker is gone as failed (every half minute, from beat)."""
    return pekerjaan.sapu()
