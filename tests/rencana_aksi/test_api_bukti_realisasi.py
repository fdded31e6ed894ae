"""The evidence of RAD quarterly reports through the API: the report page's scoping per role,
its checks on uploads (413/415 with its message, nothing stored), a sent report locked, its
download headers, one file per Idempotency-Key, a list that costs the same at any size."""

import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rencana_aksi import services
from rencana_aksi.models import LampiranRealisasi
from tests.conftest import PDF, PNG, berkas
from tests.rencana_aksi.bantu import LALU, lapor

PROBLEM = "application/problem+json"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 60


def daftar(laporan) -> str:
    return f"/api/v1/rad/realisasi/{laporan.pk}/bukti/"


def detail(bukti) -> str:
    return f"/api/v1/rad/bukti/{bukti.pk}/"


def berkas_di_media(settings) -> int:
    root = Path(settings.MEDIA_ROOT)
    return sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0


@pytest.fixture
def laporan(aksi_dinkes, operator_dinkes):
    laporan = lapor(aksi_dinkes, LALU, operator_dinkes)
    services.bukti_tambah(realisasi=laporan, berkas=berkas("sk.pdf"), by=operator_dinkes)
    laporan.refresh_from_db()
    return laporan


def _status(client, laporan, bukti) -> dict:
    return {
        "list": client.get(daftar(laporan)).status_code,
        "detail": client.get(detail(bukti)).status_code,
        "unduh": client.get(detail(bukti) + "unduh/").status_code,
        "unggah": client.post(daftar(laporan), {"berkas": berkas("baru.pdf")}).status_code,
        "hapus": client.delete(detail(bukti)).status_code,
    }


BACA = {"list": 200, "detail": 200, "unduh": 200, "unggah": 403, "hapus": 403}
TIDAK_ADA = dict.fromkeys(BACA, 404)
DILARANG = dict.fromkeys(BACA, 403)


@pytest.mark.parametrize(
    ("siapa", "diharapkan"),
    [
        ("kepala_dinkes", BACA),  # approves the report; the operator attaches the files
        ("sekretariat", BACA),
        ("bappeda", BACA),  # reviews, does not report
        ("pimpinan", BACA),
        ("operator_dinsos", TIDAK_ADA),  # another agency's action
        ("operator_kasemen", DILARANG),  # area staff do not read the RAD (the page's 403)
    ],
)
def test_each_role_reads_or_is_refused_like_on_the_page(
    client, request, settings, laporan, siapa, diharapkan
):
    bukti = LampiranRealisasi.objects.get()
    di_media = berkas_di_media(settings)
    client.force_login(request.getfixturevalue(siapa))
    assert _status(client, laporan, bukti) == diharapkan
    assert list(LampiranRealisasi.objects.values_list("pk", "dihapus")) == [(bukti.pk, None)]
    assert berkas_di_media(settings) == di_media


def test_a_supporting_agency_reads_but_does_not_report(
    client, aksi_dinsos_didukung_dinkes, operator_dinsos, operator_dinkes
):
    laporan = lapor(aksi_dinsos_didukung_dinkes, LALU, operator_dinsos)
    bukti = services.bukti_tambah(realisasi=laporan, berkas=berkas(), by=operator_dinsos)
    client.force_login(operator_dinkes)
    assert _status(client, laporan, bukti) == BACA
    assert LampiranRealisasi.objects.get().dihapus is None


def test_anonymous_gets_a_problem_everywhere(client, laporan):
    bukti = LampiranRealisasi.objects.get()
    for status in _status(client, laporan, bukti).values():
        assert status in (401, 403)
    assert client.get(detail(bukti))["Content-Type"] == PROBLEM


def test_the_lead_operator_lists_uploads_removes_and_downloads(client, operator_dinkes, laporan):
    client.force_login(operator_dinkes)
    lama = LampiranRealisasi.objects.get()
    response = client.post(daftar(laporan), {"berkas": berkas("foto.png", PNG)})
    assert response.status_code == 201, response.content
    data = response.json()
    assert response["Location"] == f"http://testserver/api/v1/rad/bukti/{data['id']}/"
    assert (data["nama"], data["jenis"], data["realisasi"]) == ("foto.png", "image/png", laporan.pk)
    assert data["unduh"] == f"http://testserver/api/v1/rad/bukti/{data['id']}/unduh/"

    assert client.delete(detail(lama)).status_code == 204
    assert [b["nama"] for b in client.get(daftar(laporan)).json()["results"]] == ["foto.png"]
    semua = client.get(daftar(laporan) + "?semua=1").json()["results"]
    assert [(b["nama"], b["aktif"]) for b in semua] == [("sk.pdf", False), ("foto.png", True)]

    response = client.get(detail(lama) + "unduh/", HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200  # still in the history
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="sk.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize(
    ("isi", "status", "pesan"),
    [
        (EXE, 415, "berkas program tidak boleh diunggah"),
        (b"<html><script>x</script></html>", 415, "berkas SVG/HTML dapat berisi skrip"),
        (PDF + b"0" * (1024 * 1024), 413, "terlalu besar (1,0 MB); batasnya 1 MB"),
    ],
)
def test_a_hostile_or_oversized_file_is_refused_and_nothing_is_stored(
    client, settings, operator_dinkes, laporan, isi, status, pesan
):
    settings.UPLOAD_MAX_MB = 1
    client.force_login(operator_dinkes)
    di_media = berkas_di_media(settings)
    response = client.post(daftar(laporan), {"berkas": SimpleUploadedFile("bukti.pdf", isi)})
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    assert pesan in response.json()["detail"]
    assert LampiranRealisasi.objects.count() == 1
    assert berkas_di_media(settings) == di_media


def test_a_sent_report_refuses_upload_and_remove_like_the_page(
    client, operator_dinkes, kepala_dinkes, laporan
):
    services.realisasi_kirim(realisasi=laporan, by=operator_dinkes)
    client.force_login(operator_dinkes)
    bukti = LampiranRealisasi.objects.get()
    response = client.post(daftar(laporan), {"berkas": berkas()})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Bukti tidak dapat diubah: laporan berstatus")
    response = client.delete(detail(bukti))
    assert response.status_code == 400
    assert response.json()["detail"] == "Bukti ini tidak dapat dilepas lagi. Muat ulang halaman."
    assert list(LampiranRealisasi.objects.values_list("pk", "dihapus")) == [(bukti.pk, None)]


def test_an_upload_retried_with_the_same_key_stores_one_file(
    client, settings, operator_dinkes, laporan
):
    client.force_login(operator_dinkes)
    kunci = {"Idempotency-Key": str(uuid.uuid4())}
    di_media = berkas_di_media(settings)
    pertama = client.post(daftar(laporan), {"berkas": berkas("foto.png", PNG)}, headers=kunci)
    kedua = client.post(daftar(laporan), {"berkas": berkas("foto.png", PNG)}, headers=kunci)
    assert pertama.status_code == kedua.status_code == 201
    assert kedua["Idempotent-Replayed"] == "true" and kedua.json() == pertama.json()
    assert LampiranRealisasi.objects.count() == 2
    assert berkas_di_media(settings) == di_media + 1


def test_the_list_costs_the_same_with_2_and_12_files(
    client, make_person, dinkes, operator_dinkes, laporan, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.bukti_tambah(realisasi=laporan, berkas=berkas("2.pdf"), by=operator_dinkes)
    client.force_login(operator_dinkes)
    url = daftar(laporan)
    client.get(url)
    with CaptureQueriesContext(connection) as kecil:
        assert client.get(url).json()["count"] == 2
    for i in range(10):
        orang = make_person(f"operator.dinkes.{i}", "operator_opd", opd=dinkes)
        services.bukti_tambah(realisasi=laporan, berkas=berkas(f"{i}.pdf"), by=orang)
    with django_assert_num_queries(len(kecil.captured_queries)):
        assert client.get(url).json()["count"] == 12
