# ruff: noqa: F811 - the shared fixtures are imported from tests.clusters.bantu_api_jawaban
"""The answers in the API: each role sees what the pages show it, saves through the page's
service (a stale version is a 409 with the answer as it is now), bad input is a 400 naming the
field, a refusal changes nothing, Idempotency-Key saves once, and lists cost the same at any
size."""

from decimal import Decimal

import pytest

from clusters import services
from clusters.models import Jawaban, Penugasan
from kla_portal.models import KunciKirim
from tests.clusters.bantu_api_jawaban import (
    URL,
    alamat,
    baris,
    jawaban_dinkes,  # noqa: F401 - fixture
    jawaban_dinsos,  # noqa: F401 - fixture
    kirim,
    masalah,
    masuk,
    peran,  # noqa: F401 - fixture
)
from tests.conftest import _pertanyaan

MELIHAT_DINKES = {
    "operator_dinkes",
    "operator_dinsos",  # supporting agency: reads, does not answer
    "kepala_dinkes",
    "kepala_dinsos",
    "sekretariat",
    "bappeda",
    "pimpinan",
}
MELIHAT_DINSOS = {"operator_dinsos", "kepala_dinsos", "sekretariat", "bappeda", "pimpinan"}
SEMUA = [
    "operator_dinkes",
    "operator_dinsos",
    "kepala_dinkes",
    "kepala_dinsos",
    "sekretariat",
    "bappeda",
    "pimpinan",
    "operator_kasemen",
    "lurah_cipare",
    "anonim",
]


# --- Reading ------------------------------------------------------------------------------


@pytest.mark.parametrize("nama", SEMUA)
def test_each_role_lists_and_reads_only_what_the_pages_show_it(
    client, peran, jawaban_dinkes, jawaban_dinsos, nama
):
    masuk(client, peran, nama)
    response = client.get(URL)
    if nama == "anonim":
        masalah(response, 401)
        return
    ids = {row["id"] for row in response.json()["results"]}
    terlihat = {
        j.pk
        for j, melihat in ((jawaban_dinkes, MELIHAT_DINKES), (jawaban_dinsos, MELIHAT_DINSOS))
        if nama in melihat
    }
    assert ids == terlihat
    for jawaban, melihat in ((jawaban_dinkes, MELIHAT_DINKES), (jawaban_dinsos, MELIHAT_DINSOS)):
        detail = client.get(alamat(jawaban))
        if nama in melihat:
            assert detail.status_code == 200
            assert detail.json()["id"] == jawaban.pk
            assert client.get(alamat(jawaban, "riwayat")).status_code == 200
        else:
            body = masalah(detail, 404)
            assert body["detail"] == "Data ini tidak ada atau bukan bagian Anda."
            masalah(client.get(alamat(jawaban, "riwayat")), 404)


def test_the_detail_has_state_version_values_who_and_the_pages_history(
    client, operator_dinkes, jawaban_dinkes
):
    services.jawaban_simpan(
        pertanyaan=jawaban_dinkes.pertanyaan,
        by=operator_dinkes,
        versi=jawaban_dinkes.versi,
        fraksi=Decimal("1"),
        catatan="Ditambah data Puskesmas",
    )
    client.force_login(operator_dinkes)
    data = client.get(alamat(jawaban_dinkes)).json()
    assert data["status"] == "draft"
    assert data["status_label"] == "Draf"
    assert data["versi"] == 3  # created, evidence, saved again (one version each)
    assert (data["fraksi"], data["poin_opd"], data["catatan"]) == (1, 8, "Ditambah data Puskesmas")
    assert data["pertanyaan"]["kode"] == "Indikator 15 · Pertanyaan 1"
    assert data["pertanyaan"]["tahun"] == 2024
    assert data["wilayah"] is None
    assert data["diubah_oleh"] == {"id": operator_dinkes.pk, "nama": "Siti Nurhaliza"}
    assert data["halaman"] == f"/evaluasi/pertanyaan/{jawaban_dinkes.pertanyaan.pk}/"
    assert data["boleh"] == {
        "ubah": True,
        "kirim": True,
        "setujui": False,
        "verifikasi": False,
        "buka_kembali": False,
    }
    riwayat = data["riwayat"]
    assert [r["versi"] for r in riwayat] == [3, 2, 1]
    assert riwayat[0]["oleh"]["nama"] == "Siti Nurhaliza"
    assert riwayat[0]["perubahan"] == [
        "Pilihan: Terpenuhi seluruhnya",
        "catatan: Ditambah data Puskesmas",
    ]
    assert client.get(alamat(jawaban_dinkes, "riwayat")).json()["results"] == riwayat


def test_the_full_history_is_paged_and_each_page_says_what_its_records_changed(
    client, operator_dinkes, jawaban_dinkes
):
    services.jawaban_simpan(
        pertanyaan=jawaban_dinkes.pertanyaan, by=operator_dinkes, versi=2, fraksi=Decimal("0.5")
    )
    client.force_login(operator_dinkes)
    semua = client.get(alamat(jawaban_dinkes, "riwayat")).json()
    assert semua["count"] == 3
    assert [r["perubahan"] for r in semua["results"]] == [
        ["Pilihan: Sebagian terpenuhi"],
        ["Data dukung diperbarui"],
        ["Pilihan: Sebagian besar terpenuhi"],
    ]
    pertama = client.get(alamat(jawaban_dinkes, "riwayat") + "?page_size=2").json()
    kedua = client.get(alamat(jawaban_dinkes, "riwayat") + "?page_size=2&page=2").json()
    assert pertama["results"] + kedua["results"] == semua["results"]


def test_english_readers_get_english_labels_and_messages(client, operator_dinkes, jawaban_dinsos):
    client.force_login(operator_dinkes)
    body = masalah(client.get(alamat(jawaban_dinsos), HTTP_ACCEPT_LANGUAGE="en"), 404)
    assert body["detail"] == "This does not exist or is not yours."
    client.force_login(jawaban_dinsos.diubah_oleh)
    data = client.get(alamat(jawaban_dinsos), HTTP_ACCEPT_LANGUAGE="en").json()
    assert data["status_label"] == "Draft"


def test_the_list_filters_by_year_agency_state_question_and_unit(
    client,
    sekretariat,
    jawaban_dinkes,
    jawaban_dinsos,
    soal_kelurahan,
    lurah_cipare,
    cipare,
    dinsos,
):
    unit = services.jawaban_simpan(
        pertanyaan=soal_kelurahan, wilayah=cipare, by=lurah_cipare, versi=0, fraksi=Decimal(1)
    )
    client.force_login(sekretariat)

    def ids(query: str) -> set:
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    semua = {jawaban_dinkes.pk, jawaban_dinsos.pk, unit.pk}
    assert ids("tahun=2024") == semua
    assert ids("tahun=2023") == set()
    assert ids(f"opd={dinsos.pk}") == {jawaban_dinsos.pk}
    assert ids("status=draft") == semua
    assert ids("status=terverifikasi") == set()
    assert ids(f"pertanyaan={jawaban_dinkes.pertanyaan_id}") == {jawaban_dinkes.pk}
    assert ids(f"wilayah={cipare.kode}") == {unit.pk}
    assert ids("kota=true") == {jawaban_dinkes.pk, jawaban_dinsos.pk}
    masalah(client.get(f"{URL}?status=bukan"), 400)
    # Ids are whole numbers within the database's range: a 400, never an overflow.
    for salah in ("opd=1.5", "pertanyaan=99999999999999999999", "tahun=-1e40"):
        masalah(client.get(f"{URL}?{salah}"), 400)


# --- Saving -------------------------------------------------------------------------------


def test_an_operator_answers_then_saves_with_the_version_read(client, operator_dinkes, soal_dinkes):
    client.force_login(operator_dinkes)
    dibuat = kirim(
        client,
        "post",
        URL,
        {"pertanyaan": soal_dinkes.pk, "versi": 0, "fraksi": "0.5", "angka_tahun_ini": 1250.5},
    )
    assert dibuat.status_code == 201, dibuat.content
    data = dibuat.json()
    assert (data["status"], data["versi"], data["poin_opd"]) == ("draft", 1, 4)
    jawaban = Jawaban.objects.get()
    assert jawaban.opd.singkatan == "Dinkes"
    assert jawaban.angka_tahun_ini == Decimal("1250.5")

    # PATCH keeps what is not sent; a graded question's points replace its grade.
    ubah = kirim(client, "patch", alamat(jawaban), {"versi": 1, "poin_langsung": "2.64"})
    assert ubah.status_code == 200, ubah.content
    assert (ubah.json()["fraksi"], ubah.json()["poin_langsung"]) == (None, 2.64)
    assert ubah.json()["angka_tahun_ini"] == 1250.5
    # PUT empties what is not sent, as the form does.
    ganti = kirim(client, "put", alamat(jawaban), {"versi": 2, "fraksi": 1})
    assert ganti.status_code == 200, ganti.content
    assert (ganti.json()["angka_tahun_ini"], ganti.json()["poin_opd"]) == (None, 8)
    # The question's page path with the version: an existing answer is saved (200).
    lagi = kirim(client, "post", URL, {"pertanyaan": soal_dinkes.pk, "versi": 3, "catatan": "cek"})
    assert lagi.status_code == 200, lagi.content
    assert lagi.json()["versi"] == 4


def test_a_stale_version_is_a_409_with_the_current_answer_and_saves_nothing(
    client, operator_dinkes, jawaban_dinkes, soal_dinkes
):
    client.force_login(operator_dinkes)
    sebelum = baris(jawaban_dinkes)
    for method, url, data in (
        ("patch", alamat(jawaban_dinkes), {"versi": 1, "fraksi": "1"}),
        ("put", alamat(jawaban_dinkes), {"versi": 1, "fraksi": "1"}),
        ("post", URL, {"pertanyaan": soal_dinkes.pk, "versi": 0, "fraksi": "1"}),
    ):
        body = masalah(kirim(client, method, url, data), 409)
        assert body["detail"].startswith("Jawaban ini sudah diubah oleh Siti Nurhaliza pada ")
        assert body["versi"] == 2
        assert body["sekarang"]["id"] == jawaban_dinkes.pk
        assert body["sekarang"]["versi"] == 2
        assert body["sekarang"]["fraksi"] == 0.75
    assert baris(jawaban_dinkes) == sebelum
    # Without a version an update is refused as invalid (the version is required).
    body = masalah(kirim(client, "patch", alamat(jawaban_dinkes), {"fraksi": "1"}), 400)
    assert "versi" in body["errors"]
    assert baris(jawaban_dinkes) == sebelum


@pytest.mark.parametrize(
    "nama, status",
    [
        ("operator_dinsos", 403),  # supporting agency: reads, may not answer
        ("kepala_dinkes", 403),
        ("kepala_dinsos", 403),
        ("sekretariat", 403),
        ("bappeda", 403),
        ("pimpinan", 403),
        ("operator_kasemen", 404),
        ("lurah_cipare", 404),
        ("anonim", 401),
    ],
)
def test_other_roles_may_not_save_the_answer_and_nothing_changes(
    client, peran, jawaban_dinkes, soal_dinkes, nama, status
):
    masuk(client, peran, nama)
    sebelum = baris(jawaban_dinkes)
    for method, url, data in (
        ("patch", alamat(jawaban_dinkes), {"versi": 2, "fraksi": "1"}),
        ("put", alamat(jawaban_dinkes), {"versi": 2, "fraksi": "1"}),
        ("post", URL, {"pertanyaan": soal_dinkes.pk, "versi": 2, "fraksi": "1"}),
    ):
        body = masalah(kirim(client, method, url, data), status)
        if status == 403 and nama != "anonim":
            assert body["detail"].startswith("Hanya operator OPD penanggung jawab")
    assert baris(jawaban_dinkes) == sebelum


def test_a_question_the_person_may_not_see_is_404_and_creates_nothing(
    client, operator_dinkes, operator_dinsos, soal_dinsos, soal_dinkes
):
    client.force_login(operator_dinkes)
    masalah(kirim(client, "post", URL, {"pertanyaan": soal_dinsos.pk, "poin_langsung": 5}), 404)
    masalah(kirim(client, "post", URL, {"pertanyaan": 999999, "poin_langsung": 5}), 404)
    client.force_login(operator_dinsos)  # sees Dinkes's question (supports it), may not answer
    body = masalah(kirim(client, "post", URL, {"pertanyaan": soal_dinkes.pk, "fraksi": 1}), 403)
    assert "operator OPD penanggung jawab" in body["detail"]
    assert not Jawaban.objects.exists()


@pytest.mark.parametrize(
    "data, kolom, pesan",
    [
        ({"versi": 2, "fraksi": "banyak"}, "fraksi", None),
        ({"versi": "dua", "fraksi": "1"}, "versi", None),
        ({"versi": 2, "catatn": "salah ketik"}, "catatn", "Isian ini tidak dikenal."),
        ({"versi": 2, "status": "terverifikasi"}, "status", "Isian ini tidak dikenal."),
        (
            {"versi": 2, "cakupan_persen": 50},
            "cakupan_persen",
            "Pertanyaan ini tidak memakai isian ini.",
        ),
        ({"versi": 2, "fraksi": "0.3"}, "fraksi", "Pilih salah satu pilihan jawaban"),
        ({"versi": 2, "poin_langsung": "9"}, "poin_langsung", None),
        ({"versi": 2, "catatan": None}, "catatan", None),
        ({"versi": 10**25, "fraksi": "1"}, "versi", None),
        ({"versi": 2, "angka_tahun_ini": "1e999"}, "angka_tahun_ini", None),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_changes_nothing(
    client, operator_dinkes, jawaban_dinkes, data, kolom, pesan
):
    client.force_login(operator_dinkes)
    sebelum = baris(jawaban_dinkes)
    body = masalah(kirim(client, "patch", alamat(jawaban_dinkes), data), 400)
    assert kolom in body["errors"], body
    if pesan:
        assert body["detail"].startswith(pesan)
    assert baris(jawaban_dinkes) == sebelum


def test_a_body_that_is_not_an_object_is_a_400(client, operator_dinkes, jawaban_dinkes):
    client.force_login(operator_dinkes)
    sebelum = baris(jawaban_dinkes)
    masalah(kirim(client, "patch", alamat(jawaban_dinkes), [1, 2]), 400)
    masalah(
        client.patch(alamat(jawaban_dinkes), "{bukan json", content_type="application/json"), 400
    )
    assert baris(jawaban_dinkes) == sebelum


def test_unknown_fields_are_told_in_english_too(client, operator_dinkes, jawaban_dinkes):
    client.force_login(operator_dinkes)
    body = masalah(
        kirim(
            client,
            "patch",
            alamat(jawaban_dinkes),
            {"versi": 2, "catatn": "x"},
            HTTP_ACCEPT_LANGUAGE="en",
        ),
        400,
    )
    assert body["detail"] == "Unknown field. Check how its name is spelt."
    assert body["title"] == "Invalid request"


def test_a_sent_answer_cannot_be_saved(client, operator_dinkes, kepala_dinkes, jawaban_dinkes):
    services.jawaban_kirim(jawaban=jawaban_dinkes, by=operator_dinkes)
    jawaban_dinkes.refresh_from_db()
    client.force_login(operator_dinkes)
    sebelum = baris(jawaban_dinkes)
    body = masalah(kirim(client, "patch", alamat(jawaban_dinkes), {"versi": 3, "fraksi": 1}), 400)
    assert body["detail"] == (
        "Jawaban ini berstatus Menunggu persetujuan kepala dan tidak dapat diubah."
    )
    assert baris(jawaban_dinkes) == sebelum


# --- Sub-district questions: per kecamatan/kelurahan --------------------------------------


def test_a_kelurahan_operator_answers_for_their_own_kelurahan_only(
    client, lurah_cipare, operator_kasemen, soal_kelurahan, cipare, kasemen
):
    client.force_login(lurah_cipare)
    dibuat = kirim(
        client,
        "post",
        URL,
        {"pertanyaan": soal_kelurahan.pk, "wilayah": cipare.kode, "fraksi": 1, "versi": 0},
    )
    assert dibuat.status_code == 201, dibuat.content
    assert dibuat.json()["wilayah"] == cipare.kode
    assert dibuat.json()["poin_opd"] is None  # a unit's answer has no points of its own
    assert dibuat.json()["halaman"].endswith(f"/{cipare.kode}/")
    jawaban = Jawaban.objects.get()
    # A unit question takes the unit's options only.
    body = masalah(kirim(client, "patch", alamat(jawaban), {"versi": 1, "cakupan_persen": 50}), 400)
    assert "cakupan_persen" in body["errors"]
    # The city-level answer of a per-unit question is not the kelurahan's (nor shown to it).
    masalah(kirim(client, "post", URL, {"pertanyaan": soal_kelurahan.pk, "fraksi": 1}), 404)
    # Another kecamatan's operator neither sees nor answers for Cipare.
    client.force_login(operator_kasemen)
    masalah(client.get(alamat(jawaban)), 404)
    masalah(
        kirim(
            client,
            "post",
            URL,
            {"pertanyaan": soal_kelurahan.pk, "wilayah": cipare.kode, "fraksi": 0, "versi": 1},
        ),
        404,
    )
    # A kecamatan code for a per-kelurahan question is no unit of it.
    masalah(
        kirim(
            client,
            "post",
            URL,
            {"pertanyaan": soal_kelurahan.pk, "wilayah": kasemen.kode, "fraksi": 0},
        ),
        404,
    )
    assert Jawaban.objects.get().fraksi == 1


def test_a_unit_code_on_a_city_question_is_404(client, operator_dinkes, soal_dinkes, cipare):
    client.force_login(operator_dinkes)
    masalah(kirim(client, "post", URL, {"pertanyaan": soal_dinkes.pk, "wilayah": cipare.kode}), 404)
    assert not Jawaban.objects.exists()


# --- Idempotency-Key on a save ------------------------------------------------------------

KUNCI = "4f1d2c3b-aaaa-bbbb-cccc-000000000001"


def test_the_same_key_saves_once_and_replays_the_first_answer(client, operator_dinkes, soal_dinkes):
    client.force_login(operator_dinkes)
    data = {"pertanyaan": soal_dinkes.pk, "versi": 0, "fraksi": "0.75", "angka_tahun_ini": 3.5}
    pertama = kirim(client, "post", URL, data, HTTP_IDEMPOTENCY_KEY=KUNCI)
    kedua = kirim(client, "post", URL, data, HTTP_IDEMPOTENCY_KEY=KUNCI)
    assert pertama.status_code == kedua.status_code == 201
    assert "Idempotent-Replayed" not in pertama
    assert kedua["Idempotent-Replayed"] == "true"
    assert kedua.json() == pertama.json()
    jawaban = Jawaban.objects.get()
    assert jawaban.versi == 1
    assert jawaban.history.count() == 1
    # The same key with another request: refused, nothing saved.
    lain = kirim(client, "post", URL, {**data, "fraksi": "1"}, HTTP_IDEMPOTENCY_KEY=KUNCI)
    body = masalah(lain, 422)
    assert "sudah dipakai untuk permintaan lain" in body["detail"]
    jawaban.refresh_from_db()
    assert (jawaban.versi, jawaban.fraksi) == (1, Decimal("0.75"))


def test_a_refused_save_frees_its_key_and_no_key_still_works(
    client, operator_dinkes, jawaban_dinkes
):
    client.force_login(operator_dinkes)
    url = alamat(jawaban_dinkes)
    masalah(
        kirim(client, "patch", url, {"versi": 2, "fraksi": "0.3"}, HTTP_IDEMPOTENCY_KEY=KUNCI), 400
    )
    assert not KunciKirim.objects.filter(kunci=KUNCI).exists()
    ok = kirim(client, "patch", url, {"versi": 2, "fraksi": "0.5"}, HTTP_IDEMPOTENCY_KEY=KUNCI)
    assert ok.status_code == 200, ok.content
    assert ok.json()["versi"] == 3
    tanpa = kirim(client, "patch", url, {"versi": 3, "catatan": "tanpa kunci"})
    assert tanpa.status_code == 200
    assert "Idempotent-Replayed" not in tanpa
    masalah(kirim(client, "patch", url, {"versi": 4}, HTTP_IDEMPOTENCY_KEY="pendek"), 400)


# --- Query counts -------------------------------------------------------------------------

# Session, user, memberships, the page's count and its rows; for someone who is not city-wide,
# Django's own permission tables too (read once: the rules say no to view_seluruh_kota).
KUERI_DAFTAR = {"operator_dinkes": 7, "sekretariat": 5}
# Session, user, memberships, two permission reads, the answer, its history.
KUERI_DETAIL = 7
# ... the answer, the history's count, its page and the record before the page's last.
KUERI_RIWAYAT = 9


def _jawab_banyak(indikator, dinkes, operator, n: int, mulai: int) -> None:
    for i in range(mulai, mulai + n):
        soal = _pertanyaan(indikator, f"Pertanyaan {i}", urutan=i, wajib_lampiran=False)
        Penugasan.objects.create(pertanyaan=soal, opd=dinkes, utama=True)
        services.jawaban_simpan(pertanyaan=soal, by=operator, versi=0, fraksi=Decimal(1))


@pytest.mark.parametrize("nama", ["operator_dinkes", "sekretariat"])
def test_the_list_costs_the_same_at_two_sizes(
    client, peran, indikator, dinkes, django_assert_num_queries, nama
):
    masuk(client, peran, nama)
    for n, mulai, diharapkan in ((2, 10, 2), (8, 20, 10)):
        _jawab_banyak(indikator, dinkes, peran["operator_dinkes"], n, mulai)
        with django_assert_num_queries(KUERI_DAFTAR[nama]):
            response = client.get(URL)
        assert len(response.json()["results"]) == diharapkan


def test_the_detail_and_history_cost_the_same_with_a_longer_history(
    client, operator_dinkes, jawaban_dinkes, django_assert_num_queries
):
    client.force_login(operator_dinkes)
    for panjang in (2, 8):
        jawaban = Jawaban.objects.get(pk=jawaban_dinkes.pk)
        while jawaban.versi < panjang:
            jawaban = services.jawaban_simpan(
                pertanyaan=jawaban.pertanyaan,
                by=operator_dinkes,
                versi=jawaban.versi,
                fraksi=Decimal("0.5") if jawaban.versi % 2 else Decimal(1),
            )
        with django_assert_num_queries(KUERI_DETAIL):
            assert len(client.get(alamat(jawaban)).json()["riwayat"]) == panjang
        with django_assert_num_queries(KUERI_RIWAYAT):
            client.get(alamat(jawaban, "riwayat") + "?page_size=2")
