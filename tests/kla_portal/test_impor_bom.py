"""A workbook that unpacks into hundreds of megabytes, or holds too many rows, is refused by
every import before it is read whole: quickly, with memory flat, nothing imported."""

import io
import json
import os
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clusters.models import Jawaban, Pertanyaan
from kla_portal.tabel import baca_tabel

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024

_BAGIAN = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Jawaban" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}
BARIS = b'<row><c t="inlineStr"><is><t>Indikator 15</t></is></c><c><v>4</v></c></row>'


class _DeflateBerulang:
    """Deflate that ends each write on a byte boundary with its window reset: the compressed
    form of a repeated chunk is computed once and written again, so a 300 MB sheet is built
    in a fraction of a second (zipfile still counts its size and CRC honestly)."""

    def __init__(self):
        self._z = zlib.compressobj(9, zlib.DEFLATED, -15)
        self._sudah: dict[bytes, bytes] = {}

    def compress(self, data: bytes) -> bytes:
        if data not in self._sudah:
            self._sudah[data] = self._z.compress(data) + self._z.flush(zlib.Z_FULL_FLUSH)
        return self._sudah[data]

    def flush(self) -> bytes:
        return self._z.flush(zlib.Z_FINISH)


def buku_bom(*, baris_per_potong: int, potong: int, dimensi: str = "") -> bytes:
    """A valid workbook (every zip part in place) whose one sheet holds a header and
    ``baris_per_potong * potong`` rows, written to the zip as a stream."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as arsip:
        for nama, isi in _BAGIAN.items():
            arsip.writestr(nama, isi)
        with arsip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as lembar:
            lembar._compressor = _DeflateBerulang()
            lembar.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns='
                b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                + (f'<dimension ref="{dimensi}"/>'.encode() if dimensi else b"")
                + b'<sheetData><row><c t="inlineStr"><is><t>kode_indikator</t></is></c>'
                b'<c t="inlineStr"><is><t>poin</t></is></c></row>'
            )
            potongan = BARIS * baris_per_potong
            for _ in range(potong):
                lembar.write(potongan)
            lembar.write(b"</sheetData></worksheet>")
    return out.getvalue()


def bom_300_mb() -> bytes:
    return buku_bom(baris_per_potong=MB // len(BARIS), potong=300)


def test_the_bomb_is_a_real_workbook_of_300_mb():
    isi = bom_300_mb()
    assert len(isi) < 2 * MB
    with zipfile.ZipFile(io.BytesIO(isi)) as arsip:
        assert arsip.getinfo("xl/worksheets/sheet1.xml").file_size > 300 * 1000 * 1000
    kecil = buku_bom(baris_per_potong=3, potong=1)
    lembar = openpyxl.load_workbook(io.BytesIO(kecil), read_only=True).active
    assert [[c.value for c in row] for row in lembar.rows] == [
        ["kode_indikator", "poin"],
        *[["Indikator 15", 4]] * 3,
    ]


UKUR = """
import json, resource, sys, time
import django
django.setup()
from django.core.exceptions import ValidationError
from kla_portal.tabel import baca_tabel

isi = open(sys.argv[1], "rb").read()
sebelum = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
mulai = time.monotonic()
try:
    baca_tabel("jawaban.xlsx", isi)
    pesan = ""
except ValidationError as error:
    pesan = error.messages[0]
print(json.dumps({
    "pesan": pesan,
    "detik": time.monotonic() - mulai,
    "kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - sebelum,
}))
"""


def test_a_300_mb_sheet_is_refused_at_once_with_memory_flat(tmp_path):
    berkas = tmp_path / "jawaban.xlsx"
    berkas.write_bytes(bom_300_mb())
    hasil = subprocess.run(
        [sys.executable, "-c", UKUR, str(berkas)],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "kla_portal.settings"},
        capture_output=True,
        text=True,
        timeout=120,  # reading the sheet whole takes minutes and gigabytes
    )
    assert hasil.returncode == 0, hasil.stderr
    ukur = json.loads(hasil.stdout.strip().splitlines()[-1])
    assert ukur["pesan"] == (
        "jawaban.xlsx terlalu besar untuk diimpor: lembarnya berisi 300 MB data bila dibuka, "
        "batasnya 50 MB. Bagi menjadi beberapa berkas."
    )
    assert ukur["detik"] < 2
    assert ukur["kb"] < 20 * 1024  # peak memory grew by less than 20 MB


def test_a_sheet_packed_unnaturally_tight_is_refused_under_the_size_limit():
    isi = buku_bom(baris_per_potong=MB // len(BARIS), potong=20)  # 20 MB in ~70 KB
    with pytest.raises(ValidationError, match="mengembang tidak wajar saat dibuka"):
        baca_tabel("jawaban.xlsx", isi)


def test_a_sheet_declaring_a_million_rows_is_refused_without_reading_them(settings):
    isi = buku_bom(baris_per_potong=10, potong=1, dimensi="A1:B1000000")
    with pytest.raises(ValidationError) as refused:
        baca_tabel("jawaban.xlsx", isi)
    assert refused.value.messages == [
        "jawaban.xlsx berisi lebih dari 20000 baris; sekali impor paling banyak 20000 baris. "
        "Bagi menjadi beberapa berkas."
    ]


def test_rows_past_the_limit_are_counted_while_they_stream_in(settings):
    settings.IMPOR_MAKS_BARIS = 100
    isi = buku_bom(baris_per_potong=101, potong=1)  # no <dimension>: only counting finds it
    with pytest.raises(ValidationError, match="lebih dari 100 baris"):
        baca_tabel("jawaban.xlsx", isi)
    assert len(baca_tabel("jawaban.xlsx", buku_bom(baris_per_potong=100, potong=1))) == 100


def test_a_csv_past_the_row_limit_is_refused(settings):
    settings.IMPOR_MAKS_BARIS = 100
    csv = b"kode_indikator;poin\n" + b"Indikator 15;4\n" * 101
    with pytest.raises(ValidationError, match="lebih dari 100 baris"):
        baca_tabel("jawaban.csv", csv)


# --- Every import refuses it and writes nothing -------------------------------------------


def _unggah(client, url, isi, nama="bom.xlsx"):
    return client.post(url, {"berkas": SimpleUploadedFile(nama, isi)})


def test_the_answer_import_refuses_the_bomb(client, sekretariat, tahun_2024):
    jumlah = Jawaban.objects.count()
    client.force_login(sekretariat)
    response = _unggah(client, reverse("clusters:impor-jawaban", args=[2024]), bom_300_mb())
    assert "bom.xlsx terlalu besar untuk diimpor" in response.content.decode()
    assert response.context.get("token") is None
    assert Jawaban.objects.count() == jumlah


def test_the_instrument_import_refuses_the_bomb(client, sekretariat, tahun_2024):
    jumlah = Pertanyaan.objects.count()
    client.force_login(sekretariat)
    response = _unggah(client, reverse("clusters:instrumen-unggah", args=[2024]), bom_300_mb())
    assert "bom.xlsx terlalu besar untuk diimpor" in response.content.decode()
    assert response.context.get("token") is None
    assert Pertanyaan.objects.count() == jumlah
