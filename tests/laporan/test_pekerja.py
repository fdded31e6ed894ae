"""The bundle built by a real Celery worker (on the folder broker, and on Redis in the
PostgreSQL run): its progress moves, a cancellation stops it, a failure says what happened."""

import os
import signal
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from kla_portal import pekerjaan as pekerjaan_services
from kla_portal.models import Pekerjaan
from laporan import services
from tests.laporan.conftest import amati

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_builds_the_bundle_and_its_progress_moves(
    celery_worker_process, bukti_lengkap, tahun, sekretariat
):
    bundel = services.bundel_minta(tahun=tahun, jenis="pdf", by=sekretariat)
    terlihat = amati(bundel.pekerjaan)
    bundel.refresh_from_db()
    assert bundel.pekerjaan.status == Pekerjaan.Status.SELESAI, bundel.pekerjaan.pesan
    assert terlihat[-1] == (100, "Selesai.")
    antara = [persen for persen, _langkah in terlihat if 0 < persen < 100]
    assert len(set(antara)) >= 3 and antara == sorted(antara)
    assert any(langkah.startswith("Memeriksa data dukung") for _p, langkah in terlihat)
    # The stored file is the one the worker built: it opens, with the pages it counted.
    assert len(PdfReader(Path(bundel.berkas.path)).pages) == bundel.halaman
    assert len(bundel.isi["tidak_disisipkan"]) == 4


def test_a_real_worker_stops_a_build_cancelled_while_it_lays_out_pages(
    celery_worker_process, tahun_2024, sekretariat
):
    tahun, _urutan = tahun_2024
    bundel = services.bundel_minta(tahun=tahun, jenis="pdf", by=sekretariat)
    job = bundel.pekerjaan
    amati(job, sampai=lambda job: job.persen >= 36 or job.berakhir)
    assert job.status == Pekerjaan.Status.BERJALAN and job.langkah.startswith("Menata halaman")
    pekerjaan_services.minta_batal(job)
    amati(job)
    bundel.refresh_from_db()
    assert job.status == Pekerjaan.Status.DIBATALKAN
    assert job.persen < 60  # it stopped during the layout, not after
    assert not bundel.berkas


def test_a_real_worker_reports_a_failure_in_plain_words(
    celery_worker_process, instrumen_kecil, tahun, sekretariat, settings
):
    # The media volume is broken: where bundles are kept, a file stands instead of a folder.
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    (Path(settings.MEDIA_ROOT) / "laporan").write_text("bukan folder")
    bundel = services.bundel_minta(tahun=tahun, jenis="pdf", by=sekretariat)
    amati(bundel.pekerjaan)
    job = bundel.pekerjaan
    assert job.status == Pekerjaan.Status.GAGAL
    assert job.pesan == (
        "Bundel gagal dibuat karena kesalahan sistem pada langkah \u201cMenyimpan berkas "
        "bundel …\u201d; tidak ada berkas yang disimpan. Coba lagi; bila terulang, hubungi "
        f"admin (pekerjaan nomor {job.pk})."
    )
    bundel.refresh_from_db()
    assert not bundel.berkas


def test_a_worker_killed_mid_build_leaves_a_failed_job_that_can_be_tried_again(
    tahun_2024, sekretariat, client, settings, transactional_db
):
    """The whole worker (main process and children) is SIGKILLed while it lays out pages:
    within the heartbeat threshold the page says so with a retry button, the bundle no longer
    blocks a new one, its temporary folder goes, and Coba lagi builds it."""
    from kla_portal.celery import app
    from kla_portal.tasks import sapu_pekerjaan
    from laporan.models import Bundel
    from tests.conftest import hentikan_pekerja, mulai_pekerja

    settings.PEKERJAAN_BATAS_DETAK = 5
    app.control.purge()
    pekerja = mulai_pekerja(settings.MEDIA_ROOT, env_tambahan={"PEKERJAAN_DETAK_SETIAP": "1"})
    try:
        tahun, _urutan = tahun_2024
        bundel = services.bundel_minta(tahun=tahun, jenis="pdf", by=sekretariat)
        job = bundel.pekerjaan
        amati(job, sampai=lambda job: job.persen >= 36 or job.berakhir)
        assert job.status == Pekerjaan.Status.BERJALAN and job.langkah.startswith("Menata")
        akar = Path(settings.VAR_DIR) / "pekerjaan-sementara"
        assert [p for p in akar.iterdir() if p.name.startswith(f"{job.pk}-")]

        os.killpg(pekerja.pid, signal.SIGKILL)
        pekerja.wait()
        dibunuh = time.monotonic()

        client.force_login(sekretariat)
        while (page := client.get(job.get_absolute_url()).content.decode()) and (
            "Pekerja berhenti di tengah jalan" not in page
        ):
            assert time.monotonic() - dibunuh < 5 + 10, "belum dinyatakan gagal"
            time.sleep(0.5)
        job.refresh_from_db()
        assert job.status == Pekerjaan.Status.GAGAL
        assert job.pesan.startswith("Pekerja berhenti di tengah jalan (langkah \u201cMenata")
        assert job.pesan.endswith("tidak ada berkas yang disimpan. Silakan coba lagi.")
        assert "Coba lagi" in page

        sapu_pekerjaan()  # beat's sweep: the killed build's folder goes
        assert not [p for p in akar.iterdir() if p.name.startswith(f"{job.pk}-")]

        response = client.post(job.get_absolute_url(), {"ulangi": "1"})
        baru = Bundel.objects.exclude(pk=bundel.pk).get()
        assert response["Location"] == baru.pekerjaan.get_absolute_url()

        pekerja = mulai_pekerja(settings.MEDIA_ROOT, env_tambahan={"PEKERJAAN_DETAK_SETIAP": "1"})
        amati(baru.pekerjaan, batas=600)
        baru.refresh_from_db()
        assert baru.pekerjaan.status == Pekerjaan.Status.SELESAI, baru.pekerjaan.pesan
        assert len(PdfReader(Path(baru.berkas.path)).pages) == baru.halaman
        assert list(akar.iterdir()) == []
    finally:
        hentikan_pekerja(pekerja)


def test_cancelling_a_queued_job_revokes_its_message_at_the_workers(
    celery_worker_process, sekretariat, django_capture_on_commit_callbacks
):
    from kla_portal.celery import app

    job = pekerjaan_services.buat(jenis="rapor_opd", judul="Kirim rapor", by=sekretariat)
    with django_capture_on_commit_callbacks(execute=True):
        pekerjaan_services.minta_batal(job)
    job.refresh_from_db()
    assert job.status == Pekerjaan.Status.DIBATALKAN
    dicabut = app.control.inspect(timeout=5).revoked() or {}
    assert [job.task_id] in dicabut.values()
