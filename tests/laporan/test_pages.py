"""The reports page: who may build and download the bundle, who may read which report card,
double clicks, failures and cancellations, and what the page costs in queries."""

import io
from decimal import Decimal

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from agencies.models import Notifikasi
from clusters import services as clusters_services
from kla_portal import pekerjaan as pekerjaan_services
from kla_portal.models import Pekerjaan
from laporan import bundel, services, tasks
from laporan.models import Bundel
from tests.laporan.conftest import tambah_soal

pytestmark = pytest.mark.django_db

BERANDA = reverse("laporan:beranda")
BUAT = reverse("laporan:bundel-buat")


@pytest.fixture
def orang(
    admin_portal,
    sekretariat,
    bappeda,
    pimpinan,
    kepala_dinkes,
    operator_dinkes,
    operator_dinsos,
    operator_kasemen,
    lurah_cipare,
):
    return {
        u.username: u
        for u in (
            admin_portal,
            sekretariat,
            bappeda,
            pimpinan,
            kepala_dinkes,
            operator_dinkes,
            operator_dinsos,
            operator_kasemen,
            lurah_cipare,
        )
    }


@pytest.fixture
def bundel_jadi(
    instrumen_kecil, tahun, sekretariat, kota_serang, django_capture_on_commit_callbacks
):
    """A bundle built as the worker would (the task run here, in this process)."""
    with django_capture_on_commit_callbacks(execute=False):
        record = services.bundel_minta(tahun=tahun, jenis="pdf", by=sekretariat)
    tasks.bangun_bundel(record.pk)
    record.refresh_from_db()
    return record


# --- Who may do what ----------------------------------------------------------------------

HALAMAN = {
    # username: (reports page, build, download a bundle)
    "admin": (200, 302, 200),
    "sekretariat": (200, 302, 200),
    "bappeda": (200, 403, 200),
    "pimpinan": (200, 403, 200),
    "kepala.dinkes": (200, 403, 403),
    "operator.dinkes": (200, 403, 403),
    "operator.kasemen": (403, 403, 403),
    "lurah.cipare": (403, 403, 403),
}


@pytest.mark.parametrize("username", list(HALAMAN))
def test_each_role_against_each_bundle_page(
    client, orang, username, bundel_jadi, tahun, django_capture_on_commit_callbacks
):
    halaman, buat, unduh = HALAMAN[username]
    client.force_login(orang[username])
    assert client.get(BERANDA).status_code == halaman
    jumlah = Bundel.objects.count()
    with django_capture_on_commit_callbacks(execute=False):
        # ZIP: a PDF build of the year is not running, so only the permission can refuse.
        response = client.post(BUAT, {"tahun": 2024, "jenis": "zip"})
    assert response.status_code == buat
    assert Bundel.objects.count() == jumlah + (buat == 302)
    assert client.get(bundel_jadi.get_absolute_url()).status_code == unduh


def test_an_operator_sees_no_bundle_on_the_reports_page_only_their_report_card(
    client, operator_dinkes, bundel_jadi, dinkes, dinsos
):
    client.force_login(operator_dinkes)
    page = client.get(BERANDA).content.decode()
    assert bundel_jadi.get_absolute_url() not in page
    assert "Buat bundel" not in page
    assert reverse("laporan:rapor-opd", args=[2024, dinkes.pk]) in page
    assert reverse("laporan:rapor-opd", args=[2024, dinsos.pk]) not in page


@pytest.mark.usefixtures("rapor_seketika")  # the card built in the request
def test_report_cards_are_read_by_their_agency_and_the_city_roles_only(
    client, orang, instrumen_kecil, dinkes, dinsos, dp3a
):
    dinkes_url = reverse("laporan:rapor-opd", args=[2024, dinkes.pk])
    dinsos_url = reverse("laporan:rapor-opd", args=[2024, dinsos.pk])
    harapan = {
        "sekretariat": (200, 200),
        "bappeda": (200, 200),
        "pimpinan": (200, 200),
        "kepala.dinkes": (200, 404),
        "operator.dinkes": (200, 404),
        "operator.dinsos": (404, 200),
        "operator.kasemen": (403, 403),
    }
    client.force_login(orang["sekretariat"])
    response = client.get(dinkes_url)
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    for username, (kode_dinkes, kode_dinsos) in harapan.items():
        client.force_login(orang[username])
        assert client.get(dinkes_url).status_code == kode_dinkes, username
        assert client.get(dinsos_url).status_code == kode_dinsos, username
    client.force_login(orang["kepala.dinkes"])
    assert client.get(reverse("laporan:rapor-opd", args=[2024, 999999])).status_code == 404
    assert client.get(reverse("laporan:rapor-opd", args=[1999, dinkes.pk])).status_code == 404


def test_only_the_secretariat_sends_report_cards(
    client, orang, instrumen_kecil, tahun, django_capture_on_commit_callbacks
):
    url = reverse("laporan:rapor-kirim", args=[2024])
    for username in ("bappeda", "pimpinan", "kepala.dinkes", "operator.dinkes"):
        client.force_login(orang[username])
        assert client.post(url).status_code == 403
    client.force_login(orang["sekretariat"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.post(url).status_code == 302
    assert len(callbacks) == 1
    assert Pekerjaan.objects.filter(jenis="rapor_opd").count() == 1
    assert client.post(url, {"opd": 999999}).status_code == 404


def test_a_download_is_named_for_the_city_and_year_and_never_cached(
    client, sekretariat, bundel_jadi
):
    client.force_login(sekretariat)
    response = client.get(bundel_jadi.get_absolute_url())
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="bundel-evaluasi-kla-2024-kota-serang-'
    )
    assert response["Cache-Control"] == "private, max-age=0"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    isi = b"".join(response.streaming_content)
    assert len(PdfReader(io.BytesIO(isi)).pages) == bundel_jadi.halaman
    assert len(isi) == bundel_jadi.ukuran


def test_a_bundle_still_being_built_or_failed_cannot_be_downloaded(
    client, sekretariat, tahun, instrumen_kecil, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        record = services.bundel_minta(tahun=tahun, jenis="pdf", by=sekretariat)
    client.force_login(sekretariat)
    assert client.get(record.get_absolute_url()).status_code == 404


# --- Double clicks, failures, cancellations -----------------------------------------------


def test_a_second_click_while_the_bundle_is_built_says_so_and_queues_nothing(
    client, sekretariat, instrumen_kecil, django_capture_on_commit_callbacks
):
    client.force_login(sekretariat)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(BUAT, {"tahun": 2024, "jenis": "pdf"})
        response = client.post(BUAT, {"tahun": 2024, "jenis": "pdf"}, follow=True)
    assert len(callbacks) == 1
    assert Bundel.objects.count() == 1
    assert "sedang dibuat oleh Rina Marlina" in response.content.decode()


def test_a_job_left_running_by_a_dead_worker_no_longer_blocks(
    sekretariat, tahun, instrumen_kecil, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        lama = services.bundel_minta(tahun=tahun, jenis="pdf", by=sekretariat)
    Pekerjaan.objects.filter(pk=lama.pekerjaan_id).update(
        dibuat=lama.pekerjaan.dibuat.replace(year=2020)
    )
    with django_capture_on_commit_callbacks(execute=False):
        services.bundel_minta(tahun=tahun, jenis="pdf", by=sekretariat)
    lama.pekerjaan.refresh_from_db()
    assert lama.pekerjaan.status == Pekerjaan.Status.GAGAL
    assert "Tidak ada pekerja yang mengambil pekerjaan ini" in lama.pekerjaan.pesan


@pytest.mark.parametrize(
    ("data", "pesan"),
    [
        ({"tahun": 2024, "jenis": "docx"}, "Pilih jenis bundel: PDF lengkap atau ZIP."),
        ({"tahun": 2024, "jenis": "pdf"}, "Evaluasi KLA 2024 belum memiliki instrumen"),
    ],
)
def test_a_bad_request_is_refused_in_plain_words_and_changes_nothing(
    client, sekretariat, tahun, data, pesan
):
    client.force_login(sekretariat)
    response = client.post(BUAT, data, follow=True)
    assert pesan in response.content.decode()
    assert not Bundel.objects.exists()
    assert client.post(BUAT, {"tahun": 1999, "jenis": "pdf"}).status_code == 404


def test_a_failed_build_says_where_it_stopped_and_keeps_no_file(
    client, sekretariat, tahun, instrumen_kecil, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        record = services.bundel_minta(tahun=tahun, jenis="pdf", by=sekretariat)

    def rusak(tahun, *, tujuan, oleh, lapor):
        lapor(35, "Menata halaman bundel …")
        raise RuntimeError("pango hilang")

    monkeypatch.setattr(bundel, "bangun_pdf", rusak)
    with pytest.raises(RuntimeError):
        tasks.bangun_bundel(record.pk)
    record.refresh_from_db()
    job = record.pekerjaan
    assert job.status == Pekerjaan.Status.GAGAL
    assert job.pesan == (
        "Bundel gagal dibuat karena kesalahan sistem pada langkah \u201cMenata halaman bundel "
        f"…\u201d; tidak ada berkas yang disimpan. Coba lagi; bila terulang, hubungi admin "
        f"(pekerjaan nomor {job.pk})."
    )
    assert not record.berkas
    client.force_login(sekretariat)
    page = client.get(BERANDA).content.decode()
    assert "tidak ada berkas yang disimpan" in page
    # Trying again is allowed at once: the failed job no longer blocks.
    with django_capture_on_commit_callbacks(execute=False):
        services.bundel_minta(tahun=tahun, jenis="pdf", by=sekretariat)


def test_a_build_past_its_time_limit_fails_with_a_message(
    sekretariat, tahun, instrumen_kecil, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        record = services.bundel_minta(tahun=tahun, jenis="pdf", by=sekretariat)

    def lambat(tahun, *, tujuan, oleh, lapor):
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(bundel, "bangun_pdf", lambat)
    assert tasks.bangun_bundel(record.pk) == Pekerjaan.Status.GAGAL
    record.pekerjaan.refresh_from_db()
    assert record.pekerjaan.pesan.startswith(
        "Pembuatan bundel dihentikan karena melewati batas waktu 14 menit"
    )


def test_a_cancelled_build_stops_at_its_next_step_and_keeps_no_file(
    sekretariat, tahun, bukti_lengkap, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        record = services.bundel_minta(tahun=tahun, jenis="pdf", by=sekretariat)
    pekerjaan_services.minta_batal(record.pekerjaan)  # still queued: cancelled at once
    assert tasks.bangun_bundel(record.pk) == Pekerjaan.Status.DIBATALKAN
    record.pekerjaan.refresh_from_db()
    assert record.pekerjaan.status == Pekerjaan.Status.DIBATALKAN
    assert not record.berkas


def test_a_redelivered_message_builds_nothing_twice(bundel_jadi):
    sha = bundel_jadi.sha256
    assert tasks.bangun_bundel(bundel_jadi.pk) == Pekerjaan.Status.SELESAI
    bundel_jadi.refresh_from_db()
    assert bundel_jadi.sha256 == sha


def test_the_finished_job_links_to_the_download_and_says_what_was_left_out(
    bukti_lengkap, tahun, sekretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        record = services.bundel_minta(tahun=tahun, jenis="pdf", by=sekretariat)
    tasks.bangun_bundel(record.pk)
    record.refresh_from_db()
    job = record.pekerjaan
    assert (job.status, job.persen) == (Pekerjaan.Status.SELESAI, 100)
    assert job.hasil["tautan"] == record.get_absolute_url()
    assert "4 data dukung tidak dapat disisipkan; lihat Lampiran C." in job.hasil["ringkasan"]
    assert len(record.sha256) == 64
    assert record.isi["total"]["mandiri"] == str(
        clusters_services.skor_hitung(tahun=tahun).total_mandiri
    )


# --- Report cards -------------------------------------------------------------------------


@pytest.mark.usefixtures("rapor_seketika")  # the card built in the request
def test_the_report_card_holds_the_agencys_questions_and_no_one_elses(
    client, kepala_dinkes, bukti_lengkap
):
    clusters_services.skor_hitung(tahun=bukti_lengkap["perda"].tahun)
    client.force_login(kepala_dinkes)
    response = client.get(reverse("laporan:rapor-opd", args=[2024, kepala_dinkes.opd_ids().pop()]))
    assert response["Content-Type"] == "application/pdf"
    teks = " ".join(
        " ".join((p.extract_text() or "").split())
        for p in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Rapor KLA 2024" in teks and "Dinas Kesehatan" in teks
    assert "Berapa puskesmas yang memenuhi standar ramah anak?" in teks
    assert "Apakah tenaga kesehatan sudah dilatih KHA?" in teks
    assert "Apakah tersedia Perda KLA" not in teks  # DP3A's question


def test_report_cards_go_to_each_agency_head_with_the_pdf_attached(
    sekretariat, kepala_dinkes, bukti_lengkap, dinkes, dinsos, tahun
):
    kepala_dinkes.email = "kepala.dinkes@serangkota.go.id"
    kepala_dinkes.save()
    job = pekerjaan_services.buat(jenis="rapor_opd", judul="Kirim rapor", by=sekretariat)
    assert tasks.kirim_rapor(job.pk, tahun.pk, [dinkes.pk, dinsos.pk]) == Pekerjaan.Status.SELESAI
    job.refresh_from_db()
    assert job.hasil["ringkasan"] == (
        "Rapor diberitahukan kepada 1 kepala OPD di portal; 1 di antaranya juga menerima e-mail "
        "dengan PDF terlampir. Belum ada akun kepala OPD untuk: Dinsos."
    )
    # The sender hears how it ended too: they may have closed the page.
    assert Notifikasi.objects.get(penerima=sekretariat).judul == "Kirim rapor selesai."
    assert len(mail.outbox) == 1
    pesan = mail.outbox[0]
    assert pesan.to == ["kepala.dinkes@serangkota.go.id"]
    assert pesan.subject == "[Portal KLA] Rapor KLA 2024 Dinkes"
    nama, isi, jenis = pesan.attachments[0]
    assert nama.startswith("rapor-kla-2024-dinkes-") and jenis == "application/pdf"
    assert PdfReader(io.BytesIO(isi)).pages
    assert Notifikasi.objects.get(
        penerima=kepala_dinkes, judul="Rapor KLA 2024 Dinkes"
    ).tautan == reverse("laporan:rapor-opd", args=[2024, dinkes.pk])


# --- Queries ------------------------------------------------------------------------------


def test_the_reports_page_query_count_does_not_grow_with_bundles(
    client, sekretariat, bundel_jadi, django_assert_num_queries
):
    client.force_login(sekretariat)
    client.get(BERANDA)
    # session, user, memberships, the two permission tables of Django's own backend, unread
    # notifications, year, years with an instrument, bundles with their jobs and people, the
    # person's running report jobs, the snapshot, answer counts, the RAD plan in force,
    # report-card agencies with their counts
    with django_assert_num_queries(14) as sedikit:
        assert client.get(BERANDA).status_code == 200
    for _ in range(8):
        Bundel.objects.create(
            daerah=bundel_jadi.daerah,
            tahun=bundel_jadi.tahun,
            jenis="pdf",
            dibuat_oleh=sekretariat,
            pekerjaan=pekerjaan_services.buat(jenis="bundel", judul="B", by=sekretariat),
        )
    # the same queries with more bundles and jobs
    with django_assert_num_queries(len(sedikit.captured_queries)):
        assert client.get(BERANDA).status_code == 200


@pytest.mark.usefixtures("rapor_seketika")  # the card built in the request
def test_the_report_card_query_count_does_not_grow_with_questions(
    client, kepala_dinkes, bukti_lengkap, dinkes, tahun, django_assert_num_queries
):
    clusters_services.skor_hitung(tahun=tahun)
    client.force_login(kepala_dinkes)
    url = reverse("laporan:rapor-opd", args=[2024, dinkes.pk])
    client.get(url)  # the card is built (by the worker's job) and stored
    # session, user, memberships, year, the two permission tables of Django's own backend, the
    # agency, the snapshot and the agency's RAD actions and reports (the card's key), the
    # stored card; the build's own count is checked in test_rapor_pekerjaan.py
    with django_assert_num_queries(10) as sedikit:
        client.get(url)
    indikator = bukti_lengkap["puskesmas"].indikator
    tambah_soal(indikator, dinkes, 40)
    clusters_services.skor_hitung(tahun=tahun)
    services.rapor_bangun(tahun=tahun, opd=dinkes)  # the worker builds the new snapshot's card
    # the same queries with more questions for the agency
    with django_assert_num_queries(len(sedikit.captured_queries)):
        client.get(url)


@pytest.mark.usefixtures("rapor_seketika")  # the card built in the request
def test_an_agency_leading_only_rad_actions_has_a_report_card_with_its_progress(
    client, sekretariat, instrumen_kecil, bappeda_opd
):
    from django.utils import timezone

    from rencana_aksi import services as rad_services
    from rencana_aksi.models import Klaster
    from rencana_aksi.services import DataAksi

    tahun_ini = timezone.localdate().year
    periode = rad_services.periode_buat(tahun_mulai=tahun_ini - 1, by=sekretariat)
    rad_services.aksi_simpan(
        periode=periode,
        data=DataAksi(
            kode="KL.01",
            nama="Penyusunan profil anak daerah",
            klaster=Klaster.KELEMBAGAAN,
            indikator_kinerja="Dokumen profil anak",
            satuan="dokumen",
            opd_utama=bappeda_opd,
            target={tahun_ini: (Decimal(1), Decimal(50_000_000), "apbd")},
        ),
        by=sekretariat,
    )
    client.force_login(sekretariat)
    page = client.get(BERANDA).content.decode()
    url = reverse("laporan:rapor-opd", args=[2024, bappeda_opd.pk])
    assert url in page
    teks = " ".join(
        " ".join((p.extract_text() or "").split())
        for p in PdfReader(io.BytesIO(client.get(url).content)).pages
    )
    assert f"Aksi RAD KLA yang dipimpin: kemajuan tahun {tahun_ini}" in teks
    assert "Penyusunan profil anak daerah" in teks


def test_a_head_without_an_e_mail_address_is_told_in_the_portal_and_the_summary_says_so(
    sekretariat, kepala_dinkes, bukti_lengkap, dinkes, tahun
):
    job = pekerjaan_services.buat(jenis="rapor_opd", judul="Kirim rapor", by=sekretariat)
    tasks.kirim_rapor(job.pk, tahun.pk, [dinkes.pk])
    job.refresh_from_db()
    assert job.hasil["ringkasan"] == (
        "Rapor diberitahukan kepada 1 kepala OPD di portal; 0 di antaranya juga menerima e-mail "
        "dengan PDF terlampir. 1 kepala belum mencantumkan alamat e-mail di akunnya."
    )
    assert not mail.outbox


def test_the_reports_page_marks_agencies_whose_card_cannot_be_sent(
    client, sekretariat, kepala_dinkes, instrumen_kecil
):
    client.force_login(sekretariat)
    page = client.get(BERANDA).content.decode()
    baris = {b.split("</td>")[0]: b for b in page.split("<tr>")[1:]}
    dinkes = next(v for k, v in baris.items() if k.strip().startswith("<td>Dinkes"))
    dinsos = next(v for k, v in baris.items() if k.strip().startswith("<td>Dinsos"))
    assert "belum ada akun kepala" not in dinkes
    assert "belum ada akun kepala" in dinsos


def test_the_page_watching_a_job_reloads_with_its_outcome_when_it_ends(
    client, sekretariat, bundel_jadi
):
    client.force_login(sekretariat)
    url = bundel_jadi.pekerjaan.get_absolute_url() + "?muat=1"
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"
    page = client.get(BERANDA).content.decode()
    assert (
        f"Bundel evaluasi KLA 2024 (PDF lengkap dengan data dukung): {bundel_jadi.halaman} halaman"
        in page
    )
