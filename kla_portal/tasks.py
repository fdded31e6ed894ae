from celery import shared_task


@shared_task(name="kla_portal.ping", acks_late=False, ignore_result=False)
def ping() -> str:
    """Answer the health check: proves a worker takes tasks from the default queue."""
    return "pong"
