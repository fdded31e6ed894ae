"""A large RAD file goes to a real Celery worker: the job page follows it to the end, and a
cancellation stops it with nothing written."""

import base64
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from kla_portal import pekerjaan as pekerjaan_services
from kla_portal.models import Pekerjaan
from rencana_aksi import impor, services, tasks
from rencana_aksi.impor import tulis as impor_tulis
from rencana_aksi.models import Aksi, PeriodeRad, TargetTahunan
from tests.rencana_aksi.impor.bantu import T0, besar

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def periode(bappeda) -> PeriodeRad:
    return services.periode_buat(tahun_mulai=T0, by=bappeda)


def ikuti(job: Pekerjaan, *, sampai=lambda j: j.berakhir, batas_detik: float = 180) -> list[int]:
    """Poll the job as its page does; returns the percentages seen."""
    seen = []
    deadline = time.monotonic() + batas_detik
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if not seen or seen[-1] != job.persen:
            seen.append(job.persen)
        if sampai(job):
            return seen
        time.sleep(0.02)
    raise AssertionError(f"Pekerjaan {job} tidak selesai dalam {batas_detik} detik: {seen}")


def test_a_large_plan_is_written_by_the_worker_and_its_page_ends_with_a_link(
    celery_worker_process, client, periode, dinkes, bappeda
):
    client.force_login(bappeda)
    preview = client.post(
        reverse("rencana_aksi:impor", args=[periode.pk]),
        {"berkas": SimpleUploadedFile("rencana.xlsx", besar(1200))},
    )
    assert preview.context["di_latar"]

    response = client.post(
        reverse("rencana_aksi:impor-konfirmasi", args=[periode.pk]),
        {"token": preview.context["token"]},
    )

    job = Pekerjaan.objects.get()
    assert response["Location"] == reverse("pekerjaan", args=[job.pk])
    seen = ikuti(job)
    assert (job.status, job.persen, job.pesan) == ("selesai", 100, "")
    assert seen == sorted(seen) and seen[-1] == 100, seen
    assert (Aksi.objects.count(), TargetTahunan.objects.count()) == (1200, 1200)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Aksi baru 1.200, diperbarui 0, tidak berubah 0, dilewati 0." in page
    assert reverse("rencana_aksi:aksi-list", args=[periode.pk]) in page
    assert "Kembali ke daftar aksi" in page
    assert "hx-trigger" not in page  # ended: the panel stops polling


def test_a_job_cancelled_while_queued_is_never_written(
    celery_worker_process, periode, dinkes, bappeda
):
    content = besar(400)
    laporan = impor.periksa_berkas("r.xlsx", content, periode=periode, pengguna=bappeda)
    job = pekerjaan_services.buat(jenis="impor_rad", judul="Impor rencana", by=bappeda)
    pekerjaan_services.minta_batal(job)

    result = tasks.impor_rad.delay(
        job.pk, periode.pk, "r.xlsx", base64.b64encode(content).decode(), laporan.versi_dilihat()
    )

    assert result.get(timeout=60) == "dibatalkan"
    job.refresh_from_db()
    assert job.status == "dibatalkan"
    assert not Aksi.objects.exists()


def test_cancelling_a_running_import_stops_it_with_nothing_written(
    celery_worker_process, periode, dinkes, bappeda
):
    """Cancelled as soon as the worker has started (while it reads and checks the file): the
    next progress report stops it."""
    content = besar(3000)
    laporan = impor.periksa_berkas("r.xlsx", content, periode=periode, pengguna=bappeda)
    job = pekerjaan_services.buat(jenis="impor_rad", judul="Impor rencana", by=bappeda)
    tasks.impor_rad.delay(
        job.pk, periode.pk, "r.xlsx", base64.b64encode(content).decode(), laporan.versi_dilihat()
    )
    ikuti(job, sampai=lambda j: j.status != "antre", batas_detik=60)

    pekerjaan_services.minta_batal(job)

    ikuti(job)
    assert job.status == "dibatalkan"
    assert job.persen < 100
    assert not Aksi.objects.exists()


@pytest.mark.skipif("connection.vendor == 'sqlite'", reason="SQLite has one writer at a time")
def test_cancelling_during_the_write_undoes_the_rows_written(
    celery_worker_process, periode, dinkes, bappeda
):
    """On PostgreSQL the bar moves while the rows are written, and a cancel then undoes them."""
    content = besar(3000)
    laporan = impor.periksa_berkas("r.xlsx", content, periode=periode, pengguna=bappeda)
    job = pekerjaan_services.buat(jenis="impor_rad", judul="Impor rencana", by=bappeda)
    tasks.impor_rad.delay(
        job.pk, periode.pk, "r.xlsx", base64.b64encode(content).decode(), laporan.versi_dilihat()
    )
    seen = ikuti(job, sampai=lambda j: j.persen > impor_tulis.PERSEN_PERIKSA)

    pekerjaan_services.minta_batal(job)

    seen += ikuti(job)
    assert job.status == "dibatalkan", seen
    assert impor_tulis.PERSEN_PERIKSA < job.persen < 100
    assert not Aksi.objects.exists()
    assert connection.vendor == "postgresql"
