"""Files, people and helpers of the RAD import tests."""

import io
from decimal import Decimal

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from kla_portal import pekerjaan as pekerjaan_services
from kla_portal.ekspor import buku_xlsx
from kla_portal.models import Pekerjaan
from rencana_aksi import impor
from rencana_aksi.models import Aksi, Realisasi, TargetTahunan
from rencana_aksi.services import DataAksi

D = Decimal
TAHUN = timezone.localdate().year  # the plan runs from last year, so it has past and future
TW_KINI = (timezone.localdate().month - 1) // 3 + 1
T0, T1 = TAHUN - 1, TAHUN
PERIODE = f"RAD KLA {T0}–{T0 + 4}"

KOLOM = [
    "kode_aksi",
    "aksi",
    "klaster",
    "indikator_kla",
    "indikator_kinerja",
    "satuan",
    "opd",
    "opd_pendukung",
    f"target_{T1}",
    f"pagu_{T1}",
    f"sumber_{T1}",
]
# A valid plan: a new Dinkes action and a new Dinsos one, targets and ceilings for this year.
VALID = [
    [
        "K3.1",
        "Puskesmas ramah anak",
        "Klaster III",
        "Indikator 15; indikator 16",
        "Puskesmas ramah anak",
        "puskesmas",
        "Dinkes",
        "Dinsos",
        12,
        "1.250.000.000",
        "APBD",
    ],
    [
        "K2.1",
        "Layanan PUSPAGA",
        "klaster_2",
        "Indikator 8",
        "Keluarga terlayani",
        "keluarga",
        "Dinas Sosial",
        None,
        "1.500,5",
        250_000_000,
        "dak",
    ],
]
KOLOM_REALISASI = ["kode_aksi", "tahun", "triwulan", "capaian", "anggaran", "uraian"]


def xlsx(rows, kolom=KOLOM) -> bytes:
    return buku_xlsx("RAD", kolom, rows)


def periksa(content: bytes, periode, pengguna, name="rad.xlsx"):
    return impor.periksa_berkas(name, content, periode=periode, pengguna=pengguna)


def jumlah() -> tuple[int, int, int]:
    return Aksi.objects.count(), TargetTahunan.objects.count(), Realisasi.objects.count()


def galat(laporan) -> list[str]:
    return [str(g) for g in laporan.galat]


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_rad", *args, stdout=out)
    return out.getvalue()


def data_aksi(kode, opd, **values) -> DataAksi:
    defaults = {
        "nama": f"Aksi {kode}",
        "klaster": "klaster_3",
        "indikator_kinerja": "Cakupan layanan",
        "satuan": "persen",
        "opd_utama": opd,
        "indikator_kla": ["Indikator 15"],
        "target": {T1: (D(50), D(100_000_000), "apbd")},
    }
    return DataAksi(kode=kode, **(defaults | values))


def merged_header() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["kode_aksi", "aksi", f"target_{T1}", None, "opd"])
    sheet.merge_cells("C1:D1")
    sheet.append(["A.1", "Aksi", 1, 2, "Dinkes"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def two_sheets() -> bytes:
    """A workbook whose first sheet is the instructions; the plan is on the second."""
    book = openpyxl.Workbook()
    book.active.title = "Petunjuk"
    book.active.append(["Isi lembar Rencana, lalu unggah ke portal."])
    rencana = book.create_sheet("Rencana")
    rencana.append(KOLOM)
    for row in VALID:
        rencana.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def realisasi_rows(*rows):
    return xlsx(list(rows), KOLOM_REALISASI)


def besar(n: int, opd_nama: str = "Dinkes") -> bytes:
    rows = [
        [
            f"X.{i:04d}",
            f"Aksi {i}",
            "Klaster IV",
            "Indikator 18",
            "Sekolah",
            "sekolah",
            opd_nama,
            None,
            i % 7,
            1_000_000 * i,
            "APBD",
        ]
        for i in range(1, n + 1)
    ]
    return xlsx(rows)


def job_for(user) -> Pekerjaan:
    return pekerjaan_services.buat(jenis="impor_rad", judul="Impor rencana", by=user)


def upload(client, periode, content, name="rad.xlsx"):
    return client.post(
        reverse("rencana_aksi:impor", args=[periode.pk]),
        {"berkas": SimpleUploadedFile(name, content)},
    )


def confirm(client, periode, token, follow=True):
    return client.post(
        reverse("rencana_aksi:impor-konfirmasi", args=[periode.pk]), {"token": token}, follow=follow
    )
