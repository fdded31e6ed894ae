from celery import shared_task

from clusters import services


@shared_task(acks_late=True)
def ingatkan_batas_waktu() -> int:
    # Idempotent within a day: a reminder already given today is not repeated.
    return services.ingatkan_batas_waktu()
