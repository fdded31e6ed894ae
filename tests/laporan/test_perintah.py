"""The operators' command, and the language of the documents."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def jalankan(*args) -> str:
    out = io.StringIO()
    call_command("buat_bundel", *args, stdout=out)
    return out.getvalue()


def test_buat_bundel_writes_the_pdf_and_names_what_it_left_out(bukti_lengkap, tmp_path):
    tujuan = tmp_path / "bundel.pdf"
    keluaran = jalankan("2024", "--out", str(tujuan))
    halaman = len(PdfReader(tujuan).pages)
    assert f"Bundel 2024 tersimpan di {tujuan}: {halaman} halaman PDF" in keluaran
    assert "  5%  Membaca pertanyaan, jawaban dan data dukung" in keluaran
    assert "tidak disisipkan: perda-terkunci.pdf (PDF dikunci dengan kata sandi)" in keluaran


def test_buat_bundel_zip(bukti_lengkap, tmp_path):
    tujuan = tmp_path / "bundel.zip"
    assert "Bundel 2024 tersimpan" in jalankan("2024", "--out", str(tujuan), "--zip")
    assert tujuan.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize(
    ("args", "pesan"),
    [
        (["1999", "--out", "b.pdf"], "Tahun evaluasi 1999 tidak ada."),
        (["2024", "--out", "/tidak/ada/b.pdf"], "Folder /tidak/ada tidak ada."),
    ],
)
def test_buat_bundel_refuses_with_a_clear_message(instrumen_kecil, args, pesan):
    with pytest.raises(CommandError, match=pesan):
        jalankan(*args)


def test_a_year_without_an_instrument_is_refused(tahun, tmp_path):
    with pytest.raises(CommandError, match="belum memiliki instrumen"):
        jalankan("2024", "--out", str(tmp_path / "b.pdf"))


@pytest.mark.usefixtures("rapor_seketika")  # the card built in the request
def test_the_reports_page_speaks_english_when_chosen_and_the_pdf_stays_indonesian(
    client, sekretariat, instrumen_kecil, dinkes
):
    client.force_login(sekretariat)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("laporan:beranda")).content.decode()
    assert "KLA evaluation bundle 2024 for KemenPPPA" in page
    assert "Build the 2024 bundle" in page
    rapor = client.get(reverse("laporan:rapor-opd", args=[2024, dinkes.pk]))
    teks = PdfReader(io.BytesIO(rapor.content)).pages[0].extract_text()
    assert "Rapor KLA 2024" in teks
