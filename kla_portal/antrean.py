"""Sending work to the Celery broker from a request, when the broker may be down.

A request never fails because the broker (Redis) does not answer: the change it saved stays
saved. A task that a job row (Pekerjaan) waits for marks the job failed with a message saying
so, and the service tells the person at once (``Kiriman.gagal``), so nothing waits for a task
that was never sent and the person can ask again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kla_portal import pekerjaan as pekerjaan_services

log = logging.getLogger(__name__)

TIDAK_TERSEDIA = _(
    "Antrean pekerjaan sedang tidak tersedia, jadi permintaan ini belum dapat dijalankan. "
    "Perubahan yang sudah disimpan tetap tersimpan; coba lagi beberapa menit lagi."
)


def kirim(task, *args, task_id: str | None = None, **kwargs) -> bool:
    """Send a task now; False (and a log line) when the broker does not take it."""
    try:
        if task_id is None:
            task.delay(*args, **kwargs)
        elif kwargs:
            task.apply_async(args=args, kwargs=kwargs, task_id=task_id)
        else:
            task.apply_async(args=args, task_id=task_id)
    except Exception:  # kombu and redis raise driver-specific errors
        log.exception("Tugas %s tidak dapat diantrekan (broker tidak menjawab)", task.name)
        return False
    return True


@dataclass
class Kiriman:
    """A task sent when the transaction commits: ``gagal`` once the broker refused it."""

    gagal: bool = False


def kirim_saat_commit(task, *args, pekerjaan=None, **kwargs) -> Kiriman:
    """Send a task once the current transaction commits, under the job's own task id (so a
    cancellation can revoke it). If the broker refuses it, the job that waits for it
    (``pekerjaan``) is marked failed with ``TIDAK_TERSEDIA``."""
    kiriman = Kiriman()
    task_id = pekerjaan.task_id if pekerjaan is not None else None

    def setelah_commit():
        if not kirim(task, *args, task_id=task_id, **kwargs):
            kiriman.gagal = True
            if pekerjaan is not None:
                pekerjaan_services.gagal(pekerjaan, pesan=str(TIDAK_TERSEDIA))

    transaction.on_commit(setelah_commit)
    return kiriman
