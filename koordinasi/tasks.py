"""Coordination's background work: the meetings' e-mails and the reminders (Celery beat); each
task only loads its ids and calls a service."""

from celery import shared_task

from koordinasi import services
from koordinasi.models import Rapat


@shared_task(acks_late=True)
def kirim_email_rapat(
    rapat_id: int, judul: str, alamat: list[str] | None = None, batal: bool = False
) -> int:
    # Queued on commit by the service that changed the meeting (default queue). Not
    # idempotent (a mail once sent is sent): a worker lost mid-run may send some again, which
    # is better than an invitation never sent. A meeting gone meanwhile sends nothing.
    rapat = Rapat.objects.select_related("gugus_tugas").filter(pk=rapat_id).first()
    if rapat is None:
        return 0
    return services.rapat_email_kirim(rapat=rapat, judul=judul, alamat=alamat, batal=batal)


@shared_task(acks_late=True)
def ingatkan_rapat() -> int:
    # Idempotent: a meeting is claimed before it is reminded (pengingat_terkirim), so a
    # duplicate or overlapping run is harmless.
    return services.rapat_ingatkan()


@shared_task(acks_late=True)
def ingatkan_tindak_lanjut() -> int:
    # Idempotent: a follow-up is claimed for the day (diingatkan) before its agency is told.
    return services.tindak_lanjut_ingatkan()
