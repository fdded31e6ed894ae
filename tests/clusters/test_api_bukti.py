"""Evidence files through the API: the page's scoping per role (another's id is a 404, a reader
who may not change is a 403), the page's checks on uploads (hostile files refused with its
Indonesian message as 413/415, nothing stored), its download headers, one file per
Idempotency-Key, and a list that costs the same at any size."""

import hashlib
import io
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from agencies.models import Peran
from clusters import services
from clusters.models import Jawaban, Lampiran
from tests.conftest import PDF, PNG, berkas
from tests.kla_portal.test_berkas_aman import assert_bersih, pdf_berbahaya

PROBLEM = "application/problem+json"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 60
HTML = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"


def daftar(jawaban) -> str:
    return f"/api/v1/jawaban/{jawaban.pk}/bukti/"


def detail(lampiran) -> str:
    return f"/api/v1/bukti/{lampiran.pk}/"


def berkas_di_media(settings) -> int:
    root = Path(settings.MEDIA_ROOT)
    return sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0


@pytest.fixture
def jawaban_dinkes(operator_dinkes, soal_dinkes) -> Jawaban:
    jawaban = services.jawaban_simpan(
        pertanyaan=soal_dinkes, by=operator_dinkes, versi=0, fraksi=Decimal("0.5")
    )
    services.lampiran_tambah(pertanyaan=soal_dinkes, berkas=berkas(), by=operator_dinkes)
    return Jawaban.objects.get(pk=jawaban.pk)


@pytest.fixture
def operator_dp3a(make_person, dp3a):
    return make_person("operator.dp3a", Peran.OPERATOR_OPD, opd=dp3a)


def _status(client, jawaban, lampiran) -> dict:
    return {
        "list": client.get(daftar(jawaban)).status_code,
        "detail": client.get(detail(lampiran)).status_code,
        "unduh": client.get(detail(lampiran) + "unduh/").status_code,
        "unggah": client.post(daftar(jawaban), {"berkas": berkas("baru.pdf")}).status_code,
        "ganti": client.post(
            detail(lampiran) + "ganti/", {"berkas": berkas("ganti.pdf")}
        ).status_code,
        "hapus": client.delete(detail(lampiran)).status_code,
    }


BACA = {"list": 200, "detail": 200, "unduh": 200, "unggah": 403, "ganti": 403, "hapus": 403}
TIDAK_ADA = dict.fromkeys(BACA, 404)


@pytest.mark.parametrize(
    ("siapa", "diharapkan"),
    [
        ("operator_dinsos", BACA),  # a supporting agency reads, the lead agency answers
        ("kepala_dinkes", BACA),  # the head approves; operators attach the files
        ("sekretariat", BACA),
        ("bappeda", BACA),
        ("pimpinan", BACA),
        ("operator_dp3a", TIDAK_ADA),  # not assigned to the question
        ("lurah_cipare", TIDAK_ADA),  # a kelurahan never sees an agency's city answer
    ],
)
def test_each_role_reads_or_is_refused_like_on_the_page(
    client, request, settings, jawaban_dinkes, siapa, diharapkan
):
    lampiran = Lampiran.objects.get()
    di_media = berkas_di_media(settings)
    client.force_login(request.getfixturevalue(siapa))
    assert _status(client, jawaban_dinkes, lampiran) == diharapkan
    # Nothing changed: the one file, current, the answer's version untouched.
    assert list(Lampiran.objects.values_list("pk", "diganti_oleh", "dihapus")) == [
        (lampiran.pk, None, None)
    ]
    assert Jawaban.objects.get().versi == jawaban_dinkes.versi
    assert berkas_di_media(settings) == di_media


def test_the_answering_operator_lists_uploads_replaces_removes_and_downloads(
    client, operator_dinkes, jawaban_dinkes
):
    client.force_login(operator_dinkes)
    lama = Lampiran.objects.get()
    data = client.get(daftar(jawaban_dinkes)).json()
    assert data["count"] == 1
    item = data["results"][0]
    assert item | {"diunggah": None} == {
        "id": lama.pk,
        "jawaban": jawaban_dinkes.pk,
        "nama": "sk-gugus-tugas.pdf",
        "jenis": "application/pdf",
        "ukuran": len(PDF),
        "sha256": lama.sha256,
        "diunggah": None,
        "diunggah_oleh": {"id": operator_dinkes.pk, "nama": operator_dinkes.nama_lengkap},
        "aktif": True,
        "catatan": "",
        "diganti_oleh": None,
        "dihapus": None,
        "unduh": f"http://testserver/api/v1/bukti/{lama.pk}/unduh/",
    }
    assert lama.sha256 == hashlib.sha256(PDF).hexdigest()

    response = client.post(daftar(jawaban_dinkes), {"berkas": berkas("foto.png", PNG)})
    assert response.status_code == 201, response.content
    baru = Lampiran.objects.get(pk=response.json()["id"])
    assert response["Location"] == f"http://testserver/api/v1/bukti/{baru.pk}/"
    assert (baru.jenis, baru.nama_asli, baru.jawaban_id) == (
        "image/png",
        "foto.png",
        lama.jawaban_id,
    )

    response = client.post(detail(lama) + "ganti/", {"berkas": berkas("sk-revisi.pdf")})
    assert response.status_code == 201, response.content
    lama.refresh_from_db()
    assert lama.diganti_oleh_id == response.json()["id"]

    assert client.delete(detail(baru)).status_code == 204
    baru.refresh_from_db()
    assert baru.dihapus is not None

    nama = [b["nama"] for b in client.get(daftar(jawaban_dinkes)).json()["results"]]
    assert nama == ["sk-revisi.pdf"]
    semua = client.get(daftar(jawaban_dinkes) + "?semua=true").json()["results"]
    assert [(b["nama"], b["aktif"]) for b in semua] == [
        ("sk-gugus-tugas.pdf", False),
        ("foto.png", False),
        ("sk-revisi.pdf", True),
    ]
    # a replaced file is still there to read, as in the page's history
    assert client.get(detail(lama) + "unduh/").status_code == 200


def test_anonymous_gets_a_problem_everywhere(client, jawaban_dinkes):
    lampiran = Lampiran.objects.get()
    for status in _status(client, jawaban_dinkes, lampiran).values():
        assert status in (401, 403)
    response = client.get(detail(lampiran) + "unduh/")
    assert response["Content-Type"] == PROBLEM
    assert Lampiran.objects.count() == 1


def test_another_agencys_evidence_is_a_404_problem_in_indonesian_and_english(
    client, operator_dp3a, jawaban_dinkes
):
    client.force_login(operator_dp3a)
    url = detail(Lampiran.objects.get()) + "unduh/"
    response = client.get(url)
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == "Data ini tidak ada atau bukan bagian Anda."
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["detail"] == "This does not exist or is not yours."


# --- Hostile files -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nama", "isi", "status", "pesan"),
    [
        ("laporan.pdf", EXE, 415, "berkas program tidak boleh diunggah"),
        ("halaman.pdf", HTML, 415, "berkas SVG/HTML dapat berisi skrip"),
        ("foto.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>", 415, "SVG"),
        ("catatan.pdf", b"sekadar teks", 415, "isinya bukan PDF, JPG, PNG, XLSX atau DOCX"),
        ("kosong.pdf", b"", 400, "kosong (0 bita)"),
        ("rusak.pdf", b"%PDF-1.7\n rusak", 400, "PDF ini rusak atau tidak dapat dibaca"),
    ],
)
def test_a_hostile_or_broken_file_is_refused_and_nothing_is_stored(
    client, settings, operator_dinkes, jawaban_dinkes, nama, isi, status, pesan
):
    client.force_login(operator_dinkes)
    di_media = berkas_di_media(settings)
    response = client.post(daftar(jawaban_dinkes), {"berkas": SimpleUploadedFile(nama, isi)})
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert pesan in body["detail"] and nama in body["detail"]
    assert Lampiran.objects.count() == 1
    assert berkas_di_media(settings) == di_media
    assert Jawaban.objects.get().versi == jawaban_dinkes.versi


def test_a_pdf_with_scripts_is_stored_without_them_and_the_api_says_so(
    client, operator_dinkes, jawaban_dinkes
):
    client.force_login(operator_dinkes)
    response = client.post(
        daftar(jawaban_dinkes), {"berkas": berkas("berbahaya.pdf", pdf_berbahaya())}
    )
    assert response.status_code == 201, response.content
    assert response.json()["catatan"] == (
        "Berkas PDF berbahaya.pdf berisi skrip/lampiran tersembunyi; bagian itu dibuang."
    )
    stored = Lampiran.objects.get(pk=response.json()["id"])
    isi = stored.berkas.open("rb").read()
    assert_bersih(isi)
    assert stored.sha256 == hashlib.sha256(isi).hexdigest() == response.json()["sha256"]
    # the list tells it only once, at the upload
    assert {b["catatan"] for b in client.get(daftar(jawaban_dinkes)).json()["results"]} == {""}


def test_a_file_over_the_limit_is_a_413_and_a_replacement_too(
    client, settings, operator_dinkes, jawaban_dinkes
):
    settings.UPLOAD_MAX_MB = 1
    client.force_login(operator_dinkes)
    lampiran = Lampiran.objects.get()
    di_media = berkas_di_media(settings)
    besar = PDF + b"0" * (1024 * 1024)
    for url in (daftar(jawaban_dinkes), detail(lampiran) + "ganti/"):
        response = client.post(url, {"berkas": berkas("besar.pdf", besar)})
        assert response.status_code == 413
        assert response.json()["title"] == "Terlalu besar"
        assert (
            response.json()["detail"] == "Berkas besar.pdf terlalu besar (1,0 MB); batasnya 1 MB."
        )
    response = client.post(
        daftar(jawaban_dinkes), {"berkas": berkas("besar.pdf", besar)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json()["detail"].startswith("The file besar.pdf is too large")
    assert Lampiran.objects.get() == lampiran and lampiran.diganti_oleh_id is None
    assert berkas_di_media(settings) == di_media


def test_an_exe_as_replacement_is_a_415_and_the_old_file_stays_current(
    client, operator_dinkes, jawaban_dinkes
):
    client.force_login(operator_dinkes)
    lampiran = Lampiran.objects.get()
    response = client.post(
        detail(lampiran) + "ganti/", {"berkas": SimpleUploadedFile("sk.pdf", EXE)}
    )
    assert response.status_code == 415
    assert Lampiran.objects.aktif().get() == lampiran


def test_refusals_are_in_english_with_accept_language(
    client, operator_dinkes, kepala_dinkes, jawaban_dinkes
):
    client.force_login(operator_dinkes)
    response = client.post(
        daftar(jawaban_dinkes),
        {"berkas": SimpleUploadedFile("laporan.pdf", EXE)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 415
    assert response.json()["title"] == "Unsupported content type"
    assert response.json()["detail"] == (
        "The file laporan.pdf was rejected: program files may not be uploaded. "
        "Upload PDF, JPG, PNG, XLSX or DOCX."
    )
    services.jawaban_kirim(jawaban=jawaban_dinkes, by=operator_dinkes)
    response = client.delete(detail(Lampiran.objects.get()), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["detail"].startswith(
        "The evidence cannot be changed: the answer has the status"
    )


def test_a_reader_is_refused_before_the_file_is_looked_at(client, kepala_dinkes, jawaban_dinkes):
    client.force_login(kepala_dinkes)
    response = client.post(daftar(jawaban_dinkes), {"berkas": SimpleUploadedFile("x.pdf", EXE)})
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM


def test_no_file_or_json_instead_of_multipart_is_refused(client, operator_dinkes, jawaban_dinkes):
    client.force_login(operator_dinkes)
    response = client.post(daftar(jawaban_dinkes), {})
    assert response.status_code == 400
    assert "berkas" in response.json()["errors"]
    for url in (daftar(jawaban_dinkes), detail(Lampiran.objects.get()) + "ganti/"):
        response = client.post(url, {"berkas": "x"}, content_type="application/json")
        assert response.status_code == 415
        assert response["Content-Type"] == PROBLEM
    assert Lampiran.objects.count() == 1


def test_a_kelurahan_answers_for_itself_and_its_neighbour_gets_a_404(
    client, make_person, lurah_cipare, cipare, soal_kelurahan
):
    from agencies.models import Wilayah

    tetangga = Wilayah.objects.get(kode="36.73.02.1001")
    lurah_tetangga = make_person("lurah.kasemen", Peran.OPERATOR_WILAYAH, wilayah=tetangga)
    kecamatan = make_person("operator.kec.serang", Peran.OPERATOR_WILAYAH, wilayah=cipare.induk)
    services.jawaban_simpan(
        pertanyaan=soal_kelurahan, wilayah=cipare, by=lurah_cipare, versi=0, fraksi=Decimal(1)
    )
    jawaban = Jawaban.objects.get()
    client.force_login(lurah_cipare)
    response = client.post(daftar(jawaban), {"berkas": berkas("sk-patbm.pdf")})
    assert response.status_code == 201, response.content
    lampiran = Lampiran.objects.get()
    client.force_login(kecamatan)  # reads the kelurahan of its kecamatan, does not answer
    assert _status(client, jawaban, lampiran) == BACA
    client.force_login(lurah_tetangga)
    assert _status(client, jawaban, lampiran) == TIDAK_ADA
    assert Lampiran.objects.aktif().get() == lampiran


# --- A locked answer ---------------------------------------------------------------------------


def test_a_sent_answer_refuses_upload_replace_and_remove_like_the_page(
    client, settings, operator_dinkes, kepala_dinkes, jawaban_dinkes
):
    services.jawaban_kirim(jawaban=jawaban_dinkes, by=operator_dinkes)
    client.force_login(operator_dinkes)
    lampiran = Lampiran.objects.get()
    di_media = berkas_di_media(settings)
    pesan = "Data dukung tidak dapat diubah: jawaban berstatus Menunggu persetujuan kepala."
    for response in (
        client.post(daftar(jawaban_dinkes), {"berkas": berkas()}),
        client.post(detail(lampiran) + "ganti/", {"berkas": berkas()}),
        client.delete(detail(lampiran)),
    ):
        assert response.status_code == 400
        assert response["Content-Type"] == PROBLEM
        assert response.json()["detail"] == pesan
    assert list(Lampiran.objects.values_list("pk", "diganti_oleh", "dihapus")) == [
        (lampiran.pk, None, None)
    ]
    assert berkas_di_media(settings) == di_media
    # still readable
    assert client.get(detail(lampiran) + "unduh/").status_code == 200


def test_removing_twice_is_refused_the_second_time(client, operator_dinkes, jawaban_dinkes):
    client.force_login(operator_dinkes)
    lampiran = Lampiran.objects.get()
    assert client.delete(detail(lampiran)).status_code == 204
    response = client.delete(detail(lampiran))
    assert response.status_code == 400
    assert "sudah diganti atau dilepas" in response.json()["detail"]


# --- Idempotency ---------------------------------------------------------------------------


def test_an_upload_retried_with_the_same_key_stores_one_file(
    client, settings, operator_dinkes, jawaban_dinkes
):
    client.force_login(operator_dinkes)
    kunci = str(uuid.uuid4())
    di_media = berkas_di_media(settings)
    pertama = client.post(
        daftar(jawaban_dinkes),
        {"berkas": berkas("foto.png", PNG)},
        headers={"Idempotency-Key": kunci},
    )
    kedua = client.post(
        daftar(jawaban_dinkes),
        {"berkas": berkas("foto.png", PNG)},
        headers={"Idempotency-Key": kunci},
    )
    assert pertama.status_code == kedua.status_code == 201
    assert kedua["Idempotent-Replayed"] == "true"
    assert kedua.json() == pertama.json()
    assert Lampiran.objects.filter(nama_asli="foto.png").count() == 1
    assert berkas_di_media(settings) == di_media + 1
    # The same key with another file is refused; a new key stores a second file.
    lain = client.post(
        daftar(jawaban_dinkes), {"berkas": berkas("lain.pdf")}, headers={"Idempotency-Key": kunci}
    )
    assert lain.status_code == 422
    assert Lampiran.objects.count() == 2


def test_a_refused_upload_frees_its_key(client, operator_dinkes, jawaban_dinkes):
    client.force_login(operator_dinkes)
    kunci = str(uuid.uuid4())
    ditolak = client.post(
        daftar(jawaban_dinkes),
        {"berkas": SimpleUploadedFile("foto.png", EXE)},
        headers={"Idempotency-Key": kunci},
    )
    assert ditolak.status_code == 415
    ulang = client.post(
        daftar(jawaban_dinkes),
        {"berkas": SimpleUploadedFile("foto.png", PNG + b"\x00" * (len(EXE) - len(PNG)))},
        headers={"Idempotency-Key": kunci},
    )
    assert ulang.status_code == 201, ulang.content


# --- Downloads -----------------------------------------------------------------------------


def test_the_download_is_the_pages_file_with_its_headers(client, operator_dinsos, jawaban_dinkes):
    client.force_login(operator_dinsos)
    lampiran = Lampiran.objects.get()
    for accept in ("*/*", "application/pdf", "application/json"):
        response = client.get(detail(lampiran) + "unduh/", HTTP_ACCEPT=accept)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'inline; filename="sk-gugus-tugas.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "sandbox"
        assert response["Cache-Control"] == "private, max-age=0"
        assert b"".join(response.streaming_content) == PDF


def test_a_spreadsheet_is_downloaded_as_an_attachment(client, operator_dinkes, jawaban_dinkes):
    isi = io.BytesIO()
    Workbook().save(isi)
    client.force_login(operator_dinkes)
    response = client.post(
        daftar(jawaban_dinkes), {"berkas": SimpleUploadedFile("rekap data.xlsx", isi.getvalue())}
    )
    assert response.status_code == 201, response.content
    response = client.get(f"/api/v1/bukti/{response.json()['id']}/unduh/")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="rekap data.xlsx"'
    assert response["Content-Security-Policy"] == "sandbox"


# --- Query counts ---------------------------------------------------------------------------


def test_the_list_costs_the_same_with_2_and_12_files(
    client,
    operator_dinkes,
    soal_dinkes,
    jawaban_dinkes,
    make_person,
    dinkes,
    django_assert_num_queries,
):
    lain = make_person("operator.dinkes.2", Peran.OPERATOR_OPD, opd=dinkes, nama="Operator Dua")
    services.lampiran_tambah(pertanyaan=soal_dinkes, berkas=berkas("b.pdf"), by=lain)
    client.force_login(operator_dinkes)
    url = daftar(jawaban_dinkes)
    client.get(url)
    with CaptureQueriesContext(connection) as kecil:
        assert client.get(url).json()["count"] == 2
    for i in range(10):
        pengunggah = make_person(f"operator.dinkes.{i + 3}", Peran.OPERATOR_OPD, opd=dinkes)
        services.lampiran_tambah(pertanyaan=soal_dinkes, berkas=berkas(f"{i}.pdf"), by=pengunggah)
    # session, user, memberships, the answer (visible_to), count, the files with uploaders
    with django_assert_num_queries(len(kecil.captured_queries)):
        assert client.get(url + "?semua=1").json()["count"] == 12


# --- With an API token ---------------------------------------------------------------------


def test_a_script_uploads_and_downloads_with_a_bearer_token(
    client, operator_dinkes, jawaban_dinkes
):
    from agencies import services as agencies_services

    _baris, tulis = agencies_services.token_buat(user=operator_dinkes, nama="Skrip", akses="tulis")
    _baris, baca = agencies_services.token_buat(user=operator_dinkes, nama="Dasbor", akses="baca")
    response = client.post(
        daftar(jawaban_dinkes),
        {"berkas": berkas("foto.png", PNG)},
        HTTP_AUTHORIZATION=f"Bearer {tulis}",
    )
    assert response.status_code == 201, response.content
    unduh = client.get(response.json()["unduh"], HTTP_AUTHORIZATION=f"Bearer {baca}")
    assert unduh.status_code == 200 and unduh["Content-Type"] == "image/png"
    assert b"".join(unduh.streaming_content) == PNG
    # a read-only token reads but does not upload
    ditolak = client.post(
        daftar(jawaban_dinkes), {"berkas": berkas("lagi.pdf")}, HTTP_AUTHORIZATION=f"Bearer {baca}"
    )
    assert ditolak.status_code == 403
    assert ditolak.json()["detail"].startswith("Token ini hanya untuk membaca.")
    assert Lampiran.objects.count() == 2
