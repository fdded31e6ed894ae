"""Attacks on what a write sends: bodies of the wrong shape, size or type, numbers JSON does not
know, NUL bytes, booleans as strings. Each ends in a 4xx problem+json in Indonesian and
changes nothing."""

import json
from decimal import Decimal

import pytest
from django.test import Client

from clusters import services
from clusters.models import Jawaban
from tests.clusters.bantu_api_jawaban import PROBLEM, baris
from tests.conftest import berkas

pytestmark = pytest.mark.django_db


@pytest.fixture
def jawaban_dinkes(operator_dinkes, soal_dinkes) -> Jawaban:
    jawaban = services.jawaban_simpan(
        pertanyaan=soal_dinkes, by=operator_dinkes, versi=0, fraksi=Decimal("0.75")
    )
    services.lampiran_tambah(pertanyaan=soal_dinkes, berkas=berkas(), by=operator_dinkes)
    return Jawaban.objects.get(pk=jawaban.pk)


@pytest.fixture
def klien(operator_dinkes):
    client = Client(raise_request_exception=False)
    client.force_login(operator_dinkes)
    return client


def _masalah(response, status):
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["detail"]
    return body


def _patch(klien, jawaban, body: bytes | str, content_type="application/json"):
    return klien.patch(f"/api/v1/jawaban/{jawaban.pk}/", body, content_type=content_type)


@pytest.mark.parametrize("body", ["[]", "[1, 2]", '"teks"', "null", "42", "true"])
def test_a_body_that_is_not_an_object_is_a_400(klien, jawaban_dinkes, body):
    sebelum = baris(jawaban_dinkes)
    for response in (
        _patch(klien, jawaban_dinkes, body),
        klien.post("/api/v1/jawaban/", body, content_type="application/json"),
    ):
        detail = _masalah(response, 400)["detail"]
        assert detail == "Isi permintaan harus berupa objek JSON ({...})."
    assert baris(jawaban_dinkes) == sebelum


def test_deeply_nested_json_is_a_400_not_a_500(klien, jawaban_dinkes):
    sebelum = baris(jawaban_dinkes)
    body = '{"catatan": ' + "[" * 10_000 + "]" * 10_000 + ', "versi": 1}'
    detail = _masalah(_patch(klien, jawaban_dinkes, body), 400)["detail"]
    assert detail.startswith("Isi permintaan tidak dapat dibaca.")
    assert baris(jawaban_dinkes) == sebelum


def test_ten_megabytes_of_json_is_refused(klien, jawaban_dinkes):
    sebelum = baris(jawaban_dinkes)
    body = json.dumps({"versi": 1, "catatan": "a" * (10 * 1024 * 1024)})
    response = _patch(klien, jawaban_dinkes, body)
    assert response.status_code in (400, 413), response.status_code
    assert response["Content-Type"] == PROBLEM
    assert baris(jawaban_dinkes) == sebelum


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "image/png"])
def test_a_body_of_another_type_is_a_415(klien, jawaban_dinkes, content_type):
    sebelum = baris(jawaban_dinkes)
    body = _masalah(_patch(klien, jawaban_dinkes, '{"versi": 1}', content_type), 415)
    assert "Jenis" in body["title"]
    assert baris(jawaban_dinkes) == sebelum


def test_multipart_without_boundary_is_a_400(klien, jawaban_dinkes):
    sebelum = baris(jawaban_dinkes)
    response = _patch(klien, jawaban_dinkes, "--x\r\n\r\n", "multipart/form-data")
    detail = _masalah(response, 400)["detail"]
    assert detail.startswith("Isi permintaan tidak dapat dibaca.")
    assert baris(jawaban_dinkes) == sebelum


def test_malformed_json_is_a_400_in_indonesian(klien, jawaban_dinkes):
    sebelum = baris(jawaban_dinkes)
    body = _masalah(_patch(klien, jawaban_dinkes, '{"versi": 1,'), 400)
    assert body["detail"].startswith("Isi permintaan tidak dapat dibaca.")
    english = klien.patch(
        f"/api/v1/jawaban/{jawaban_dinkes.pk}/",
        '{"versi": 1,',
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert english.json()["detail"].startswith("The request body cannot be read.")
    assert baris(jawaban_dinkes) == sebelum


@pytest.mark.parametrize(
    "teks",
    [
        '{"versi": 1e309, "catatan": "x"}',
        '{"versi": NaN, "catatan": "x"}',
        '{"versi": Infinity, "catatan": "x"}',
        '{"versi": -Infinity, "catatan": "x"}',
        '{"versi": 99999999999999999999999999999, "catatan": "x"}',
        '{"versi": -1, "catatan": "x"}',
        '{"versi": "1", "catatan": "x", "fraksi": NaN}',
        '{"versi": 1, "fraksi": 1e309}',
        '{"versi": 1, "fraksi": -0}',
        '{"versi": 1, "fraksi": "NaN"}',
        '{"versi": 1, "fraksi": "Infinity"}',
        '{"versi": 1, "fraksi": 1e-400}',
        '{"versi": true, "catatan": "x"}',
        '{"versi": 1.5, "catatan": "x"}',
    ],
)
def test_numbers_json_should_not_carry_are_a_400(klien, jawaban_dinkes, teks):
    sebelum = baris(jawaban_dinkes)
    response = _patch(klien, jawaban_dinkes, teks)
    assert response.status_code in (400, 409), response.content[:500]
    assert response["Content-Type"] == PROBLEM
    assert baris(jawaban_dinkes) == sebelum


@pytest.mark.parametrize(
    "nilai", ['"abc"', "1e309", "NaN", "99999999999999999999999", "-5", "0", "true", "null"]
)
def test_a_strange_question_id_is_a_400_or_404(klien, jawaban_dinkes, nilai):
    sebelum = baris(jawaban_dinkes)
    teks = '{"pertanyaan": ' + nilai + ', "versi": 0, "fraksi": 1}'
    response = klien.post("/api/v1/jawaban/", teks, content_type="application/json")
    assert response.status_code in (400, 404), response.content[:500]
    assert response["Content-Type"] == PROBLEM
    assert baris(jawaban_dinkes) == sebelum


def test_a_nul_byte_in_text_is_a_400(klien, jawaban_dinkes):
    sebelum = baris(jawaban_dinkes)
    versi = sebelum[0]["versi"]
    body = json.dumps({"versi": versi, "catatan": "data\x00puskesmas"})
    _masalah(_patch(klien, jawaban_dinkes, body), 400)
    assert baris(jawaban_dinkes) == sebelum


def test_unicode_text_is_kept_as_sent(klien, jawaban_dinkes):
    versi = baris(jawaban_dinkes)[0]["versi"]
    teks = "Data ‮fdp.exe 👶🏽 Ω 日本 \u200b"
    response = _patch(klien, jawaban_dinkes, json.dumps({"versi": versi, "catatan": teks}))
    assert response.status_code == 200, response.content[:500]
    jawaban_dinkes.refresh_from_db()
    assert jawaban_dinkes.catatan == teks


@pytest.mark.parametrize("nilai", ['"ya"', '"true"', '"1"', "1", '"on"'])
def test_a_boolean_filter_as_string(klien, jawaban_dinkes, nilai):
    response = klien.get(f"/api/v1/jawaban/?kota={nilai.strip(chr(34))}")
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response["Content-Type"] == PROBLEM


def test_a_form_encoded_body_is_read_like_json(klien, jawaban_dinkes):
    """The form encoding is accepted (DRF's FormParser): the same checks apply."""
    sebelum = baris(jawaban_dinkes)
    response = klien.patch(
        f"/api/v1/jawaban/{jawaban_dinkes.pk}/",
        "versi=abc&catatan=x",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (400, 415)
    assert response["Content-Type"] == PROBLEM
    assert baris(jawaban_dinkes) == sebelum


def test_a_method_the_address_does_not_take_is_a_405_in_indonesian(klien, jawaban_dinkes):
    response = klien.delete(f"/api/v1/jawaban/{jawaban_dinkes.pk}/")
    body = _masalah(response, 405)
    assert body["detail"] == "Metode DELETE tidak dapat dipakai di alamat ini."
    assert "PATCH" in response["Allow"]
    assert Jawaban.objects.filter(pk=jawaban_dinkes.pk).exists()


@pytest.mark.parametrize("halaman", ["0", "99", "-1", "99999999999999999999999", "abc"])
def test_a_page_past_the_end_is_a_404_in_indonesian(klien, jawaban_dinkes, halaman):
    body = _masalah(klien.get(f"/api/v1/jawaban/?page={halaman}"), 404)
    assert body["detail"] == f"Halaman {halaman} tidak ada di daftar ini."


def test_a_session_write_without_csrf_is_a_403_in_indonesian(operator_dinkes, jawaban_dinkes):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(operator_dinkes)
    sebelum = baris(jawaban_dinkes)
    response = _patch(client, jawaban_dinkes, json.dumps({"versi": 1, "catatan": "x"}))
    assert _masalah(response, 403)["detail"].startswith("Pemeriksaan CSRF gagal.")
    assert baris(jawaban_dinkes) == sebelum


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/jawaban/99999999999999999999999/",
        "/api/v1/jawaban/abc/",
        "/api/v1/jawaban/-1/",
        "/api/v1/jawaban/99999999999999999999999/bukti/",
        "/api/v1/bukti/99999999999999999999999/",
        "/api/v1/bukti/99999999999999999999999/unduh/",
        "/api/v1/rad/aksi/99999999999999999999999/laporan/2024/9/",
        "/api/v1/rad/realisasi/99999999999999999999999/bukti/",
        "/api/v1/rad/bukti/99999999999999999999999/unduh/",
        "/api/v1/rapat/99999999999999999999999/",
        "/api/v1/tindak-lanjut/99999999999999999999999/",
        "/api/v1/pekerjaan/99999999999999999999999/unduh/",
        "/api/v1/token/99999999999999999999999/",
        "/api/v1/tahun-evaluasi/0000/",
        "/api/v1/skor/9999/harian/",
    ],
)
def test_an_id_beyond_the_database_is_a_404(klien, url):
    assert _masalah(klien.get(url), 404)["detail"] == "Data ini tidak ada atau bukan bagian Anda."


def test_the_new_messages_are_english_with_accept_language(klien, jawaban_dinkes):
    en = {"HTTP_ACCEPT_LANGUAGE": "en"}
    url = f"/api/v1/jawaban/{jawaban_dinkes.pk}/"
    assert klien.delete(url, **en).json()["detail"] == (
        "The DELETE method cannot be used at this address."
    )
    assert klien.get("/api/v1/jawaban/?page=9", **en).json()["detail"] == (
        "Page 9 is not in this list."
    )
    response = klien.patch(url, "[]", content_type="application/json", **en)
    assert response.json()["detail"] == "The request body must be a JSON object ({...})."
