"""The evaluation bundle, opened as its reader would: pages, bookmarks, totals, the questions
in order and each piece of evidence right after the question that claims it."""

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from clusters.models import SkorSnapshot
from laporan import bundel, pdf
from laporan.models import Bundel  # noqa: F401 - the app is installed
from tests.conftest import kota_uji

pytestmark = pytest.mark.django_db


def teks_halaman(reader: PdfReader) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in reader.pages]


def daftar_isi(reader: PdfReader) -> list[tuple[int, str, int]]:
    """The outline as (depth, title, page index)."""
    hasil = []

    def jalan(items, kedalaman):
        for item in items:
            if isinstance(item, list):
                jalan(item, kedalaman + 1)
            else:
                hasil.append((kedalaman, item.title, reader.get_destination_page_number(item)))

    jalan(reader.outline, 0)
    return hasil


def angka(value) -> str:
    with translation.override("id"):
        return floatformat(Decimal(value), "2g")


@pytest.fixture
def bundel_pdf(bukti_lengkap, tahun, sekretariat, tmp_path):
    tujuan = tmp_path / "bundel.pdf"
    hasil = bundel.bangun_pdf(tahun, tujuan=tujuan, oleh=sekretariat)
    return hasil, PdfReader(tujuan), tujuan


def test_the_bundle_has_its_pages_outline_and_the_snapshot_totals(bundel_pdf, tahun):
    hasil, reader, _tujuan = bundel_pdf
    halaman = teks_halaman(reader)
    assert len(reader.pages) == hasil.halaman

    # Every evidence page that could be included is a page of its own: the two pages of the
    # Perda, the photo, the landscape plan, the PDF locked by its owner only, the PATBM decree.
    bukti = [i for i, t in enumerate(halaman) if re.match(r".*Data dukung \d+ ·", t)]
    assert len(bukti) == 2 + 1 + 1 + 1 + 1

    # The totals printed are the snapshot's, recomputed from these answers.
    snapshot = SkorSnapshot.objects.terbaru(tahun, daerah_id=kota_uji().pk)
    assert hasil.isi.snapshot == snapshot
    ringkasan = next(t for t in halaman if "Ringkasan skor Skor penilaian mandiri" in t)
    for total in (snapshot.total_mandiri, snapshot.total_berbukti, snapshot.total_verifikasi):
        assert angka(total) in ringkasan
    assert angka(snapshot.total_mandiri) in halaman[0]  # on the cover too

    # Bookmarks: groups, their indicators, their questions, each piece of evidence.
    outline = daftar_isi(reader)
    judul = [(d, t) for d, t, _p in outline]
    assert (0, "KELEMBAGAAN") in judul and (0, "KLASTER III") in judul
    assert (1, "Indikator 15. Puskesmas ramah anak") in judul
    assert [t for d, t in judul if d == 2].count("Pertanyaan 1") == 3
    assert (3, "Data dukung 1: perda-kla.pdf") in judul
    assert [t for d, t in judul if d == 0] == [
        "Daftar isi",
        "Ringkasan skor",
        "KELEMBAGAAN",
        "KLASTER III",
        # No RAD period in this city yet: no appendix A.
        "Lampiran B. Kecamatan dan kelurahan",
        "Lampiran C. Data dukung yang tidak disisipkan",
    ]


def test_questions_come_in_instrument_order_each_followed_by_its_evidence(
    bundel_pdf, bukti_lengkap
):
    _hasil, reader, _tujuan = bundel_pdf
    halaman = teks_halaman(reader)
    semua = " ".join(halaman)
    urutan = [bukti_lengkap[k].teks for k in ("perda", "puskesmas", "sdm", "sanitasi", "patbm")]
    posisi = [semua.index(teks) for teks in urutan]
    assert posisi == sorted(posisi)

    def halaman_dengan(penanda: str) -> list[int]:
        return [i for i, t in enumerate(halaman) if penanda in t]

    def halaman_soal(teks: str) -> int:
        return next(i for i, t in enumerate(halaman) if teks in t and "Jawaban" in t)

    perda, puskesmas, sdm = (halaman_soal(t) for t in urutan[:3])
    # The Perda's two pages, in order, between its question and the next one.
    assert (
        perda < halaman_dengan("BUKTI-PERDA-1")[0] < halaman_dengan("BUKTI-PERDA-2")[0] < puskesmas
    )
    # The Puskesmas question's evidence: the photo page, the landscape plan, the owner-locked PDF.
    denah = halaman_dengan("BUKTI-DENAH")[0]
    assert puskesmas < denah < sdm
    assert puskesmas < halaman_dengan("BUKTI-PEMILIK")[0] < sdm
    foto = next(
        i
        for i in range(puskesmas, sdm)
        if "foto-puskesmas.jpg" in halaman[i] and "Data dukung" in halaman[i][:40]
    )
    assert reader.pages[foto].images  # the photo itself is on its page
    box = reader.pages[denah].mediabox
    assert box.width > box.height  # a landscape page for a landscape plan
    # The kelurahan's decree follows the per-kelurahan question, with the kelurahan named.
    assert (
        "1 dari 67 kelurahan/desa memenuhi, 0 belum memenuhi, 66 belum mengisi"
        in halaman[halaman_soal(urutan[4])]
    )
    patbm = halaman_dengan("BUKTI-PATBM-CIPARE")[0]
    assert halaman_soal(urutan[4]) < patbm
    assert "Kelurahan Cipare" in halaman[patbm]
    # Every page carries the city and its number.
    for nomor, teks in enumerate(halaman, start=1):
        assert f"Halaman {nomor} dari {len(halaman)}" in teks


def test_locked_corrupt_and_unreadable_evidence_is_listed_with_its_reason(bundel_pdf):
    hasil, reader, _tujuan = bundel_pdf
    alasan = {b.lampiran.nama_asli: b.alasan for b in hasil.tidak_disisipkan}
    assert alasan == {
        "perda-terkunci.pdf": "PDF dikunci dengan kata sandi",
        "rekap.xlsx": "berkas XLSX tidak dapat dijadikan halaman PDF; berkas aslinya ada di "
        "bundel ZIP",
        "sertifikat-rusak.pdf": "PDF rusak atau tidak dapat dibaca",
        "foto-rusak.png": "gambar rusak atau tidak dapat dibaca",
    }
    halaman = teks_halaman(reader)
    lampiran_c = " ".join(t for t in halaman if "Data dukung yang tidak disisipkan" in t)
    for nama, sebab in alasan.items():
        assert nama in lampiran_c
        assert sebab.split(";")[0] in lampiran_c
    assert "BUKTI-KUNCI" not in " ".join(halaman)


def test_an_evidence_pdf_longer_than_the_limit_is_left_out(
    bukti_lengkap, tahun, settings, tmp_path
):
    settings.BUNDEL_MAKS_HALAMAN_BERKAS = 1
    hasil = bundel.bangun_pdf(tahun, tujuan=tmp_path / "b.pdf")
    alasan = {b.lampiran.nama_asli: b.alasan for b in hasil.tidak_disisipkan}
    assert alasan["perda-kla.pdf"].startswith("2 halaman, melebihi batas 1 halaman per berkas")


def test_the_bundle_embeds_its_fonts_and_speaks_indonesian(bundel_pdf):
    _hasil, reader, _tujuan = bundel_pdf
    assert reader.trailer["/Root"]["/Lang"] == "id"
    assert reader.metadata.title == "Bundel Evaluasi KLA 2024 Kota Serang"
    fonts = {}
    for page in reader.pages[:3]:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            fonts[font["/BaseFont"]] = "/FontFile2" in descendant["/FontDescriptor"]
    assert any("Source-Sans-3" in name for name in fonts)
    assert all(fonts.values())
    cover = teks_halaman(reader)[0]
    assert "Bundel Evaluasi Kabupaten/Kota Layak Anak Tahun 2024" in cover  # not "2.024"


def test_nothing_is_fetched_from_the_network_or_outside_the_portal(bundel_pdf, tmp_path):
    ambil = pdf.PengambilAman(tmp_path)
    for url in (
        "http://contoh.invalid/x.png",
        "https://contoh.invalid/x.css",
        "ftp://contoh.invalid/x",
        "file:///etc/passwd",
        f"file://{tmp_path}/../rahasia.txt",
    ):
        with pytest.raises(ValueError):
            ambil.fetch(url)
    font = pdf.FONT / "SourceSans3_400Regular.ttf"
    assert ambil.fetch(font.as_uri()).read(4) == Path(font).read_bytes()[:4]
    # An answer's note with HTML in it is printed as text, never fetched.
    _hasil, reader, _tujuan = bundel_pdf
    assert '<img src="http://contoh.invalid/x.png">' in " ".join(teks_halaman(reader))


def test_the_zip_bundle_holds_the_summary_and_every_file_in_question_folders(
    bukti_lengkap, tahun, sekretariat, tmp_path
):
    tujuan = tmp_path / "bundel.zip"
    hasil = bundel.bangun_zip(tahun, tujuan=tujuan, oleh=sekretariat)
    with zipfile.ZipFile(tujuan) as arsip:
        nama = arsip.namelist()
        akar = "Bundel KLA 2024 Kota Serang"
        assert f"{akar}/01 KELEMBAGAAN/Indikator 1/Pertanyaan 1/01 perda-kla.pdf" in nama
        assert f"{akar}/01 KELEMBAGAAN/Indikator 1/Pertanyaan 1/02 perda-terkunci.pdf" in nama
        assert f"{akar}/02 KLASTER III/Indikator 15/Pertanyaan 1/04 rekap.xlsx" in nama
        assert (
            f"{akar}/02 KLASTER III/Indikator 16/Pertanyaan 2/01 Kelurahan Cipare "
            "sk-patbm-cipare.pdf" in nama
        )
        # Files travel as uploaded, byte for byte.
        perda = bukti_lengkap["perda"].jawaban.get().lampiran.get(nama_asli="perda-kla.pdf")
        isi = arsip.read(f"{akar}/01 KELEMBAGAAN/Indikator 1/Pertanyaan 1/01 perda-kla.pdf")
        assert isi == perda.berkas.open("rb").read()
        buku = load_workbook(io.BytesIO(arsip.read(f"{akar}/daftar-berkas.xlsx")))
        indeks = [[c.value for c in row] for row in buku.active.iter_rows()]
        assert len(indeks) == 1 + 9
        assert indeks[1][:5] == [
            "01 KELEMBAGAAN/Indikator 1/Pertanyaan 1/01 perda-kla.pdf",
            "KELEMBAGAAN",
            "Indikator 1",
            "Pertanyaan 1",
            None,
        ]
        assert indeks[1][7] == perda.sha256
        ringkasan = PdfReader(io.BytesIO(arsip.read(f"{akar}/00 Ringkasan {akar}.pdf")))
    assert len(ringkasan.pages) == hasil.halaman
    teks = " ".join(teks_halaman(ringkasan))
    assert "BUKTI-PERDA-1" not in teks  # the summary carries no evidence pages ...
    assert "01 KELEMBAGAAN/Indikator 1/Pertanyaan 1/01 perda-kla.pdf" in teks  # ... but says where


# --- The real 2024 instrument ---------------------------------------------------------------


def test_the_2024_bundle_prints_all_274_questions_in_order_with_the_snapshot_totals(
    tahun_2024, sekretariat, tmp_path
):
    tahun, urutan = tahun_2024
    hasil = bundel.bangun_pdf(tahun, tujuan=tmp_path / "bundel-2024.pdf", oleh=sekretariat)
    reader = PdfReader(tmp_path / "bundel-2024.pdf")
    assert len(reader.pages) == hasil.halaman

    # The bookmarks list every question under its indicator, in the instrument's order.
    dicetak, indikator = [], None
    for kedalaman, judul, _halaman in daftar_isi(reader):
        if kedalaman == 1:
            indikator = judul.split(".")[0]
        elif kedalaman == 2:
            dicetak.append((indikator, judul))
    assert dicetak == urutan
    assert len(dicetak) == 274

    # Seven groups, 1.000 points at most, and the snapshot's totals on the summary page.
    snapshot = SkorSnapshot.objects.terbaru(tahun, daerah_id=kota_uji().pk)
    assert Decimal(snapshot.rincian["total"]["max"]) == 1000
    # Contents, summary, seven groups, the kecamatan/kelurahan tables and appendix C (no RAD yet).
    assert len([1 for d, _t, _p in daftar_isi(reader) if d == 0]) == 2 + 7 + 2
    ringkasan = next(t for t in teks_halaman(reader) if "Ringkasan skor Skor penilaian" in t)
    assert angka(snapshot.total_mandiri) in ringkasan
    assert "1.000,00" in ringkasan


def test_reading_the_bundle_takes_the_same_queries_whatever_its_size(
    bukti_lengkap, tahun, operator_dinkes, django_assert_num_queries
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from clusters import services
    from clusters.models import Pertanyaan
    from laporan import isi as isi_mod
    from tests.laporan.conftest import pdf_halaman

    isi_mod.muat(tahun, services.skor_hitung(tahun=tahun), oleh=None)
    snapshot = SkorSnapshot.objects.terbaru(tahun, daerah_id=kota_uji().pk)
    # the snapshot's city with its province, questions, city-level answers, evidence,
    # kecamatan, kelurahan, the RAD plan
    with django_assert_num_queries(7) as sedikit:
        isi_mod.muat(tahun, snapshot, oleh=None)
    sdm = bukti_lengkap["sdm"]
    for n in range(30):
        p = Pertanyaan.objects.create(
            tahun=tahun,
            indikator=sdm.indikator,
            kode=f"Pertanyaan {n + 3}",
            teks=f"Soal {n}",
            urutan=n + 3,
            nilai_max=Decimal(1),
            lingkup="kabkota",
            cara_penilaian="opsi",
        )
        p.penugasan.create(opd=sdm.penugasan.get().opd, utama=True)
        services.lampiran_tambah(
            pertanyaan=p,
            by=operator_dinkes,
            berkas=SimpleUploadedFile("sk.pdf", pdf_halaman(f"SK {n}")),
        )
    snapshot = services.skor_hitung(tahun=tahun)
    # the same 8 queries with more evidence and answers
    with django_assert_num_queries(len(sedikit.captured_queries)):
        isi = isi_mod.muat(tahun, snapshot, oleh=None)
    assert len(isi.soal) == 35


def test_merging_in_many_passes_gives_the_same_bundle_and_leaves_no_part(
    bukti_lengkap, tahun, sekretariat, tmp_path, monkeypatch, bundel_pdf
):
    """The merge keeps memory bounded by merging at most GABUNG_PER_LANGKAH bytes of evidence
    per pass (laporan.pdf.tempel); a pass per evidence file gives the same pages, text,
    outline and evidence placement as one pass, and only the bundle is left in the folder."""
    _hasil, sekali, _tujuan = bundel_pdf
    monkeypatch.setattr(pdf, "GABUNG_PER_LANGKAH", 1)
    folder = tmp_path / "bertahap"
    folder.mkdir()
    bundel.bangun_pdf(tahun, tujuan=folder / "bundel.pdf", oleh=sekretariat)
    bertahap = PdfReader(folder / "bundel.pdf")
    assert [p.name for p in folder.iterdir()] == ["bundel.pdf"]
    assert teks_halaman(bertahap) == teks_halaman(sekali)
    assert daftar_isi(bertahap) == daftar_isi(sekali)
    assert [p.mediabox for p in bertahap.pages] == [p.mediabox for p in sekali.pages]


def test_an_evidence_page_fills_the_empty_area_of_its_page_top_aligned(bundel_pdf):
    """The evidence page is a form XObject scaled to the area under the caption, keeping its
    proportions, centred across and aligned to the top."""
    _hasil, reader, _tujuan = bundel_pdf
    halaman = next(p for p in reader.pages if "BUKTI-PERDA-1" in (p.extract_text() or ""))
    konten = halaman.get_contents().get_data().decode("latin-1")
    a, _b, _c, d, e, f = map(
        float, re.findall(r"q\s+([\d.\s-]+)cm\s*/\S+\s+Do\s+Q", konten)[-1].split()
    )
    lebar, tinggi = float(halaman.mediabox.width), float(halaman.mediabox.height)
    x, y, w, h = pdf.TATA.kotak_bukti(lebar, tinggi)
    # An A4 portrait evidence page on an A4 portrait page: scaled to the area's height.
    assert a == pytest.approx(d, rel=1e-3)
    assert 595 * a == pytest.approx(w, rel=1e-2) or 842 * d == pytest.approx(h, rel=1e-2)
    assert f + 842 * d == pytest.approx(y + h, abs=1)  # its top at the area's top
    assert e + 595 * a / 2 == pytest.approx(x + w / 2, abs=1)  # centred across
