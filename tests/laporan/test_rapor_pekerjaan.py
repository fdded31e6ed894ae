"""The report card built by a worker: the card's page follows the build and then serves the
kept PDF, a second request reuses it, a change of the data under it builds it again, a double
click makes one job, and another agency's staff never see it."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from clusters import services as clusters_services
from kla_portal import pekerjaan as pekerjaan_services
from kla_portal.models import Pekerjaan
from laporan import services, tasks
from laporan.models import RaporOpd
from tests.laporan.conftest import amati, tambah_soal


def url_rapor(opd) -> str:
    return reverse("laporan:rapor-opd", args=[2024, opd.pk])


def teks_pdf(isi: bytes) -> str:
    return PdfReader(io.BytesIO(isi)).pages[0].extract_text()


def jobs_rapor():
    return Pekerjaan.objects.filter(jenis="rapor_opd")


# --- With a real worker -------------------------------------------------------------------


@pytest.fixture
def skor_terhitung(bukti_lengkap, tahun):
    """The year's score computed, and its "needs a recompute" mark cleared, before the worker
    starts (it would queue a recompute of a marked year): only the test's own snapshots then
    change the card."""
    tahun.refresh_from_db()
    clusters_services.skor_hitung(tahun=tahun)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_card_and_keeps_it_until_the_data_changes(
    client, kepala_dinkes, skor_terhitung, dinkes, tahun, celery_worker_process
):
    client.force_login(kepala_dinkes)

    # Asked for: the page follows the build instead of laying the PDF out in the request.
    halaman = client.get(url_rapor(dinkes))
    assert halaman["Content-Type"].startswith("text/html")
    assert "Rapor KLA 2024 Dinkes" in halaman.content.decode()
    job = jobs_rapor().get()
    assert job.parameter == {"tahun": tahun.pk, "opd": [dinkes.pk], "kirim": False}
    terlihat = amati(job, jeda=0.01)
    assert job.status == Pekerjaan.Status.SELESAI, job.pesan
    assert terlihat[-1] == (100, "Selesai.")
    assert any(0 < persen < 100 for persen, _langkah in terlihat), terlihat
    # The page's poll now offers the download.
    panel = client.get(url_rapor(dinkes), HTTP_HX_REQUEST="true").content.decode()
    assert "Unduh rapor" in panel and "hx-trigger" not in panel

    # The PDF the worker kept, served at once; asking again builds nothing.
    pertama = client.get(url_rapor(dinkes))
    assert pertama["Content-Type"] == "application/pdf"
    assert "Rapor KLA 2024" in teks_pdf(pertama.content)
    kartu = RaporOpd.objects.get(tahun=tahun, opd=dinkes)
    berkas_lama = Path(kartu.berkas.path)
    assert berkas_lama.read_bytes() == pertama.content
    assert client.get(url_rapor(dinkes)).content == pertama.content
    assert jobs_rapor().count() == 1

    # A new snapshot: the card is built again by the worker, and the old file goes.
    clusters_services.skor_hitung(tahun=tahun)
    assert client.get(url_rapor(dinkes))["Content-Type"].startswith("text/html")
    assert jobs_rapor().count() == 2
    amati(jobs_rapor().latest("dibuat"))
    kedua = client.get(url_rapor(dinkes))
    assert "Rapor KLA 2024" in teks_pdf(kedua.content)
    assert jobs_rapor().count() == 2
    assert not berkas_lama.exists()


# --- The job and the cache ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_double_click_makes_one_job(
    client, operator_dinkes, instrumen_kecil, dinkes, django_capture_on_commit_callbacks
):
    client.force_login(operator_dinkes)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pertama = client.get(url_rapor(dinkes))
        kedua = client.get(url_rapor(dinkes))
    assert pertama.status_code == kedua.status_code == 200
    assert "Menunggu pekerja sejak" in kedua.content.decode()
    assert jobs_rapor().count() == 1
    assert len(callbacks) == 1
    # The page's poll reads the job, it never queues another.
    client.get(url_rapor(dinkes), HTTP_HX_REQUEST="true")
    assert jobs_rapor().count() == 1


@pytest.mark.django_db
def test_a_build_whose_worker_is_gone_no_longer_blocks_a_new_one(
    client, operator_dinkes, instrumen_kecil, dinkes, settings, django_capture_on_commit_callbacks
):
    client.force_login(operator_dinkes)
    with django_capture_on_commit_callbacks(execute=False):
        client.get(url_rapor(dinkes))
    lama = jobs_rapor().get()
    dulu = timezone.now() - timezone.timedelta(seconds=settings.PEKERJAAN_BATAS_ANTRE + 1)
    jobs_rapor().update(dibuat=dulu)
    panel = client.get(url_rapor(dinkes), HTTP_HX_REQUEST="true").content.decode()
    assert "Tidak ada pekerja yang mengambil pekerjaan ini" in panel and "Coba lagi" in panel
    with django_capture_on_commit_callbacks(execute=False):
        client.get(url_rapor(dinkes))
    lama.refresh_from_db()
    assert lama.status == Pekerjaan.Status.GAGAL
    assert jobs_rapor().exclude(pk=lama.pk).get().status == Pekerjaan.Status.ANTRE


@pytest.mark.django_db
def test_another_agencys_operator_gets_404_for_the_card_its_progress_and_its_file(
    client, operator_dinsos, kepala_dinkes, instrumen_kecil, dinkes, rapor_seketika, settings
):
    client.force_login(kepala_dinkes)
    assert client.get(url_rapor(dinkes))["Content-Type"] == "application/pdf"
    kartu = RaporOpd.objects.get(opd=dinkes)
    client.force_login(operator_dinsos)
    assert client.get(url_rapor(dinkes)).status_code == 404
    assert client.get(url_rapor(dinkes), HTTP_HX_REQUEST="true").status_code == 404
    assert client.get(settings.MEDIA_URL + kartu.berkas.name).status_code == 404
    assert jobs_rapor().count() == 1


@pytest.mark.django_db
def test_a_new_rad_report_of_the_agency_builds_the_card_again(
    client, sekretariat, operator_dinkes, instrumen_kecil, dinkes, rapor_seketika
):
    from rencana_aksi import services as rad_services
    from rencana_aksi.models import Klaster, Realisasi
    from rencana_aksi.services import DataAksi

    tahun_ini = timezone.localdate().year
    periode = rad_services.periode_buat(tahun_mulai=tahun_ini - 1, by=sekretariat)
    aksi, _berubah = rad_services.aksi_simpan(
        periode=periode,
        data=DataAksi(
            kode="K3.01",
            nama="Pelatihan KHA tenaga kesehatan",
            klaster=Klaster.KLASTER_3,
            indikator_kinerja="Tenaga kesehatan terlatih",
            satuan="orang",
            opd_utama=dinkes,
            target={tahun_ini: (Decimal(40), Decimal(10_000_000), "apbd")},
        ),
        by=sekretariat,
    )
    client.force_login(operator_dinkes)
    client.get(url_rapor(dinkes))
    client.get(url_rapor(dinkes))
    assert jobs_rapor().count() == 1
    Realisasi.objects.create(aksi=aksi, tahun=tahun_ini, triwulan=1, capaian=Decimal(10))
    assert "Pelatihan KHA" in "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(client.get(url_rapor(dinkes)).content)).pages
    )
    assert jobs_rapor().count() == 2


@pytest.mark.django_db
def test_coba_lagi_builds_a_failed_card_again(
    sekretariat, instrumen_kecil, dinkes, tahun, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        kartu = services.rapor_minta(tahun=tahun, opd=dinkes, by=sekretariat)
    pekerjaan_services.gagal(kartu.pekerjaan, pesan="WeasyPrint berhenti")
    kartu.pekerjaan.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        baru = pekerjaan_services.ulangi(kartu.pekerjaan, by=sekretariat)
    assert (baru.jenis, baru.status) == ("rapor_opd", Pekerjaan.Status.ANTRE)
    assert baru.parameter == {"tahun": tahun.pk, "opd": [dinkes.pk], "kirim": False}
    assert RaporOpd.objects.get(opd=dinkes).pekerjaan == baru
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_sending_attaches_the_kept_card_without_building_it_again(
    sekretariat, kepala_dinkes, bukti_lengkap, dinkes, tahun
):
    kepala_dinkes.email = "kepala.dinkes@serangkota.go.id"
    kepala_dinkes.save()
    kartu = services.rapor_bangun(tahun=tahun, opd=dinkes)
    job = pekerjaan_services.buat(jenis="rapor_opd", judul="Kirim rapor", by=sekretariat)
    assert tasks.kirim_rapor(job.pk, tahun.pk, [dinkes.pk]) == Pekerjaan.Status.SELESAI
    nama, isi, _jenis = mail.outbox[0].attachments[0]
    assert (nama, isi) == (kartu.nama_berkas, Path(kartu.berkas.path).read_bytes())
    assert RaporOpd.objects.get(opd=dinkes).berkas.name == kartu.berkas.name


@pytest.mark.django_db
def test_the_cards_build_query_count_does_not_grow_with_questions(
    bukti_lengkap, dinkes, tahun, django_assert_num_queries
):
    clusters_services.skor_hitung(tahun=tahun)
    services.rapor_bangun(tahun=tahun, opd=dinkes)
    clusters_services.skor_hitung(tahun=tahun)
    # the card's key (the agency's RAD actions and reports, the snapshot), the kept card, the
    # city, the snapshot, the RAD plan in force, then the card locked and written (savepoint,
    # lock, update, release)
    with django_assert_num_queries(10) as sedikit:
        services.rapor_bangun(tahun=tahun, opd=dinkes)
    indikator = bukti_lengkap["puskesmas"].indikator
    tambah_soal(indikator, dinkes, 40)
    clusters_services.skor_hitung(tahun=tahun)
    # the same queries with more questions for the agency
    with django_assert_num_queries(len(sedikit.captured_queries)):
        services.rapor_bangun(tahun=tahun, opd=dinkes)
