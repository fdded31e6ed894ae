"""No job stuck for ever: a bundle whose worker is gone (no heartbeat) is seen as dead by its
page, by "one build at a time" and by the sweep; Batalkan always ends it; Coba lagi starts
the same bundle again; a zombie worker cannot undo any of this."""

import datetime
import threading
import time
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from kla_portal import pekerjaan as pekerjaan_services
from kla_portal.models import Pekerjaan
from kla_portal.tasks import sapu_pekerjaan
from laporan import services
from laporan.models import Bundel

pytestmark = pytest.mark.django_db

BERJALAN, ANTRE = Pekerjaan.Status.BERJALAN, Pekerjaan.Status.ANTRE
DI_TENGAH = "Menata halaman 12 dari 40 …"


def lalu(detik: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=detik)


@pytest.fixture(autouse=True)
def batas(settings, tmp_path):
    settings.PEKERJAAN_DETAK_SETIAP = 15
    settings.PEKERJAAN_BATAS_DETAK = 90
    settings.PEKERJAAN_BATAS_ANTRE = 600
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def minta(sekretariat, tahun, instrumen_kecil, django_capture_on_commit_callbacks):
    """Ask for a PDF bundle of 2024 as the secretariat; its task is not run."""

    def minta() -> Bundel:
        with django_capture_on_commit_callbacks(execute=False):
            return services.bundel_minta(tahun=tahun, jenis="pdf", by=sekretariat)

    return minta


def berjalan(job: Pekerjaan, *, detak_detik_lalu: float, persen: int = 35) -> Pekerjaan:
    """The job as a worker leaves it: running, at 35%, last beat ``detak_detik_lalu`` ago."""
    Pekerjaan.objects.filter(pk=job.pk).update(
        status=BERJALAN,
        mulai=lalu(600),
        detak=lalu(detak_detik_lalu),
        persen=persen,
        langkah=DI_TENGAH,
    )
    job.refresh_from_db()
    return job


def test_a_running_job_is_dead_once_its_heartbeat_is_older_than_the_threshold(minta):
    job = berjalan(minta().pekerjaan, detak_detik_lalu=91)
    assert job.mati
    assert list(Pekerjaan.objects.hidup()) == []
    job = berjalan(job, detak_detik_lalu=60)
    assert not job.mati
    assert list(Pekerjaan.objects.hidup()) == [job]


def test_a_queued_job_behind_a_live_build_is_waiting_not_dead(minta, sekretariat):
    depan = berjalan(minta().pekerjaan, detak_detik_lalu=5)
    Pekerjaan.objects.filter(pk=depan.pk).update(dibuat=lalu(3600))
    antre = pekerjaan_services.buat(jenis="rapor_opd", judul="Kirim rapor", by=sekretariat)
    Pekerjaan.objects.filter(pk=antre.pk).update(dibuat=lalu(20 * 60))
    assert set(Pekerjaan.objects.mati()) == set()
    # The build ahead stops beating: nothing alive is ahead any more, both are dead.
    Pekerjaan.objects.filter(pk=depan.pk).update(detak=lalu(120))
    assert set(Pekerjaan.objects.mati()) == {depan, antre}


def test_a_queued_job_is_not_dead_before_the_queue_threshold(sekretariat):
    antre = pekerjaan_services.buat(jenis="rapor_opd", judul="Kirim rapor", by=sekretariat)
    Pekerjaan.objects.filter(pk=antre.pk).update(dibuat=lalu(9 * 60))
    assert not antre.mati


def test_the_page_of_a_job_whose_worker_died_shows_it_failed_with_a_retry_button(
    client, sekretariat, minta
):
    job = berjalan(minta().pekerjaan, detak_detik_lalu=120)
    client.force_login(sekretariat)
    page = client.get(job.get_absolute_url()).content.decode()
    job.refresh_from_db()
    assert job.status == Pekerjaan.Status.GAGAL
    assert job.pesan == (
        "Pekerja berhenti di tengah jalan (langkah \u201cMenata halaman 12 dari 40 …\u201d, 35%); "
        "tidak ada berkas yang disimpan. Silakan coba lagi."
    )
    assert job.pesan in page
    assert "Coba lagi" in page and 'name="ulangi"' in page
    assert "hx-trigger" not in page  # ended: the panel stops polling


def test_a_late_worker_is_shown_as_not_answering_since_its_last_beat(client, sekretariat, minta):
    job = berjalan(minta().pekerjaan, detak_detik_lalu=40)
    client.force_login(sekretariat)
    page = client.get(job.get_absolute_url()).content.decode()
    jam = timezone.localtime(job.detak).strftime("%H.%M")
    assert f"Pekerja tidak merespons sejak {jam}" in page
    job.refresh_from_db()
    assert job.status == BERJALAN  # late, not yet dead
    berjalan(job, detak_detik_lalu=3)
    assert "tidak merespons" not in client.get(job.get_absolute_url()).content.decode()


def test_batalkan_on_a_dead_job_ends_it_at_once(client, sekretariat, minta):
    job = berjalan(minta().pekerjaan, detak_detik_lalu=120)
    client.force_login(sekretariat)
    client.post(job.get_absolute_url(), {"batal": "1"})
    job.refresh_from_db()
    assert job.status == Pekerjaan.Status.DIBATALKAN
    assert job.selesai is not None


def test_batalkan_on_a_live_job_asks_its_worker_to_stop(client, sekretariat, minta):
    job = berjalan(minta().pekerjaan, detak_detik_lalu=3)
    client.force_login(sekretariat)
    client.post(job.get_absolute_url(), {"batal": "1"})
    job.refresh_from_db()
    assert (job.status, job.minta_batal) == (BERJALAN, True)


def test_a_zombie_worker_cannot_turn_a_cancelled_job_into_done(minta):
    job = berjalan(minta().pekerjaan, detak_detik_lalu=120)
    pekerjaan_services.minta_batal(job)
    # The worker wakes up: its next report stops it, its end changes nothing.
    with pytest.raises(pekerjaan_services.Dibatalkan):
        pekerjaan_services.lapor(job, persen=80, langkah="Menggabungkan data dukung …")
    assert not pekerjaan_services.selesai(job, hasil={"ringkasan": "40 halaman"})
    assert not pekerjaan_services.gagal(job, pesan="terlambat")
    job.refresh_from_db()
    assert (job.status, job.persen, job.pesan) == (Pekerjaan.Status.DIBATALKAN, 35, "")


def test_a_build_whose_worker_died_does_not_block_a_new_one(minta):
    lama = berjalan(minta().pekerjaan, detak_detik_lalu=120)
    baru = minta()
    lama.refresh_from_db()
    assert lama.status == Pekerjaan.Status.GAGAL
    assert lama.pesan.startswith("Pekerja berhenti di tengah jalan")
    assert baru.pekerjaan.status == ANTRE


def test_coba_lagi_queues_the_same_bundle_again(
    client, sekretariat, minta, tahun, django_capture_on_commit_callbacks
):
    job = berjalan(minta().pekerjaan, detak_detik_lalu=120)
    pekerjaan_services.tandai_mati(job)
    client.force_login(sekretariat)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(job.get_absolute_url(), {"ulangi": "1"})
    baru = Bundel.objects.exclude(pekerjaan=job).get()
    assert (baru.tahun, baru.jenis, baru.pekerjaan.status) == (tahun, "pdf", ANTRE)
    assert response["Location"] == reverse("pekerjaan", args=[baru.pekerjaan_id])
    assert len(callbacks) == 1


def test_only_a_failed_job_can_be_tried_again(client, sekretariat, minta):
    job = minta().pekerjaan
    client.force_login(sekretariat)
    response = client.post(job.get_absolute_url(), {"ulangi": "1"}, follow=True)
    assert "Hanya pekerjaan yang gagal yang dapat dicoba lagi." in response.content.decode()
    assert Bundel.objects.count() == 1


def test_the_sweep_marks_dead_jobs_failed_and_removes_their_temporary_folders(
    settings, minta, sekretariat
):
    mati = berjalan(minta().pekerjaan, detak_detik_lalu=120)
    hidup = pekerjaan_services.buat(jenis="rapor_opd", judul="Kirim rapor", by=sekretariat)
    berjalan(hidup, detak_detik_lalu=2)
    akar = Path(settings.VAR_DIR) / "pekerjaan-sementara"
    for job in (mati, hidup):
        (akar / f"{job.pk}-abc").mkdir(parents=True)
        (akar / f"{job.pk}-abc" / "bundel.pdf").write_bytes(b"%PDF-")
    assert sapu_pekerjaan() == 1
    mati.refresh_from_db()
    hidup.refresh_from_db()
    assert (mati.status, hidup.status) == (Pekerjaan.Status.GAGAL, BERJALAN)
    assert sorted(p.name for p in akar.iterdir()) == [f"{hidup.pk}-abc"]
    assert sapu_pekerjaan() == 0  # already marked
    jadwal = settings.CELERY_BEAT_SCHEDULE["sapu-pekerjaan-mati"]
    assert jadwal["task"] == "kla_portal.sapu_pekerjaan"
    assert jadwal["schedule"] <= datetime.timedelta(minutes=1)


def test_a_build_removes_its_temporary_folder(settings, minta):
    bundel = minta()
    akar = Path(settings.VAR_DIR) / "pekerjaan-sementara"
    with pekerjaan_services.folder_sementara(bundel.pekerjaan) as folder:
        assert folder.parent == akar and folder.name.startswith(f"{bundel.pekerjaan_id}-")
    assert list(akar.iterdir()) == []


@pytest.mark.django_db(transaction=True)
def test_a_task_beats_from_a_thread_while_it_reports_nothing(settings, sekretariat):
    settings.PEKERJAAN_DETAK_SETIAP = 1
    job = pekerjaan_services.buat(jenis="bundel", judul="Bundel 2024", by=sekretariat)
    with pekerjaan_services.berdetak(job):
        job.refresh_from_db()
        assert job.status == BERJALAN
        pertama = job.detak
        time.sleep(2.5)  # a long page layout: no report
        job.refresh_from_db()
        assert job.detak > pertama
    assert not [t for t in threading.enumerate() if t.name == f"detak-{job.pk}"]


def test_coba_lagi_sends_the_report_cards_of_the_same_agencies_again(
    sekretariat, tahun, dinkes, dinsos, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job = services.rapor_minta_kirim(tahun=tahun, opd_list=[dinkes, dinsos], by=sekretariat)
    berjalan(job, detak_detik_lalu=120)
    assert pekerjaan_services.sapu() == 1
    job.refresh_from_db()
    assert job.pesan.startswith("Pekerja berhenti di tengah jalan (langkah")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        baru = pekerjaan_services.ulangi(job, by=sekretariat)

    assert (baru.jenis, baru.status) == ("rapor_opd", ANTRE)
    assert baru.parameter == {"tahun": tahun.pk, "opd": [dinkes.pk, dinsos.pk]}
    assert len(callbacks) == 1
