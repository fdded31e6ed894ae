"""Files and helpers of the answers import tests."""

import io
from decimal import Decimal
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from clusters import impor_jawaban
from kla_portal.ekspor import buku_xlsx
from kla_portal.tabel import baca_tabel

FILE_2024 = Path(__file__).resolve().parents[3] / "clusters" / "data" / "instrumen_kla_2024.csv"
KOLOM = ["kode_indikator", "kode_pertanyaan", "poin", "cakupan_persen", "catatan"]
IND = "Indikator 15"


def xlsx(rows, kolom=KOLOM) -> bytes:
    return buku_xlsx("Jawaban", kolom, rows)


def periksa(content: bytes, tahun, pengguna, name="jawaban.xlsx"):
    return impor_jawaban.periksa(baca_tabel(name, content), tahun=tahun, pengguna=pengguna)


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_jawaban", *args, stdout=out)
    return out.getvalue()


VALID = [
    [IND, "Pertanyaan 1", 6, None, "Data Puskesmas 2024"],
    [IND, "Pertanyaan 2", 3.5, None, None],
    [IND, "Pertanyaan 3", None, 50, None],
]


def upload(client, content, tahun=2024, name="jawaban.xlsx"):
    return client.post(
        reverse("clusters:impor-jawaban", args=[tahun]),
        {"berkas": SimpleUploadedFile(name, content)},
    )


def confirm(client, token, tahun=2024):
    return client.post(
        reverse("clusters:impor-jawaban-konfirmasi", args=[tahun]), {"token": token}, follow=True
    )


SEN = Decimal("0.01")
FRAKSI = [Decimal(1), Decimal("0.75"), Decimal("0.5"), Decimal("0.25"), Decimal(0)]
PERSEN = [Decimal(100), Decimal("62.5"), Decimal(0), Decimal("33.33")]
