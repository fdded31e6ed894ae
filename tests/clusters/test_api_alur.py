# ruff: noqa: F811 - the shared fixtures are imported from tests.clusters.bantu_api_jawaban
"""The answer workflow in the API: submit, approve, return, verify and reopen run through the
pages' services (states, reasons, notices, history), with the pages' rules and messages; each
refusal is a problem+json that changes nothing; a double submit and a stale version are
refused; Idempotency-Key runs a step once."""

from decimal import Decimal

import pytest

from agencies import services as agencies_services
from agencies.models import Notifikasi
from clusters import services
from clusters.models import Jawaban
from kla_portal.models import KunciKirim
from tests.clusters.bantu_api_jawaban import (
    alamat,
    baris,
    jawaban_dinkes,  # noqa: F401 - fixture
    jawaban_dinsos,  # noqa: F401 - fixture
    kirim,
    masalah,
    masuk,
    peran,  # noqa: F401 - fixture
)
from tests.conftest import berkas


def _ke(jawaban, status: str, operator, kepala, sekretariat) -> Jawaban:
    """Bring the answer to ``status`` through the services."""
    if status != "draft":
        services.jawaban_kirim(jawaban=jawaban, by=operator)
    if status in ("menunggu_verifikasi", "terverifikasi"):
        services.jawaban_setujui(jawaban=jawaban, by=kepala)
    if status == "terverifikasi":
        services.jawaban_verifikasi(jawaban=jawaban, by=sekretariat)
    return Jawaban.objects.get(pk=jawaban.pk)


def test_an_answer_goes_through_every_step_as_on_the_pages(
    client, operator_dinkes, kepala_dinkes, sekretariat, jawaban_dinkes
):
    url = alamat(jawaban_dinkes)
    client.force_login(operator_dinkes)
    r = kirim(client, "post", url + "submit/", {"versi": 2})
    assert r.status_code == 200, r.content
    assert (r.json()["status"], r.json()["versi"]) == ("menunggu_kepala", 3)
    assert r.json()["dikirim_oleh"]["id"] == operator_dinkes.pk
    assert Notifikasi.objects.filter(
        penerima=kepala_dinkes, judul__startswith="Menunggu persetujuan Anda"
    ).exists()

    client.force_login(kepala_dinkes)
    assert client.get(url).json()["boleh"]["setujui"] is True
    r = kirim(client, "post", url + "approve/", {"versi": 3})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "menunggu_verifikasi"

    client.force_login(sekretariat)
    r = kirim(client, "post", url + "verify/", {"versi": 4, "poin": "6.5"})
    assert r.status_code == 200, r.content
    assert (r.json()["status"], r.json()["poin_verifikator"]) == ("terverifikasi", 6.5)
    assert r.json()["boleh"]["buka_kembali"] is True

    r = kirim(client, "post", url + "reopen/", {"versi": 5, "alasan": "Poin perlu dihitung ulang"})
    assert r.status_code == 200, r.content
    data = r.json()
    assert (data["status"], data["alasan"], data["poin_verifikator"]) == (
        "dikembalikan",
        "Poin perlu dihitung ulang",
        None,
    )
    assert Notifikasi.objects.filter(
        penerima=operator_dinkes, judul__contains="Poin perlu dihitung ulang"
    ).exists()
    # Every step is in the history, with the reason where one was given.
    riwayat = data["riwayat"]
    assert [r["status"] for r in riwayat[:4]] == [
        "dikembalikan",
        "terverifikasi",
        "menunggu_verifikasi",
        "menunggu_kepala",
    ]
    assert riwayat[0]["alasan"] == "Poin perlu dihitung ulang"
    assert riwayat[0]["oleh"]["id"] == sekretariat.pk


def test_the_head_returns_with_a_reason_and_the_operators_are_told(
    client, operator_dinkes, kepala_dinkes, sekretariat, jawaban_dinkes
):
    jawaban = _ke(jawaban_dinkes, "menunggu_kepala", operator_dinkes, kepala_dinkes, sekretariat)
    client.force_login(kepala_dinkes)
    sebelum = baris(jawaban)
    for kosong in ({}, {"alasan": ""}, {"alasan": "   "}):
        body = masalah(kirim(client, "post", alamat(jawaban, "return"), kosong), 400)
        assert body["detail"] == "Tuliskan alasannya agar penerima tahu apa yang harus diperbaiki."
        assert "alasan" in body["errors"]
    assert baris(jawaban) == sebelum
    r = kirim(client, "post", alamat(jawaban, "return"), {"alasan": "Angka belum sesuai"})
    assert r.status_code == 200, r.content
    assert (r.json()["status"], r.json()["alasan"]) == ("dikembalikan", "Angka belum sesuai")
    assert Notifikasi.objects.filter(
        penerima=operator_dinkes, judul__startswith="Dikembalikan oleh kepala"
    ).exists()


def test_the_secretariat_returns_an_approved_answer(
    client, operator_dinkes, kepala_dinkes, sekretariat, jawaban_dinkes
):
    jawaban = _ke(
        jawaban_dinkes, "menunggu_verifikasi", operator_dinkes, kepala_dinkes, sekretariat
    )
    client.force_login(sekretariat)
    r = kirim(client, "post", alamat(jawaban, "return"), {"alasan": "SK belum sah", "versi": 4})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "dikembalikan"
    assert Notifikasi.objects.filter(
        penerima=kepala_dinkes, judul__startswith="Dikembalikan oleh Sekretariat"
    ).exists()


# --- Who may take each step ---------------------------------------------------------------

# (step, the state it starts from, body, who may take it)
LANGKAH = [
    ("submit", "draft", {}, "operator_dinkes"),
    ("approve", "menunggu_kepala", {}, "kepala_dinkes"),
    ("return", "menunggu_kepala", {"alasan": "Belum lengkap"}, "kepala_dinkes"),
    ("verify", "menunggu_verifikasi", {"poin": 5}, "sekretariat"),
    ("return", "menunggu_verifikasi", {"alasan": "Belum lengkap"}, "sekretariat"),
    ("reopen", "terverifikasi", {"alasan": "Perlu diperiksa"}, "sekretariat"),
]
TIDAK_MELIHAT = {"operator_kasemen": 404, "lurah_cipare": 404, "anonim": 401}
PERAN = [
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


def _harapan(langkah: str, status: str, nama: str, boleh: str) -> int:
    if nama == boleh:
        return 200
    if nama in TIDAK_MELIHAT:
        return TIDAK_MELIHAT[nama]
    # The head and the secretariat may each return at their own step; at the other's, the
    # step is refused for the answer's state (as the page's button would be).
    if langkah == "return" and nama in ("sekretariat", "kepala_dinkes"):
        return 400
    return 403


@pytest.mark.parametrize("langkah, status, data, boleh", LANGKAH)
@pytest.mark.parametrize("nama", PERAN)
def test_each_role_against_each_step(
    client, peran, jawaban_dinkes, langkah, status, data, boleh, nama
):
    jawaban = _ke(
        jawaban_dinkes,
        status,
        peran["operator_dinkes"],
        peran["kepala_dinkes"],
        peran["sekretariat"],
    )
    masuk(client, peran, nama)
    sebelum = baris(jawaban)
    diharapkan = _harapan(langkah, status, nama, boleh)
    response = kirim(client, "post", alamat(jawaban, langkah), {**data, "versi": jawaban.versi})
    if diharapkan == 200:
        assert response.status_code == 200, response.content
        assert baris(jawaban) != sebelum
        return
    body = masalah(response, diharapkan)
    if diharapkan == 404:
        assert body["detail"] == "Data ini tidak ada atau bukan bagian Anda."
    elif diharapkan == 400:
        assert body["detail"].startswith("Tidak dapat diproses: ")
    elif diharapkan == 403 and nama != "anonim":
        assert body["detail"].startswith("Hanya ")
    assert baris(jawaban) == sebelum


@pytest.mark.parametrize("langkah, status, data, boleh", LANGKAH)
def test_another_agencys_answer_is_404_for_every_step(
    client, peran, jawaban_dinsos, langkah, status, data, boleh
):
    """Dinas Kesehatan's people do not see Dinas Sosial's answer: 404, nothing changes."""
    for nama in ("operator_dinkes", "kepala_dinkes"):
        masuk(client, peran, nama)
        sebelum = baris(jawaban_dinsos)
        masalah(kirim(client, "post", alamat(jawaban_dinsos, langkah), data), 404)
        assert baris(jawaban_dinsos) == sebelum


# --- Refusals: the pages' messages --------------------------------------------------------


def test_a_double_submit_is_refused_and_changes_nothing(
    client, operator_dinkes, kepala_dinkes, jawaban_dinkes
):
    client.force_login(operator_dinkes)
    assert kirim(client, "post", alamat(jawaban_dinkes, "submit"), {}).status_code == 200
    sesudah = baris(jawaban_dinkes)
    body = masalah(kirim(client, "post", alamat(jawaban_dinkes, "submit"), {}), 400)
    assert body["detail"] == (
        "Tidak dapat diproses: Indikator 15 · Pertanyaan 1 sudah dikirim (status: Menunggu "
        "persetujuan kepala). Muat ulang halaman."
    )
    body = masalah(
        kirim(client, "post", alamat(jawaban_dinkes, "submit"), {}, HTTP_ACCEPT_LANGUAGE="en"),
        400,
    )
    assert body["detail"] == (
        "This cannot be done: Indikator 15 · Pertanyaan 1 has already been sent (status: "
        "Waiting for the head's approval). Reload the page."
    )
    assert baris(jawaban_dinkes) == sesudah
    assert Notifikasi.objects.filter(penerima=kepala_dinkes).count() == 1


def test_a_stale_version_on_a_step_is_a_409_with_the_current_answer(
    client, operator_dinkes, kepala_dinkes, jawaban_dinkes
):
    client.force_login(operator_dinkes)
    sebelum = baris(jawaban_dinkes)
    body = masalah(kirim(client, "post", alamat(jawaban_dinkes, "submit"), {"versi": 1}), 409)
    assert body["versi"] == 2
    assert body["sekarang"]["versi"] == 2
    assert body["sekarang"]["status"] == "draft"
    assert baris(jawaban_dinkes) == sebelum


def test_a_step_refuses_unknown_fields_and_wrong_types(
    client, operator_dinkes, kepala_dinkes, sekretariat, jawaban_dinkes
):
    jawaban = _ke(
        jawaban_dinkes, "menunggu_verifikasi", operator_dinkes, kepala_dinkes, sekretariat
    )
    client.force_login(sekretariat)
    sebelum = baris(jawaban)
    url = alamat(jawaban, "verify")
    body = masalah(kirim(client, "post", url, {"poin": "tujuh"}), 400)
    assert body["detail"] == "Poin verifikator harus berupa angka, misalnya 7,5."
    body = masalah(kirim(client, "post", url, {"nilai": 5}), 400)
    assert body["errors"] == {"nilai": ["Isian ini tidak dikenal. Periksa ejaan namanya."]}
    body = masalah(kirim(client, "post", url, {"poin": 9}), 400)  # the maximum is 8
    assert "poin" in body["errors"]
    masalah(kirim(client, "post", url, {"versi": "empat"}), 400)
    assert baris(jawaban) == sebelum


def test_no_head_account_means_the_answer_is_not_sent(client, operator_dinkes, jawaban_dinkes):
    client.force_login(operator_dinkes)
    sebelum = baris(jawaban_dinkes)
    body = masalah(kirim(client, "post", alamat(jawaban_dinkes, "submit"), {}), 400)
    assert body["detail"].startswith("Dinas Kesehatan belum punya akun kepala di portal")
    assert baris(jawaban_dinkes) == sebelum


def test_a_kelurahan_answer_goes_to_the_camat(
    client, lurah_cipare, camat_serang, soal_kelurahan, cipare
):
    services.jawaban_simpan(
        pertanyaan=soal_kelurahan, wilayah=cipare, by=lurah_cipare, versi=0, fraksi=Decimal(1)
    )
    services.lampiran_tambah(
        pertanyaan=soal_kelurahan, wilayah=cipare, berkas=berkas(), by=lurah_cipare
    )
    jawaban = Jawaban.objects.get()
    client.force_login(lurah_cipare)
    r = kirim(client, "post", alamat(jawaban, "submit"), {"versi": jawaban.versi})
    assert r.status_code == 200, r.content
    client.force_login(camat_serang)
    r = kirim(client, "post", alamat(jawaban, "approve"), {})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "menunggu_verifikasi"


# --- Idempotency-Key on a step ------------------------------------------------------------

KUNCI = "kirim-0123456789abcdef"


def test_the_same_key_submits_once_and_replays_the_first_answer(
    client, operator_dinkes, kepala_dinkes, jawaban_dinkes
):
    client.force_login(operator_dinkes)
    url = alamat(jawaban_dinkes, "submit")
    pertama = kirim(client, "post", url, {"versi": 2}, HTTP_IDEMPOTENCY_KEY=KUNCI)
    kedua = kirim(client, "post", url, {"versi": 2}, HTTP_IDEMPOTENCY_KEY=KUNCI)
    assert pertama.status_code == kedua.status_code == 200
    assert kedua["Idempotent-Replayed"] == "true"
    assert kedua.json() == pertama.json()
    jawaban = Jawaban.objects.get(pk=jawaban_dinkes.pk)
    assert (jawaban.status, jawaban.versi) == ("menunggu_kepala", 3)
    assert Notifikasi.objects.filter(penerima=kepala_dinkes).count() == 1
    body = masalah(kirim(client, "post", url, {"versi": 3}, HTTP_IDEMPOTENCY_KEY=KUNCI), 422)
    assert body["detail"] == (
        "Idempotency-Key ini sudah dipakai untuk permintaan lain. Pakai kunci baru."
    )
    # Another address with the same key is another request too.
    body = masalah(
        kirim(
            client,
            "post",
            alamat(jawaban_dinkes, "approve"),
            {"versi": 2},
            HTTP_IDEMPOTENCY_KEY=KUNCI,
        ),
        422,
    )


def test_a_refused_submit_frees_its_key_for_the_corrected_request(
    client, operator_dinkes, kepala_dinkes, soal_dinkes
):
    jawaban = services.jawaban_simpan(
        pertanyaan=soal_dinkes, by=operator_dinkes, versi=0, fraksi=Decimal("0.5")
    )
    client.force_login(operator_dinkes)
    url = alamat(jawaban, "submit")
    body = masalah(kirim(client, "post", url, {}, HTTP_IDEMPOTENCY_KEY=KUNCI), 400)
    assert body["detail"].startswith("Lampirkan data dukung sebelum mengirim")
    assert not KunciKirim.objects.filter(kunci=KUNCI).exists()
    services.lampiran_tambah(pertanyaan=soal_dinkes, berkas=berkas(), by=operator_dinkes)
    r = kirim(client, "post", url, {}, HTTP_IDEMPOTENCY_KEY=KUNCI)
    assert r.status_code == 200, r.content
    assert "Idempotent-Replayed" not in r
    assert Jawaban.objects.get().status == "menunggu_kepala"


# --- A program with a token ---------------------------------------------------------------


def test_a_read_write_token_submits_and_a_read_only_token_may_not(
    client, operator_dinkes, kepala_dinkes, jawaban_dinkes
):
    _baris, baca = agencies_services.token_buat(user=operator_dinkes, nama="Dasbor", akses="baca")
    _baris, tulis = agencies_services.token_buat(user=operator_dinkes, nama="Skrip", akses="tulis")
    url = alamat(jawaban_dinkes, "submit")
    assert (
        client.get(alamat(jawaban_dinkes), HTTP_AUTHORIZATION=f"Bearer {baca}").status_code == 200
    )
    sebelum = baris(jawaban_dinkes)
    body = masalah(kirim(client, "post", url, {}, HTTP_AUTHORIZATION=f"Bearer {baca}"), 403)
    assert body["detail"].startswith("Token ini hanya untuk membaca.")
    assert baris(jawaban_dinkes) == sebelum
    r = kirim(client, "post", url, {"versi": 2}, HTTP_AUTHORIZATION=f"Bearer {tulis}")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "menunggu_kepala"
