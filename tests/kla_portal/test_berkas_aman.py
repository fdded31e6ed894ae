"""A PDF carrying scripts, program launches or hidden files is stored without them, whichever
app takes it; one that cannot be checked is refused; downloads open in a sandbox."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)

from clusters.models import Lampiran
from kla_portal.berkas import periksa_berkas
from tests.conftest import PDF

TEKS = ["Laporan Posyandu Kecamatan Serang 2024", "Halaman kedua: data imunisasi"]


def _nama(nilai: str) -> NameObject:
    return NameObject(nilai)


def _js(kode: str) -> DictionaryObject:
    return DictionaryObject(
        {_nama("/S"): _nama("/JavaScript"), _nama("/JS"): TextStringObject(kode)}
    )


def _tautan(writer, aksi: DictionaryObject, y: int):
    return writer._add_object(
        DictionaryObject(
            {
                _nama("/Type"): _nama("/Annot"),
                _nama("/Subtype"): _nama("/Link"),
                _nama("/Rect"): ArrayObject([FloatObject(v) for v in (72, y, 300, y + 20)]),
                _nama("/A"): aksi,
            }
        )
    )


def pdf_berbahaya() -> bytes:
    """Two pages of text, plus: a script run on opening, a script in the document's names, a
    link that launches a program, a file: link, an embedded .exe, a page open action, an
    attachment annotation and an XFA form. Also one harmless web link, which must stay."""
    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                _nama("/Type"): _nama("/Font"),
                _nama("/Subtype"): _nama("/Type1"),
                _nama("/BaseFont"): _nama("/Helvetica"),
            }
        )
    )
    for teks in TEKS:
        page = writer.add_blank_page(width=595, height=842)
        page[_nama("/Resources")] = DictionaryObject(
            {_nama("/Font"): DictionaryObject({_nama("/F1"): font})}
        )
        isi = DecodedStreamObject()
        isi.set_data(f"BT /F1 14 Tf 72 760 Td ({teks}) Tj ET".encode())
        page[_nama("/Contents")] = writer._add_object(isi)
    pertama, kedua = writer.pages
    writer.root_object[_nama("/OpenAction")] = _js("app.alert('dibuka')")
    writer.add_attachment("setup.exe", b"MZ\x90\x00 program jahat")
    skrip = _js("this.exportDataObject({cName: 'setup.exe', nLaunch: 2});")
    writer.root_object["/Names"][_nama("/JavaScript")] = DictionaryObject(
        {_nama("/Names"): ArrayObject([TextStringObject("buka"), writer._add_object(skrip)])}
    )
    pertama[_nama("/AA")] = DictionaryObject({_nama("/O"): _js("app.launchURL('x')")})
    launch = DictionaryObject(
        {_nama("/S"): _nama("/Launch"), _nama("/F"): TextStringObject("C:\\Windows\\cmd.exe")}
    )
    file_uri = DictionaryObject(
        {_nama("/S"): _nama("/URI"), _nama("/URI"): TextStringObject("file:///etc/passwd")}
    )
    web = DictionaryObject(
        {_nama("/S"): _nama("/URI"), _nama("/URI"): TextStringObject("https://kla.id/")}
    )
    lampiran = DictionaryObject(
        {
            _nama("/Type"): _nama("/Annot"),
            _nama("/Subtype"): _nama("/FileAttachment"),
            _nama("/Rect"): ArrayObject([FloatObject(v) for v in (0, 0, 10, 10)]),
        }
    )
    pertama[_nama("/Annots")] = ArrayObject(
        [_tautan(writer, launch, 600), _tautan(writer, web, 560), writer._add_object(lampiran)]
    )
    kedua[_nama("/Annots")] = ArrayObject([_tautan(writer, file_uri, 600)])
    writer.root_object[_nama("/AcroForm")] = DictionaryObject(
        {_nama("/Fields"): ArrayObject(), _nama("/XFA"): TextStringObject("<xdp/>")}
    )
    isi = io.BytesIO()
    writer.write(isi)
    return isi.getvalue()


def assert_bersih(isi: bytes):
    reader = PdfReader(io.BytesIO(isi))
    root = reader.trailer["/Root"]
    assert "/OpenAction" not in root
    assert "/JavaScript" not in root.get("/Names", {})
    assert "/EmbeddedFiles" not in root.get("/Names", {})
    assert "/XFA" not in root["/AcroForm"]
    assert reader.attachments == {}
    # The pages and their text are intact.
    assert [page.extract_text() for page in reader.pages] == TEKS
    aksi = []
    for page in reader.pages:
        assert "/AA" not in page
        for annot in page.get("/Annots", []):
            annot = annot.get_object()
            assert annot["/Subtype"] == "/Link"
            aksi.append(annot.get("/A"))
    # Only the web link keeps its action.
    assert [a["/URI"] for a in aksi if a is not None] == ["https://kla.id/"]
    assert b"JavaScript" not in isi and b"Launch" not in isi and b"MZ" not in isi


def test_the_hostile_pdf_really_carries_every_part():
    reader = PdfReader(io.BytesIO(pdf_berbahaya()))
    root = reader.trailer["/Root"]
    assert root["/OpenAction"]["/S"] == "/JavaScript"
    assert "/JavaScript" in root["/Names"] and "/EmbeddedFiles" in root["/Names"]
    assert "/AA" in reader.pages[0]
    assert list(reader.attachments) == ["setup.exe"]


def test_the_upload_check_cuts_the_active_parts_and_keeps_the_pages():
    upload = SimpleUploadedFile("laporan.pdf", pdf_berbahaya())
    info = periksa_berkas(upload)
    assert info.catatan == (
        "Berkas PDF laporan.pdf berisi skrip/lampiran tersembunyi; bagian itu dibuang."
    )
    upload.seek(0)
    isi = upload.read()
    assert info.ukuran == len(isi) == upload.size
    assert_bersih(isi)


def test_a_clean_pdf_is_stored_byte_for_byte():
    upload = SimpleUploadedFile("sk.pdf", PDF)
    info = periksa_berkas(upload)
    assert info.catatan == ""
    upload.seek(0)
    assert upload.read() == PDF


def test_bookmarks_and_links_to_pages_are_not_active_content():
    writer = PdfWriter()
    for _halaman in range(3):
        writer.add_blank_page(width=595, height=842)
    for nomor in range(3):  # bookmarks chain to each other through /Next
        writer.add_outline_item(title=f"Bab {nomor + 1}", page_number=nomor)
    writer.root_object[_nama("/OpenAction")] = ArrayObject(
        [writer.pages[0].indirect_reference, _nama("/Fit")]
    )
    isi = io.BytesIO()
    writer.write(isi)
    upload = SimpleUploadedFile("perwal.pdf", isi.getvalue())
    assert periksa_berkas(upload).catatan == ""
    upload.seek(0)
    assert upload.read() == isi.getvalue()


def test_a_script_chained_behind_a_harmless_action_is_cut():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(PDF)))
    writer.root_object[_nama("/OpenAction")] = DictionaryObject(
        {
            _nama("/S"): _nama("/GoTo"),
            _nama("/D"): ArrayObject([writer.pages[0].indirect_reference, _nama("/Fit")]),
            _nama("/Next"): ArrayObject([_js("app.alert(1)")]),
        }
    )
    isi = io.BytesIO()
    writer.write(isi)
    upload = SimpleUploadedFile("sk.pdf", isi.getvalue())
    assert periksa_berkas(upload).catatan
    upload.seek(0)
    bersih = upload.read()
    aksi = PdfReader(io.BytesIO(bersih)).trailer["/Root"]["/OpenAction"]
    assert aksi["/S"] == "/GoTo" and list(aksi["/Next"]) == []
    assert b"JavaScript" not in bersih


def test_a_pdf_that_opens_only_with_a_password_is_refused():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(PDF)))
    writer.encrypt(user_password="rahasia", owner_password="pemilik", algorithm="AES-256")
    isi = io.BytesIO()
    writer.write(isi)
    with pytest.raises(ValidationError, match="PDF ini dikunci dengan kata sandi"):
        periksa_berkas(SimpleUploadedFile("sk.pdf", isi.getvalue()))


def test_a_pdf_locked_only_against_editing_is_cleaned_and_opens_without_a_password():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_berbahaya())))
    writer.encrypt(user_password="", owner_password="pemilik", algorithm="AES-128")
    isi = io.BytesIO()
    writer.write(isi)
    upload = SimpleUploadedFile("sk.pdf", isi.getvalue())
    assert periksa_berkas(upload).catatan
    upload.seek(0)
    bersih = upload.read()
    assert not PdfReader(io.BytesIO(bersih)).is_encrypted
    assert_bersih(bersih)


def test_a_broken_pdf_is_refused():
    with pytest.raises(ValidationError, match="PDF ini rusak atau tidak dapat dibaca"):
        periksa_berkas(SimpleUploadedFile("sk.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n"))


@pytest.mark.parametrize("di_disk", [False, True], ids=["di-memori", "berkas-sementara"])
def test_answer_evidence_is_stored_clean_and_the_operator_is_told(
    client, operator_dinkes, soal_dinkes, settings, di_disk
):
    if di_disk:  # a large upload arrives as a temporary file, which storage moves, not copies
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100
    client.force_login(operator_dinkes)
    response = client.post(
        reverse("clusters:pertanyaan-detail", args=[soal_dinkes.pk]),
        {
            "versi": 0,
            "fraksi": "1",
            "berkas": SimpleUploadedFile("laporan.pdf", pdf_berbahaya()),
        },
        follow=True,
    )
    assert "laporan.pdf berisi skrip/lampiran tersembunyi; bagian itu dibuang." in (
        response.content.decode()
    )
    lampiran = Lampiran.objects.get()
    with lampiran.berkas.open("rb") as stored:
        isi = stored.read()
    assert_bersih(isi)
    assert lampiran.ukuran == len(isi)
    download = client.get(lampiran.get_absolute_url())
    assert download["Content-Security-Policy"] == "sandbox"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == isi
