"""Coba lagi on a failed background RAD import: the same file is queued again, and a retry
never writes the rows twice (the import is one transaction, and it refuses rows changed
since the preview, as they are when an earlier run did write them)."""

import pytest

from kla_portal import pekerjaan as pekerjaan_services
from kla_portal.models import Pekerjaan
from rencana_aksi import impor, services, tasks
from rencana_aksi.impor import tulis as impor_tulis
from rencana_aksi.models import Aksi, PeriodeRad
from tests.rencana_aksi.impor.bantu import T0, besar

# On PostgreSQL a helper thread reports the write, on a connection of its own.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def periode(bappeda) -> PeriodeRad:
    return services.periode_buat(tahun_mulai=T0, by=bappeda)


@pytest.fixture
def antre(periode, dinkes, bappeda, monkeypatch):
    """Queue the import of a plan, as the confirmation does; returns (job, run) where run()
    does what the worker does with the queued message."""
    queued = []
    monkeypatch.setattr(
        tasks.impor_rad, "apply_async", lambda args, task_id: queued.append((args, task_id))
    )

    def antre(isi: bytes | None = None, *, ulang_dari: Pekerjaan | None = None):
        if ulang_dari is not None:
            job = pekerjaan_services.ulangi(ulang_dari, by=bappeda)
        else:
            laporan = impor.periksa_berkas("rad.xlsx", isi, periode=periode, pengguna=bappeda)
            job = impor_tulis.rad_impor_antre(
                periode=periode,
                nama="rad.xlsx",
                isi=isi,
                versi=laporan.versi_dilihat(),
                jenis=laporan.jenis,
                by=bappeda,
            )
        args, task_id = queued.pop()
        assert task_id == job.task_id and args[0] == job.pk
        return job, lambda: tasks.impor_rad(*args)

    return antre


def test_a_failed_import_is_queued_again_with_the_same_file_and_then_written(antre):
    job, _jalankan = antre(besar(50))
    pekerjaan_services.gagal(job, pesan="Pekerja berhenti di tengah jalan")
    job.refresh_from_db()
    assert job.dapat_diulang

    baru, jalankan = antre(ulang_dari=job)

    assert (baru.jenis, baru.judul, baru.parameter) == (job.jenis, job.judul, job.parameter)
    assert baru.pk != job.pk and baru.task_id != job.task_id
    assert jalankan() == Pekerjaan.Status.SELESAI
    assert Aksi.objects.count() == 50


def test_retrying_an_import_that_did_write_refuses_instead_of_writing_twice(antre):
    job, jalankan = antre(besar(50))
    assert jalankan() == Pekerjaan.Status.SELESAI
    # Its end was never recorded (the database went away right after the commit) and the
    # sweep marked it failed.
    Pekerjaan.objects.filter(pk=job.pk).update(status=Pekerjaan.Status.GAGAL)
    job.refresh_from_db()

    baru, jalankan = antre(ulang_dari=job)

    assert jalankan() == Pekerjaan.Status.GAGAL
    baru.refresh_from_db()
    assert baru.pesan.startswith("Data RAD berubah sejak pratinjau")
    assert Aksi.objects.count() == 50
