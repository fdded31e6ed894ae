"""Each role's home page says what to do now: an operator's questions, deadline, RAD reports
and follow-ups; a head's approvals; the secretariat's and Bappeda's queues; the leadership's
score, late agencies and points at stake. Counts are known by hand from the data built here;
nobody sees another agency's items, and the page's query count does not grow with the data."""

import datetime
import re
from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from agencies import services as agencies_services
from clusters import services
from clusters.models import Penugasan, Pertanyaan, TahunEvaluasi
from koordinasi import services as koordinasi_services
from rencana_aksi import services as rad_services
from tests.conftest import _pertanyaan
from tests.koordinasi.conftest import data_rapat
from tests.rencana_aksi.bantu import LALU, buat_aksi, lapor

BERANDA = "/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def soal(indikator, opd, kode, urutan=1) -> Pertanyaan:
    """A question led by ``opd`` scored as points given directly, no evidence required."""
    pertanyaan = _pertanyaan(
        indikator,
        kode,
        urutan=urutan,
        cara_penilaian=Pertanyaan.CaraPenilaian.LANGSUNG,
        wajib_lampiran=False,
        petunjuk_lampiran="",
    )
    Penugasan.objects.create(pertanyaan=pertanyaan, opd=opd, utama=True)
    return pertanyaan


def draf(pertanyaan, operator, poin=D(5)):
    return services.jawaban_simpan(pertanyaan=pertanyaan, by=operator, versi=0, poin_langsung=poin)


def kirim(pertanyaan, operator, poin=D(5)):
    return services.jawaban_kirim(jawaban=draf(pertanyaan, operator, poin), by=operator)


def angka(html: str, label: str) -> int:
    """The count the home page shows beside a row's label."""
    found = re.search(
        rf"<span>{re.escape(label)}</span><span class=\"badge[^\"]*\">(\d+)</span>", html
    )
    assert found, f"no row {label!r}"
    return int(found.group(1))


def beranda(client, person) -> str:
    client.force_login(person)
    response = client.get(BERANDA)
    assert response.status_code == 200
    return response.content.decode()


# --- Data ---------------------------------------------------------------------------------


@pytest.fixture
def rapat_lalu(gugus_kota, sekretariat, dinkes, dinsos):
    """A meeting held a week ago, Dinas Kesehatan and Dinas Sosial invited."""
    return koordinasi_services.rapat_jadwalkan(
        gugus_tugas=gugus_kota,
        data=data_rapat(
            judul="Rakor bulanan",
            hari=-7,
            agenda="Kemajuan evaluasi KLA",
            tempat="Ruang Rapat Bappeda",
        ),
        opd=[dinkes, dinsos],
        by=sekretariat,
        kabari=False,
    )


def tindak_lanjut(rapat, opd, hari: int, by, keputusan: str):
    """A follow-up of ``opd`` due ``hari`` days from today (negative: past due)."""
    record = koordinasi_services.tindak_lanjut_tambah(
        rapat=rapat,
        keputusan=keputusan,
        opd=opd,
        tenggat=timezone.localdate() + datetime.timedelta(days=30),
        by=by,
        kabari=False,
    )
    # A due date already past cannot be given today: move it as time would have.
    type(record).objects.filter(pk=record.pk).update(
        tenggat=timezone.localdate() + datetime.timedelta(days=hari)
    )
    return record


@pytest.fixture
def kerja_dinkes(
    indikator, dinkes, dinsos, operator_dinkes, kepala_dinkes, operator_dinsos, kepala_dinsos
):
    """Dinas Kesehatan leads four questions: one unanswered, one draft, one returned by its
    head, one waiting for the head. Dinas Sosial leads two, both unanswered."""
    belum = soal(indikator, dinkes, "Pertanyaan 11", 1)
    draf(soal(indikator, dinkes, "Pertanyaan 12", 2), operator_dinkes)
    services.jawaban_tolak(
        jawaban=kirim(soal(indikator, dinkes, "Pertanyaan 13", 3), operator_dinkes),
        by=kepala_dinkes,
        alasan="Angkanya belum sesuai data Puskesmas.",
    )
    kirim(soal(indikator, dinkes, "Pertanyaan 14", 4), operator_dinkes)
    soal(indikator, dinsos, "Pertanyaan 21", 5)
    soal(indikator, dinsos, "Pertanyaan 22", 6)
    return belum


# --- Operators ----------------------------------------------------------------------------


def test_an_agency_operator_sees_their_questions_deadline_and_follow_ups(
    client, kerja_dinkes, operator_dinkes, rapat_lalu, dinkes, dinsos, sekretariat
):
    tindak_lanjut(rapat_lalu, dinkes, -3, sekretariat, "Kirim data imunisasi")
    tindak_lanjut(rapat_lalu, dinkes, 5, sekretariat, "Kirim data Puskesmas Ramah Anak")
    tindak_lanjut(rapat_lalu, dinsos, -1, sekretariat, "Perbarui data LKSA")
    html = beranda(client, operator_dinkes)
    assert "Tugas Anda sekarang" in html
    assert angka(html, "Belum dijawab") == 1
    assert angka(html, "Draf belum dikirim") == 1
    assert angka(html, "Dikembalikan untuk diperbaiki") == 1
    assert "dari 4 pertanyaan Anda" in html  # Dinas Sosial's two are not theirs
    assert "30 hari lagi" in html  # the year's deadline is 30 days away
    assert angka(html, "Lewat tenggat") == 1  # Dinas Sosial's late one is not theirs
    assert angka(html, "Tenggat dalam 14 hari") == 1
    assert angka(html, "Semua yang belum selesai") == 2
    assert f'href="{reverse("clusters:tugas")}?status=dikembalikan"' in html


def test_an_agency_operator_sees_the_quarterly_reports_of_their_agency_only(
    client, periode, operator_dinkes, dinkes, dinsos, sekretariat
):
    buat_aksi(periode, "K3.01", dinkes, sekretariat)
    buat_aksi(periode, "K5.01", dinsos, sekretariat)
    buat_aksi(periode, "K5.02", dinsos, sekretariat)
    html = beranda(client, operator_dinkes)
    # One action of theirs, no report sent: every quarter of this year so far (and last
    # year's fourth while this is the first) is to fill in or late.
    triwulan = (timezone.localdate().month - 1) // 3 + 1
    kuartal = triwulan + (1 if triwulan == 1 else 0)
    assert angka(html, "Perlu diisi") + angka(html, "Terlambat") == kuartal
    assert angka(html, "Dikembalikan") == 0


def test_after_the_deadline_the_operator_sees_how_late_they_are(
    client, kerja_dinkes, tahun, operator_dinkes
):
    TahunEvaluasi.objects.filter(pk=tahun.pk).update(
        batas_waktu=timezone.now() - datetime.timedelta(days=2)
    )
    html = beranda(client, operator_dinkes)
    assert "lewat 2 hari" in html
    # unanswered, draft and returned: three not sent while sending is closed
    assert angka(html, "Terlambat (batas waktu lewat)") == 3


def test_a_kelurahan_operator_sees_their_own_progress_and_facilities_not_the_city_score(
    client, tahun, soal_kelurahan, lurah_cipare, cipare, operator_dinkes, pimpinan
):
    services.jawaban_simpan(
        pertanyaan=soal_kelurahan, wilayah=cipare, by=lurah_cipare, versi=0, fraksi=D(1)
    )
    services.skor_hitung(tahun=tahun)
    html = beranda(client, lurah_cipare)
    assert "Kemajuan Kelurahan Cipare" in html
    # saved as a draft, not sent
    assert "<strong>0</strong> dari 1 pertanyaan sudah dikirim" in html
    assert angka(html, "Draf belum dikirim") == 1
    assert "Fasilitas terdaftar" in html
    assert "Skor KLA 2024" not in html and "Poin mandiri OPD" not in html
    assert "Skor KLA 2024" in beranda(client, pimpinan)  # the city has a score to show


# --- Heads --------------------------------------------------------------------------------


def test_a_head_sees_answers_and_rad_reports_waiting_for_them_together(
    client,
    periode,
    kerja_dinkes,
    kepala_dinkes,
    operator_dinkes,
    kepala_dinsos,
    dinkes,
    sekretariat,
):
    lapor(buat_aksi(periode, "K3.01", dinkes, sekretariat), LALU, operator_dinkes, kirim=True)
    html = beranda(client, kepala_dinkes)
    assert "Menunggu persetujuan Anda" in html
    assert angka(html, "Jawaban evaluasi") == 1
    assert angka(html, "Laporan triwulan RAD") == 1
    assert "Tugas Anda sekarang" not in html  # a head answers nothing themselves
    # The head of Dinas Sosial has nothing of Dinas Kesehatan's to approve.
    html = beranda(client, kepala_dinsos)
    assert angka(html, "Jawaban evaluasi") == 0
    assert angka(html, "Laporan triwulan RAD") == 0


# --- The secretariat and Bappeda ----------------------------------------------------------


def test_the_secretariat_and_bappeda_see_their_queues(
    client,
    periode,
    kerja_dinkes,
    indikator,
    dinkes,
    operator_dinkes,
    kepala_dinkes,
    sekretariat,
    bappeda,
):
    for n in (15, 16):
        jawaban = kirim(soal(indikator, dinkes, f"Pertanyaan {n}", n), operator_dinkes)
        services.jawaban_setujui(jawaban=jawaban, by=kepala_dinkes)
    laporan = lapor(
        buat_aksi(periode, "K3.01", dinkes, sekretariat), LALU, operator_dinkes, kirim=True
    )
    rad_services.realisasi_setujui(realisasi=laporan, by=kepala_dinkes)

    html = beranda(client, sekretariat)
    assert angka(html, "Jawaban menunggu verifikasi") == 2
    assert "Antrean Bappeda" not in html
    html = beranda(client, bappeda)
    assert angka(html, "Laporan triwulan RAD menunggu tinjauan") == 1
    assert "Antrean Sekretariat" not in html


# --- Leadership ---------------------------------------------------------------------------


def test_the_leadership_sees_score_distance_late_agencies_and_points_at_stake(
    client,
    tahun,
    indikator,
    dinkes,
    dinsos,
    operator_dinkes,
    operator_dinsos,
    kepala_dinsos,
    pimpinan,
):
    draf(soal(indikator, dinkes, "Pertanyaan 11"), operator_dinkes, D(6))
    kirim(soal(indikator, dinsos, "Pertanyaan 21", 2), operator_dinsos, D(5))
    TahunEvaluasi.objects.filter(pk=tahun.pk).update(
        batas_waktu=timezone.now() - datetime.timedelta(days=1)
    )
    services.skor_hitung(tahun=TahunEvaluasi.objects.get(pk=tahun.pk))
    html = beranda(client, pimpinan)
    assert "Skor KLA 2024" in html and "11,00" in html  # 6 + 5
    assert "Kurang <strong>489,00</strong> poin menuju Pratama." in html  # 500 - 11
    late = html.split("OPD terlambat mengirim jawaban")[1].split("Kelengkapan per OPD")[0]
    assert "Dinkes" in late and "1 pertanyaan" in late  # its draft was not sent in time
    assert "Dinsos" not in late  # sent before the deadline
    stake = html.split("Poin yang dipertaruhkan")[1].split("Di mana poin kita hilang?")[0]
    # 8 - 5 for Dinas Sosial, 8 - 6 for Dinas Kesehatan, largest first
    assert stake.index("Dinsos") < stake.index("Dinkes")
    assert "3,00 poin" in stake and "2,00 poin" in stake


def test_a_person_with_two_roles_sees_both_sections(client, kerja_dinkes, operator_dinkes, dinkes):
    agencies_services.keanggotaan_tambah(
        user=operator_dinkes, peran="kepala_opd", opd=dinkes, by=operator_dinkes
    )
    html = beranda(client, operator_dinkes)
    assert "Tugas Anda sekarang" in html and "Menunggu persetujuan Anda" in html


# --- Query counts -------------------------------------------------------------------------


def _tambah(d: dict, n: int, mulai: int):
    """``n`` more of everything the home page counts: questions of both agencies (Dinas
    Kesehatan's as drafts, one sent to its head), RAD actions of both (one report of Dinas
    Kesehatan's sent and approved, waiting for Bappeda) and follow-ups of both."""
    for i in range(mulai, mulai + n):
        draf(soal(d["indikator"], d["dinkes"], f"Pertanyaan D{i}", i), d["operator_dinkes"])
        soal(d["indikator"], d["dinsos"], f"Pertanyaan S{i}", i)
        for opd in (d["dinkes"], d["dinsos"]):
            tindak_lanjut(d["rapat_lalu"], opd, i % 20 - 10, d["sekretariat"], f"{opd} {i}")
            buat_aksi(d["periode"], f"K{opd.pk}.{i}", opd, d["sekretariat"])
    kirim(soal(d["indikator"], d["dinkes"], f"Pertanyaan K{mulai}", mulai), d["operator_dinkes"])
    aksi = buat_aksi(d["periode"], f"R.{mulai}", d["dinkes"], d["sekretariat"])
    laporan = lapor(aksi, LALU, d["operator_dinkes"], kirim=True)
    rad_services.realisasi_setujui(realisasi=laporan, by=d["kepala_dinkes"])


@pytest.mark.parametrize(
    "peran",
    ["operator_dinkes", "kepala_dinkes", "pimpinan", "sekretariat", "bappeda", "lurah_cipare"],
)
def test_the_home_page_query_count_does_not_grow_with_the_data(
    client,
    request,
    peran,
    tahun,
    soal_kelurahan,
    cipare,
    lurah_cipare,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    person = request.getfixturevalue(peran)
    d = {
        nama: request.getfixturevalue(nama)
        for nama in (
            "indikator",
            "dinkes",
            "dinsos",
            "operator_dinkes",
            "kepala_dinkes",
            "rapat_lalu",
            "sekretariat",
            "periode",
        )
    }
    _tambah(d, 2, 100)
    services.skor_hitung(tahun=TahunEvaluasi.objects.get(pk=tahun.pk))
    client.force_login(person)
    client.get(BERANDA)  # warm: what a first request reads once (kept SQL, content types)
    with django_assert_max_num_queries(200) as kecil:
        client.get(BERANDA)
    n = len(kecil.captured_queries)  # read now: the next request clears the query log
    _tambah(d, 20, 200)
    services.skor_hitung(tahun=TahunEvaluasi.objects.get(pk=tahun.pk))
    client.get(BERANDA)
    # the same queries with ten times the questions, actions, reports and follow-ups
    with django_assert_num_queries(n):
        client.get(BERANDA)
