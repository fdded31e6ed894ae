"""A RAD import run as a background job in this process: progress, cancellation, a plan
changed since the preview."""

import base64
import threading

import pytest
from django.db import connection
from django.urls import reverse

from kla_portal import pekerjaan as pekerjaan_services
from kla_portal.models import Pekerjaan
from rencana_aksi import services, tasks
from rencana_aksi.impor import tulis as impor_tulis
from rencana_aksi.models import Aksi
from tests.rencana_aksi.impor.bantu import (
    besar,
    data_aksi,
    job_for,
    jumlah,
    periksa,
)

# --- The background job, run in this process ------------------------------------------------


@pytest.mark.django_db(transaction=True)  # on PostgreSQL a helper thread reports the write
def test_the_task_reports_rising_progress_and_ends_at_100(periode, dinkes, bappeda, monkeypatch):
    content = besar(450)
    versi = periksa(content, periode, bappeda).versi_dilihat()
    job = job_for(bappeda)
    seen = []
    real = pekerjaan_services.lapor

    def spy(pekerjaan, *, persen, langkah):
        seen.append(persen)
        real(pekerjaan, persen=persen, langkah=langkah)

    monkeypatch.setattr(pekerjaan_services, "lapor", spy)
    status = tasks.impor_rad(
        job.pk, periode.pk, "besar.xlsx", base64.b64encode(content).decode(), versi
    )

    job.refresh_from_db()
    assert (status, job.status, job.persen) == ("selesai", "selesai", 100)
    assert seen == sorted(seen) and seen[0] == 0
    assert any(0 < p < impor_tulis.PERSEN_PERIKSA for p in seen)
    assert impor_tulis.PERSEN_PERIKSA in seen
    assert job.hasil == {
        "ringkasan": "Aksi baru 450, diperbarui 0, tidak berubah 0, dilewati 0.",
        "tautan": reverse("rencana_aksi:aksi-list", args=[periode.pk]),
        "label_tautan": "Kembali ke daftar aksi",
    }
    assert Aksi.objects.count() == 450


def test_a_cancel_asked_while_the_task_runs_stops_it_before_writing(periode, dinkes, bappeda):
    content = besar(350)
    versi = periksa(content, periode, bappeda).versi_dilihat()
    job = job_for(bappeda)
    Pekerjaan.objects.filter(pk=job.pk).update(status="berjalan", minta_batal=True)

    status = tasks.impor_rad(
        job.pk, periode.pk, "besar.xlsx", base64.b64encode(content).decode(), versi
    )

    job.refresh_from_db()
    assert (status, job.status) == ("dibatalkan", "dibatalkan")
    assert jumlah() == (0, 0, 0)


def test_the_task_fails_with_the_reason_when_the_plan_changed_since_the_preview(
    periode, dinkes, bappeda
):
    content = besar(320)
    versi = periksa(content, periode, bappeda).versi_dilihat()
    services.aksi_simpan(periode=periode, data=data_aksi("X.0001", dinkes), by=bappeda)
    job = job_for(bappeda)

    tasks.impor_rad(job.pk, periode.pk, "besar.xlsx", base64.b64encode(content).decode(), versi)

    job.refresh_from_db()
    assert job.status == "gagal"
    assert "Data RAD berubah sejak pratinjau" in job.pesan
    assert Aksi.objects.count() == 1


def test_a_redelivered_task_of_an_ended_job_does_nothing(periode, dinkes, bappeda):
    job = job_for(bappeda)
    pekerjaan_services.selesai(job, hasil={"ringkasan": "sudah"})
    assert tasks.impor_rad(job.pk, periode.pk, "x.xlsx", "", {}) == "selesai"
    job.refresh_from_db()
    assert job.hasil == {"ringkasan": "sudah"}


@pytest.mark.skipif("connection.vendor == 'sqlite'", reason="SQLite has one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_a_cancel_during_the_write_undoes_every_row(periode, dinkes, bappeda, monkeypatch):
    """On PostgreSQL progress is written through its own connection while the import's
    transaction is open: the bar moves, and a cancel stops and undoes the write."""
    content = besar(450)
    laporan = periksa(content, periode, bappeda)
    job = job_for(bappeda)
    real = services.periksa_data_aksi  # each row held to aksi_simpan's rules, in the write
    calls = []

    def cancel_at_250(periode, data):
        calls.append(1)
        if len(calls) == 250:  # the person presses Batalkan, from another connection
            thread = threading.Thread(
                target=lambda: (pekerjaan_services.minta_batal(job), connection.close())
            )
            thread.start()
            thread.join()
        return real(periode, data)

    monkeypatch.setattr(services, "periksa_data_aksi", cancel_at_250)
    Pekerjaan.objects.filter(pk=job.pk).update(status="berjalan")
    with pytest.raises(pekerjaan_services.Dibatalkan):
        impor_tulis.rad_impor(periode=periode, laporan=laporan, by=bappeda, pekerjaan=job)

    job.refresh_from_db()
    assert (job.status, job.persen) == ("dibatalkan", impor_tulis.PERSEN_PERIKSA + 70 * 200 // 450)
    assert jumlah() == (0, 0, 0)
