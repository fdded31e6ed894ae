"""The RAD through the API, writing: actions (Bappeda, the secretariat) and quarterly reports
(the lead agency's operator) through the pages' services, the reports' workflow steps, stale
versions (409 with the record as it is now), wrong types and refusals that change nothing."""

from decimal import Decimal as D

import pytest

from agencies import services as agencies_services
from rencana_aksi.models import Aksi, Realisasi
from tests.rencana_aksi.bantu import LALU, SEKARANG, TAHUN, geser, lapor

PROBLEM = "application/problem+json"
API = "/api/v1/rad"


def kirim(client, metode, url, data=None, **extra):
    return getattr(client, metode)(url, data or {}, content_type="application/json", **extra)


def masuk(client, request, peran):
    if peran is not None:
        client.force_login(request.getfixturevalue(peran))


def aksi_baru(periode, opd, **lain):
    return {
        "periode": periode.pk,
        "kode": "K4.09",
        "nama": "Taman bermain ramah anak",
        "klaster": "klaster_4",
        "indikator_kla": ["21a", "Indikator 4"],
        "indikator_kinerja": "Jumlah taman bermain",
        "satuan": "taman",
        "opd_utama": opd.pk,
        "program_kode": "2.08",
        "kegiatan_kode": "2.08.07",
        "status": "berjalan",
        "target": [{"tahun": TAHUN, "target": 3, "pagu": 150_000_000, "sumber_dana": "apbd"}],
        **lain,
    }


# --- Actions ------------------------------------------------------------------------------


@pytest.mark.parametrize("peran", ["sekretariat", "bappeda"])
def test_the_plans_keepers_add_an_action(client, request, periode, dinkes, dinsos, peran):
    masuk(client, request, peran)
    response = kirim(
        client, "post", f"{API}/aksi/", aksi_baru(periode, dinkes, opd_pendukung=[dinsos.pk])
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    aksi = Aksi.objects.get(kode="K4.09")
    assert (data["id"], data["versi"], data["indikator_kla"]) == (
        aksi.pk,
        1,
        ["Indikator 4", "Indikator 21 A"],
    )
    assert data["opd_pendukung"] == [dinsos.pk]
    assert data["target"] == [
        {"tahun": TAHUN, "target": 3.0, "pagu": 150_000_000.0, "sumber_dana": "apbd"}
    ]
    assert aksi.history.first().history_user == request.getfixturevalue(peran)


@pytest.mark.parametrize(
    "peran", ["operator_dinkes", "kepala_dinkes", "pimpinan", "operator_kasemen", None]
)
def test_others_may_not_add_an_action(client, request, periode, dinkes, peran):
    masuk(client, request, peran)
    response = kirim(client, "post", f"{API}/aksi/", aksi_baru(periode, dinkes))
    assert response.status_code == (401 if peran is None else 403)
    assert response["Content-Type"] == PROBLEM
    assert not Aksi.objects.exists()


@pytest.mark.parametrize(
    "ubah, kolom",
    [
        ({"klaster": "klaster_9"}, "klaster"),
        ({"opd_utama": 999999}, "opd_utama"),
        ({"opd_utama": "Dinkes"}, "opd_utama"),
        ({"periode": 999999}, "periode"),
        ({"target": "banyak"}, "target"),
        ({"target": [{"tahun": TAHUN, "target": "tiga"}]}, "target"),
        ({"target": [{"tahun": TAHUN, "pagu": -1}]}, "target"),
        ({"indikator_kla": ["Indikator 99"]}, "indikator_kla"),
        ({"kegiatan_kode": "3.01.07"}, "kegiatan_kode"),
        ({"program_kode": "dua"}, "program_kode"),
        ({"warna": "merah"}, "warna"),
        ({"nama": ""}, "nama"),
    ],
)
def test_wrong_input_for_an_action_is_a_400_and_saves_nothing(
    client, sekretariat, periode, dinkes, ubah, kolom
):
    client.force_login(sekretariat)
    response = kirim(client, "post", f"{API}/aksi/", {**aksi_baru(periode, dinkes), **ubah})
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert kolom in response.json()["errors"]
    assert not Aksi.objects.exists()


def test_the_services_refusal_is_the_pages_message(client, sekretariat, periode, dinkes):
    client.force_login(sekretariat)
    luar = periode.tahun_selesai + 1
    response = kirim(
        client,
        "post",
        f"{API}/aksi/",
        aksi_baru(periode, dinkes, target=[{"tahun": luar, "target": 1}]),
    )
    assert response.status_code == 400
    assert response.json()["detail"] == f"Tahun {luar} di luar {periode}."
    assert not Aksi.objects.exists()


def test_an_action_code_taken_is_refused(client, sekretariat, periode, aksi_dinkes, dinkes):
    client.force_login(sekretariat)
    response = kirim(client, "post", f"{API}/aksi/", aksi_baru(periode, dinkes, kode="K3.01"))
    assert response.status_code == 400
    assert response.json()["errors"]["kode"] == ["Kode K3.01 sudah dipakai aksi lain di RAD ini."]


def test_a_change_with_the_current_version_is_saved(client, bappeda, aksi_dinkes):
    client.force_login(bappeda)
    response = kirim(
        client,
        "patch",
        f"{API}/aksi/{aksi_dinkes.pk}/",
        {"versi": aksi_dinkes.versi, "target": [{"tahun": TAHUN, "target": 120, "pagu": 5}]},
    )
    assert response.status_code == 200, response.json()
    aksi_dinkes.refresh_from_db()
    assert aksi_dinkes.versi == response.json()["versi"] == 2
    assert aksi_dinkes.target.get(tahun=TAHUN).target == D(120)
    # the other years and fields stay as they were
    assert aksi_dinkes.target.get(tahun=TAHUN - 1).target == D(100)
    assert aksi_dinkes.nama == "Puskesmas ramah anak"


def test_a_stale_version_is_a_409_with_the_action_as_it_is_now(client, bappeda, aksi_dinkes):
    client.force_login(bappeda)
    url = f"{API}/aksi/{aksi_dinkes.pk}/"
    assert kirim(client, "patch", url, {"versi": 1, "nama": "Baru"}).status_code == 200
    response = kirim(client, "patch", url, {"versi": 1, "nama": "Lebih baru"})
    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    data = response.json()
    assert data["versi"] == 2
    assert data["sekarang"]["nama"] == "Baru"
    assert data["detail"].startswith("Aksi ini sudah diubah oleh Agus Setiawan")
    aksi_dinkes.refresh_from_db()
    assert (aksi_dinkes.nama, aksi_dinkes.versi) == ("Baru", 2)


def test_a_change_without_a_version_is_a_400(client, bappeda, aksi_dinkes):
    client.force_login(bappeda)
    response = kirim(client, "patch", f"{API}/aksi/{aksi_dinkes.pk}/", {"nama": "Baru"})
    assert response.status_code == 400
    assert "versi" in response.json()["errors"]
    aksi_dinkes.refresh_from_db()
    assert aksi_dinkes.versi == 1


@pytest.mark.parametrize("peran", ["operator_dinkes", "kepala_dinkes", "pimpinan", None])
def test_others_may_not_change_an_action(client, request, aksi_dinkes, peran):
    masuk(client, request, peran)
    response = kirim(
        client, "patch", f"{API}/aksi/{aksi_dinkes.pk}/", {"versi": 1, "nama": "Diubah"}
    )
    assert response.status_code == (401 if peran is None else 403)
    aksi_dinkes.refresh_from_db()
    assert (aksi_dinkes.nama, aksi_dinkes.versi) == ("Puskesmas ramah anak", 1)


def test_a_missing_action_is_a_404(client, bappeda, db):
    client.force_login(bappeda)
    assert kirim(client, "patch", f"{API}/aksi/999999/", {"versi": 1}).status_code == 404


# --- Reporting a quarter --------------------------------------------------------------------


def laporan_url(aksi, kuartal=LALU):
    return f"{API}/aksi/{aksi.pk}/laporan/{kuartal[0]}/{kuartal[1]}/"


ISI = {"capaian": 42.5, "anggaran": 1_250_000.5, "narasi": "Pelatihan petugas", "versi": 0}


def test_the_lead_agencys_operator_reports_a_quarter(client, operator_dinkes, aksi_dinkes):
    client.force_login(operator_dinkes)
    response = kirim(client, "put", laporan_url(aksi_dinkes), ISI)
    assert response.status_code == 200, response.json()
    laporan = Realisasi.objects.get()
    assert (laporan.status, laporan.capaian, laporan.anggaran, laporan.versi) == (
        "draft",
        D("42.5"),
        D("1250000.50"),
        1,
    )
    assert response.json()["id"] == laporan.pk
    # a second save with the version read
    response = kirim(client, "put", laporan_url(aksi_dinkes), {**ISI, "capaian": 50, "versi": 1})
    assert response.json()["capaian"] == 50.0
    assert response.json()["versi"] == 2


def test_a_stale_report_is_a_409(client, operator_dinkes, aksi_dinkes):
    client.force_login(operator_dinkes)
    kirim(client, "put", laporan_url(aksi_dinkes), ISI)
    response = kirim(client, "put", laporan_url(aksi_dinkes), {**ISI, "capaian": 1})
    assert response.status_code == 409
    assert response.json()["versi"] == 1
    assert Realisasi.objects.get().capaian == D("42.5")


@pytest.mark.parametrize(
    "peran, status",
    [
        ("operator_dinsos", 404),  # another agency's action: as if it did not exist
        ("kepala_dinsos", 404),
        ("kepala_dinkes", 403),  # sees it, but the operator reports
        ("sekretariat", 403),
        ("bappeda", 403),
        ("pimpinan", 403),
        ("operator_kasemen", 403),
        (None, 401),  # log in first
    ],
)
def test_only_the_lead_agencys_operator_reports(client, request, aksi_dinkes, peran, status):
    masuk(client, request, peran)
    response = kirim(client, "put", laporan_url(aksi_dinkes), ISI)
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    assert not Realisasi.objects.exists()


@pytest.mark.parametrize(
    "ubah, kolom",
    [
        ({"capaian": "banyak"}, "capaian"),
        ({"anggaran": -5}, "anggaran"),
        ({"versi": "satu"}, "versi"),
        ({"versi": None}, "versi"),
        ({"berkas": "x.pdf"}, "berkas"),
    ],
)
def test_a_report_of_the_wrong_type_is_a_400(client, operator_dinkes, aksi_dinkes, ubah, kolom):
    client.force_login(operator_dinkes)
    response = kirim(client, "put", laporan_url(aksi_dinkes), {**ISI, **ubah})
    assert response.status_code == 400
    assert kolom in response.json()["errors"]
    assert not Realisasi.objects.exists()


def test_a_quarter_not_begun_is_refused_with_the_pages_message(
    client, operator_dinkes, aksi_dinkes
):
    client.force_login(operator_dinkes)
    response = kirim(client, "put", laporan_url(aksi_dinkes, geser(SEKARANG, 1)), ISI)
    if geser(SEKARANG, 1)[0] > aksi_dinkes.periode.tahun_selesai:  # pragma: no cover
        assert response.status_code == 404
        return
    assert response.status_code == 400
    assert response.json()["detail"] == "Triwulan ini belum dimulai; laporkan setelah berjalan."


def test_the_same_idempotency_key_is_answered_once(client, operator_dinkes, aksi_dinkes):
    client.force_login(operator_dinkes)
    kunci = {"HTTP_IDEMPOTENCY_KEY": "laporan-dinkes-0001"}
    pertama = kirim(client, "put", laporan_url(aksi_dinkes), ISI, **kunci)
    kedua = kirim(client, "put", laporan_url(aksi_dinkes), ISI, **kunci)
    assert (pertama.status_code, kedua.status_code) == (200, 200)
    assert kedua["Idempotent-Replayed"] == "true"
    assert Realisasi.objects.get().versi == 1


# --- The workflow -----------------------------------------------------------------------------


def langkah(client, nama, laporan, **data):
    return kirim(client, "post", f"{API}/realisasi/{laporan.pk}/{nama}/", data)


@pytest.fixture
def draf(aksi_dinkes, operator_dinkes, kepala_dinkes):
    """Dinkes's draft of last quarter (its head exists: someone can approve it)."""
    return lapor(aksi_dinkes, LALU, operator_dinkes)


def test_a_quarter_goes_from_operator_to_head_to_bappeda(
    client, draf, operator_dinkes, kepala_dinkes, bappeda
):
    client.force_login(operator_dinkes)
    response = langkah(client, "kirim", draf, versi=1)
    assert (response.status_code, response.json()["status"]) == (200, "menunggu_kepala")
    client.force_login(kepala_dinkes)
    response = langkah(client, "setujui", draf, versi=2)
    assert (response.status_code, response.json()["status"]) == (200, "menunggu_verifikasi")
    client.force_login(bappeda)
    response = langkah(client, "terima", draf)
    assert (response.status_code, response.json()["status"]) == (200, "terverifikasi")
    draf.refresh_from_db()
    assert draf.status == "terverifikasi"


def test_returns_need_a_reason(client, draf, operator_dinkes, kepala_dinkes, bappeda):
    client.force_login(operator_dinkes)
    langkah(client, "kirim", draf)
    client.force_login(kepala_dinkes)
    response = langkah(client, "tolak", draf, alasan="")
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Tuliskan alasannya agar penerima tahu apa yang harus diperbaiki."
    )
    english = kirim(
        client,
        "post",
        f"{API}/realisasi/{draf.pk}/tolak/",
        {"alasan": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert english.json()["detail"] == "Give the reason so that the recipient knows what to fix."
    draf.refresh_from_db()
    assert draf.status == "menunggu_kepala"
    response = langkah(client, "tolak", draf, alasan="Capaian belum sesuai bukti")
    assert (response.json()["status"], response.json()["alasan"]) == (
        "dikembalikan",
        "Capaian belum sesuai bukti",
    )


def test_bappeda_returns_with_a_reason(client, draf, operator_dinkes, kepala_dinkes, bappeda):
    client.force_login(operator_dinkes)
    langkah(client, "kirim", draf)
    client.force_login(kepala_dinkes)
    langkah(client, "setujui", draf)
    client.force_login(bappeda)
    response = langkah(client, "kembalikan", draf, alasan="Lampirkan daftar hadir")
    assert response.json()["status"] == "dikembalikan"


@pytest.mark.parametrize(
    "peran, nama, status",
    [
        ("operator_dinsos", "kirim", 404),
        ("kepala_dinsos", "kirim", 404),
        ("kepala_dinkes", "kirim", 403),
        ("bappeda", "kirim", 403),
        ("operator_dinsos", "setujui", 404),
        ("operator_dinkes", "setujui", 403),
        ("sekretariat", "setujui", 403),
        ("kepala_dinsos", "setujui", 404),
        ("operator_dinkes", "terima", 403),
        ("kepala_dinkes", "terima", 403),
        ("sekretariat", "kembalikan", 403),
        ("pimpinan", "terima", 403),
        (None, "kirim", 401),
    ],
)
def test_a_step_of_someone_else_is_refused_and_changes_nothing(
    client, request, draf, peran, nama, status
):
    masuk(client, request, peran)
    response = langkah(client, nama, draf, alasan="x")
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    draf.refresh_from_db()
    assert (draf.status, draf.versi) == ("draft", 1)


def test_a_step_from_the_wrong_state_is_a_400(client, draf, kepala_dinkes):
    client.force_login(kepala_dinkes)
    response = langkah(client, "setujui", draf)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Tidak dapat diproses")


def test_a_step_with_a_stale_version_is_a_409(client, draf, operator_dinkes):
    client.force_login(operator_dinkes)
    kirim(client, "put", laporan_url(draf.aksi), {**ISI, "versi": 1})  # now version 2
    response = langkah(client, "kirim", draf, versi=1)
    assert response.status_code == 409
    assert response.json()["sekarang"]["versi"] == 2
    draf.refresh_from_db()
    assert draf.status == "draft"


def test_a_step_of_the_wrong_type_is_a_400(client, draf, operator_dinkes):
    client.force_login(operator_dinkes)
    assert langkah(client, "kirim", draf, versi="dua").status_code == 400
    assert langkah(client, "kirim", draf, alasan="x").status_code == 400  # kirim takes none
    draf.refresh_from_db()
    assert draf.status == "draft"


# --- Tokens -----------------------------------------------------------------------------------


def test_a_read_only_token_reads_the_figures_but_does_not_report(
    client, operator_dinkes, aksi_dinkes
):
    _baris, token = agencies_services.token_buat(user=operator_dinkes, nama="SIPD", akses="baca")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    pemantauan = client.get(f"{API}/periode/{aksi_dinkes.periode_id}/pemantauan/", **bearer)
    assert pemantauan.status_code == 200
    assert pemantauan.json()["kota"]["aksi"] == 1  # its agency's own action
    response = kirim(client, "put", laporan_url(aksi_dinkes), ISI, **bearer)
    assert response.status_code == 403
    assert not Realisasi.objects.exists()
    _baris, tulis = agencies_services.token_buat(user=operator_dinkes, nama="Skrip", akses="tulis")
    response = kirim(
        client, "put", laporan_url(aksi_dinkes), ISI, HTTP_AUTHORIZATION=f"Bearer {tulis}"
    )
    assert response.status_code == 200
    assert Realisasi.objects.get().versi == 1
