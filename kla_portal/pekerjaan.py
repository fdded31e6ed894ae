"""Writes of background jobs (kla_portal.models.Pekerjaan), used by the tasks that run them.

A task runs its work inside ``berdetak(job)``: the job is marked running and beats every
PEKERJAAN_DETAK_SETIAP seconds from a helper thread, besides each ``lapor``. The sweep
(``sapu``, every half minute from beat) marks jobs whose beat stopped as failed, with a "Coba
lagi" that starts the same job again (``ulangi``). Every write of a status is guarded by the
status it expects, so a worker that wakes up after its job was cancelled or judged dead
cannot turn it into "selesai"; it stops at its next report instead.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
import threading
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from kla_portal.models import Pekerjaan

log = logging.getLogger(__name__)

BELUM_BERAKHIR = (Pekerjaan.Status.ANTRE, Pekerjaan.Status.BERJALAN)

# How each kind of job is started again with the parameters it kept: a function
# ``(*, pekerjaan, by) -> Pekerjaan`` that queues a new job.
PENGULANG = {
    "bundel": "laporan.services.bundel_ulangi",
    "rapor_opd": "laporan.services.rapor_ulangi",
    "impor_rad": "rencana_aksi.impor.tulis.rad_impor_ulangi",
    "paket": "laporan.paket.paket_ulangi",
}


class Dibatalkan(Exception):
    """The person asked to cancel (or the job was ended without its worker): the task stops
    at its next report."""


def buat(*, jenis: str, judul: str, by, parameter: dict | None = None) -> Pekerjaan:
    """A queued job. Its Celery task id is chosen here (queue it with
    ``apply_async(..., task_id=job.task_id)``) so a cancellation can revoke the message."""
    return Pekerjaan.objects.create(
        jenis=jenis,
        judul=judul,
        dibuat_oleh=by,
        parameter=parameter or {},
        task_id=str(uuid.uuid4()),
    )


def _tahan(tulis):
    """Run a write of a job; when the connection is dead (the database restarted under the
    worker), close it, wait a moment and try once more on a new one. Inside a transaction the
    error is raised: the transaction is lost anyway and its owner handles it."""
    try:
        return tulis()
    except (OperationalError, InterfaceError):
        if connection.in_atomic_block:
            raise
        log.warning("Koneksi basis data putus saat menulis pekerjaan; menyambung ulang")
        connection.close()
        time.sleep(settings.PEKERJAAN_JEDA_SAMBUNG)
        return tulis()


def lapor(pekerjaan: Pekerjaan, *, persen: int, langkah: str) -> None:
    """Record progress (and a beat); raises Dibatalkan when cancelling was asked for, or when
    the job has already ended without this worker (cancelled, judged dead). Written outside
    any transaction of the task, so the page sees it at once."""

    def tulis() -> Pekerjaan:
        with transaction.atomic():
            row = Pekerjaan.objects.select_for_update().get(pk=pekerjaan.pk)
            if row.berakhir:
                return row
            sekarang = timezone.now()
            if row.minta_batal:
                row.status, row.selesai = Pekerjaan.Status.DIBATALKAN, sekarang
                row.langkah = _("Dibatalkan atas permintaan; tidak ada yang disimpan.")
                row.save(update_fields=["status", "selesai", "langkah"])
            else:
                row.persen = max(0, min(100, persen))
                row.langkah = langkah
                row.detak = sekarang
                if row.status == Pekerjaan.Status.ANTRE:
                    row.status, row.mulai = Pekerjaan.Status.BERJALAN, sekarang
                row.save(update_fields=["persen", "langkah", "status", "mulai", "detak"])
            return row

    row = _tahan(tulis)
    # Raised once the block has committed: raised inside it, the cancelled status would be
    # rolled back and the job would show as running for ever.
    if row.berakhir:
        raise Dibatalkan


def _tulis_akhir(pekerjaan: Pekerjaan, **nilai) -> bool:
    """End a job that has not ended yet; False when it had (a cancellation or the sweep came
    first), or when the database stays unreachable (the sweep will end it: its beat stops)."""
    try:
        return bool(
            _tahan(
                lambda: Pekerjaan.objects.filter(pk=pekerjaan.pk, status__in=BELUM_BERAKHIR).update(
                    selesai=timezone.now(), **nilai
                )
            )
        )
    except DatabaseError:
        log.exception(
            "Status akhir pekerjaan %s tidak tertulis; penyapu akan menandainya", pekerjaan.pk
        )
        return False


def selesai(pekerjaan: Pekerjaan, *, hasil: dict, langkah: str = "") -> bool:
    return _tulis_akhir(
        pekerjaan, status=Pekerjaan.Status.SELESAI, persen=100, langkah=langkah, hasil=hasil
    )


def gagal(pekerjaan: Pekerjaan, *, pesan: str) -> bool:
    return _tulis_akhir(pekerjaan, status=Pekerjaan.Status.GAGAL, pesan=pesan)


# --- Heartbeat ----------------------------------------------------------------------------


@contextlib.contextmanager
def berdetak(pekerjaan: Pekerjaan):
    """Mark the job running and keep it beating while the block runs, from a helper thread
    with its own connection: a long page layout that reports rarely still beats. A killed
    worker stops beating, which is how the sweep and the page know."""
    sekarang = timezone.now()
    Pekerjaan.objects.filter(pk=pekerjaan.pk, status=Pekerjaan.Status.ANTRE).update(
        status=Pekerjaan.Status.BERJALAN, mulai=sekarang
    )
    Pekerjaan.objects.filter(pk=pekerjaan.pk, status=Pekerjaan.Status.BERJALAN).update(
        detak=sekarang
    )
    berhenti = threading.Event()
    detak = threading.Thread(
        target=_berdetak, args=(pekerjaan.pk, berhenti), name=f"detak-{pekerjaan.pk}", daemon=True
    )
    detak.start()
    try:
        yield
    finally:
        berhenti.set()
        detak.join(timeout=30)


def _berdetak(pk: int, berhenti: threading.Event) -> None:
    from django.db import connections

    try:
        while not berhenti.wait(settings.PEKERJAAN_DETAK_SETIAP):
            try:
                Pekerjaan.objects.filter(pk=pk, status=Pekerjaan.Status.BERJALAN).update(
                    detak=timezone.now()
                )
            except DatabaseError:
                # The database is away (or, on SQLite, held by the task's own write): beat
                # again next time, on a new connection.
                log.warning("Detak pekerjaan %s tidak tertulis", pk, exc_info=True)
                connection.close()
    finally:
        connections.close_all()


# --- Cancelling, the sweep, trying again --------------------------------------------------


def minta_batal(pekerjaan: Pekerjaan) -> None:
    """Ask the task to stop. A job still queued, or whose worker is gone (no beat), is
    cancelled at once and its message revoked; a live worker stops at its next report."""
    sekarang = timezone.now()
    diakhiri = Pekerjaan.objects.filter(pk=pekerjaan.pk, status=Pekerjaan.Status.ANTRE).update(
        status=Pekerjaan.Status.DIBATALKAN,
        minta_batal=True,
        selesai=sekarang,
        langkah=_("Dibatalkan sebelum dimulai; tidak ada yang disimpan."),
    )
    diakhiri += (
        Pekerjaan.objects.filter(pk=pekerjaan.pk)
        .mati(sekarang=sekarang)
        .update(
            status=Pekerjaan.Status.DIBATALKAN,
            minta_batal=True,
            selesai=sekarang,
            langkah=_("Dibatalkan; pekerja sudah berhenti dan tidak ada yang disimpan."),
        )
    )
    Pekerjaan.objects.filter(pk=pekerjaan.pk, status=Pekerjaan.Status.BERJALAN).update(
        minta_batal=True
    )
    if diakhiri and pekerjaan.task_id:
        transaction.on_commit(lambda: _cabut(pekerjaan.task_id))


def _cabut(task_id: str) -> None:
    """Revoke a task's message so a worker that gets it later drops it (the task would also
    find its job ended). Best effort: a broker that does not answer at once is skipped."""
    from kla_portal.celery import app

    try:
        with app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1)
            app.control.revoke(task_id, connection=broker)
    except Exception:
        log.warning("Task %s tidak dapat dicabut", task_id, exc_info=True)


def pesan_mati(job: Pekerjaan) -> str:
    """What the person reads on a job whose worker was lost."""
    if job.status == Pekerjaan.Status.ANTRE:
        return _(
            "Tidak ada pekerja yang mengambil pekerjaan ini dalam %(menit)s menit; belum ada "
            "yang dikerjakan. Silakan coba lagi."
        ) % {"menit": max(1, settings.PEKERJAAN_BATAS_ANTRE // 60)}
    return _(
        "Pekerja berhenti di tengah jalan (langkah “%(langkah)s”, %(persen)s%%); tidak ada "
        "%(apa)s yang disimpan. Silakan coba lagi."
    ) % {
        "langkah": job.langkah or _("persiapan"),
        "persen": job.persen,
        "apa": _("berkas") if job.jenis == "bundel" else _("perubahan"),
    }


def tandai_mati(pekerjaan=None) -> int:
    """Mark as failed, each with what it had reached, the jobs whose worker is gone: all of
    them, or only ``pekerjaan`` (its page reads it). Returns how many were marked."""
    jumlah = 0
    sekarang = timezone.now()
    semua = (
        Pekerjaan.objects.all() if pekerjaan is None else Pekerjaan.objects.filter(pk=pekerjaan.pk)
    )
    for job in semua.mati(sekarang=sekarang):
        try:
            # Still dead and unchanged at the moment of writing: a beat or an end that came
            # in meanwhile wins.
            with transaction.atomic():
                jumlah += (
                    Pekerjaan.objects.filter(pk=job.pk, status=job.status, detak=job.detak)
                    .mati(sekarang=sekarang)
                    .update(status=Pekerjaan.Status.GAGAL, pesan=pesan_mati(job), selesai=sekarang)
                )
        except OperationalError:
            # SQLite busy with a long import's write: the next read or sweep tries again.
            log.warning("Pekerjaan %s belum dapat ditandai gagal", job.pk, exc_info=True)
    return jumlah


def sapu() -> int:
    """The sweep: mark the jobs whose worker is gone as failed and remove the temporary
    folders of jobs no longer running. Returns how many jobs were marked."""
    jumlah = tandai_mati()
    bersihkan_folder()
    return jumlah


def ulangi(pekerjaan: Pekerjaan, *, by) -> Pekerjaan:
    """Start a failed job again with the parameters it kept, as a new job. Refuses a job that
    has not failed or a kind that cannot be started again."""
    if pekerjaan.status != Pekerjaan.Status.GAGAL:
        raise ValidationError(_("Hanya pekerjaan yang gagal yang dapat dicoba lagi."))
    if pekerjaan.jenis not in PENGULANG or not pekerjaan.parameter:
        raise ValidationError(_("Pekerjaan ini tidak dapat diulang dari sini; mulai dari awal."))
    return import_string(PENGULANG[pekerjaan.jenis])(pekerjaan=pekerjaan, by=by)


# --- Temporary folders --------------------------------------------------------------------


def _akar_sementara() -> Path:
    return Path(settings.VAR_DIR) / "pekerjaan-sementara"


@contextlib.contextmanager
def folder_sementara(pekerjaan: Pekerjaan):
    """A scratch folder for one job, removed at the end. Named after the job, so that the
    folder of a killed worker (never removed by it) is removed by the sweep or the next job."""
    bersihkan_folder()
    akar = _akar_sementara()
    akar.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{pekerjaan.pk}-", dir=akar))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def bersihkan_folder() -> None:
    """Remove the scratch folders of jobs that are no longer running (ended, dead, deleted)."""
    akar = _akar_sementara()
    if not akar.is_dir():
        return
    folders = {}
    for folder in akar.iterdir():
        pk = folder.name.split("-", 1)[0]
        if pk.isdigit():
            folders.setdefault(int(pk), []).append(folder)
    if not folders:
        return
    hidup = set(Pekerjaan.objects.filter(pk__in=folders).hidup().values_list("pk", flat=True))
    for pk, daftar in folders.items():
        if pk not in hidup:
            for folder in daftar:
                shutil.rmtree(folder, ignore_errors=True)
