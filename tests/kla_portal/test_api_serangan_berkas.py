"""Attacks with evidence files: a zip bomb named .xlsx, polyglots, names with ../, RTL marks,
quotes and line breaks, very long names. Each is refused with a problem+json in Indonesian
and stores nothing, or is stored under a safe name and downloaded with safe headers."""

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from clusters import services
from clusters.models import Jawaban, Lampiran
from tests.conftest import PDF, berkas

PROBLEM = "application/problem+json"


@pytest.fixture
def jawaban(operator_dinkes, soal_dinkes) -> Jawaban:
    j = services.jawaban_simpan(
        pertanyaan=soal_dinkes, by=operator_dinkes, versi=0, fraksi=Decimal("0.5")
    )
    services.lampiran_tambah(pertanyaan=soal_dinkes, berkas=berkas(), by=operator_dinkes)
    return Jawaban.objects.get(pk=j.pk)


@pytest.fixture
def klien(operator_dinkes):
    client = Client(raise_request_exception=False)
    client.force_login(operator_dinkes)
    return client


def _berkas_di_media(settings) -> int:
    root = Path(settings.MEDIA_ROOT)
    return sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0


def _bom_zip() -> bytes:
    """An .xlsx-shaped zip whose one member inflates to 200 MB."""
    isi = io.BytesIO()
    with zipfile.ZipFile(isi, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            blok = b"\0" * (1024 * 1024)
            for _i in range(200):
                f.write(blok)
    return isi.getvalue()


def _pdf_zip() -> bytes:
    isi = io.BytesIO()
    with zipfile.ZipFile(isi, "w") as z:
        z.writestr("evil.html", "<script>alert(1)</script>")
    return PDF + isi.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("nama", "isi"),
    [
        ("rekap.xlsx", b"PK\x03\x04 bukan zip"),
        ("laporan.pdf", b"GIF89a<script>alert(1)</script>"),
        ("laporan.pdf", b"<html>" + PDF),
        ("laporan.pdf", b""),
        ("laporan", PDF[:20]),
    ],
)
def test_a_disguised_or_broken_file_is_refused_and_nothing_is_stored(
    klien, settings, jawaban, nama, isi
):
    di_media = _berkas_di_media(settings)
    response = klien.post(
        f"/api/v1/jawaban/{jawaban.pk}/bukti/", {"berkas": SimpleUploadedFile(nama, isi)}
    )
    assert 400 <= response.status_code < 500 and response.status_code != 404, response.content
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"]
    assert Lampiran.objects.count() == 1
    assert _berkas_di_media(settings) == di_media


@pytest.mark.django_db
@pytest.mark.parametrize(("nama", "jenis"), [("rekap.docx", PDF), ("gambar.png", PDF)])
def test_a_file_named_as_another_kind_is_kept_and_served_as_what_it_is(klien, jawaban, nama, jenis):
    """Safe: the type comes from the content, never from the name, and is what the download
    says (with nosniff), so a name cannot make a browser run it as something else."""
    response = klien.post(
        f"/api/v1/jawaban/{jawaban.pk}/bukti/", {"berkas": SimpleUploadedFile(nama, jenis)}
    )
    assert response.status_code == 201
    assert response.json()["jenis"] == "application/pdf"
    unduh = klien.get(f"/api/v1/bukti/{response.json()['id']}/unduh/")
    assert unduh["Content-Type"] == "application/pdf"
    assert unduh["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_zip_bomb_named_xlsx_is_stored_as_is_never_unpacked(klien, jawaban, settings):
    """Safe: evidence is only stored and sent back as an attachment (the portal never opens
    it); its compressed size counts against the upload limit. The RAD import, which does open
    workbooks, judges them from the zip directory first (kla_portal.tabel.periksa_ukuran_xlsx)."""
    response = klien.post(
        f"/api/v1/jawaban/{jawaban.pk}/bukti/",
        {"berkas": SimpleUploadedFile("rekap.xlsx", _bom_zip())},
    )
    assert response.status_code == 201, response.content
    assert response.json()["ukuran"] < 1024 * 1024
    unduh = klien.get(f"/api/v1/bukti/{response.json()['id']}/unduh/")
    assert unduh["Content-Disposition"].startswith("attachment;")


@pytest.mark.django_db
def test_a_pdf_with_a_zip_appended_is_a_pdf_served_as_one(klien, jawaban):
    response = klien.post(
        f"/api/v1/jawaban/{jawaban.pk}/bukti/",
        {"berkas": SimpleUploadedFile("laporan.pdf", _pdf_zip())},
    )
    if response.status_code != 201:
        assert response["Content-Type"] == PROBLEM
        return
    unduh = klien.get(f"/api/v1/bukti/{response.json()['id']}/unduh/")
    assert unduh["Content-Type"] == "application/pdf"
    assert unduh["X-Content-Type-Options"] == "nosniff"
    assert unduh["Content-Security-Policy"] == "sandbox"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "nama",
    [
        "../../../etc/passwd.pdf",
        "..\\..\\win.pdf",
        "/etc/cron.d/x.pdf",
        "laporan\u202efdp.exe",
        'kutip"; filename="x.html".pdf',
        "baris\r\nSet-Cookie: a=b.pdf",
        "a" * 300 + ".pdf",
        "nul\x00.pdf",
        ".pdf",
    ],
)
def test_a_hostile_name_never_leaves_media_nor_breaks_the_headers(klien, settings, jawaban, nama):
    response = klien.post(
        f"/api/v1/jawaban/{jawaban.pk}/bukti/", {"berkas": SimpleUploadedFile(nama, PDF)}
    )
    media = Path(settings.MEDIA_ROOT).resolve()
    for p in media.rglob("*"):
        assert p.resolve().is_relative_to(media)
    if response.status_code != 201:
        assert 400 <= response.status_code < 500, response.content
        assert response["Content-Type"] == PROBLEM
        assert Lampiran.objects.count() == 1
        return
    lampiran = Lampiran.objects.get(pk=response.json()["id"])
    assert Path(settings.MEDIA_ROOT, lampiran.berkas.name).resolve().is_relative_to(media)
    unduh = klien.get(f"/api/v1/bukti/{lampiran.pk}/unduh/")
    assert unduh.status_code == 200
    disposisi = unduh["Content-Disposition"]
    assert "\r" not in disposisi and "\n" not in disposisi
    assert "Set-Cookie" not in unduh.headers or "a=b" not in unduh["Set-Cookie"]
    assert disposisi.replace('\\"', "").count('"') in (0, 2), disposisi  # quotes escaped
    assert "\u202e" not in disposisi
    assert unduh["X-Content-Type-Options"] == "nosniff"
    assert unduh["Content-Security-Policy"] == "sandbox"
    assert "/" not in disposisi.split("filename", 1)[1]
