"""A small open evaluation year: three questions, their agencies, a kecamatan office."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agencies.models import Opd, Peran
from clusters.models import Indikator, Kelompok, Penugasan, Pertanyaan, TahunEvaluasi
from tests.conftest import OpdFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


def berkas(name: str = "sk-gugus-tugas.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def tahun(db) -> TahunEvaluasi:
    return TahunEvaluasi.objects.create(
        tahun=2024, dibuka=True, batas_waktu=timezone.now() + datetime.timedelta(days=30)
    )


@pytest.fixture
def indikator(tahun) -> Indikator:
    kelompok = Kelompok.objects.create(tahun=tahun, nama="KLASTER III", urutan=4)
    return Indikator.objects.create(
        tahun=tahun,
        kelompok=kelompok,
        kode="Indikator 15",
        nama="Pelayanan kesehatan ramah anak",
        urutan=1,
        nilai_max=Decimal(20),
    )


def _pertanyaan(indikator, kode, **values) -> Pertanyaan:
    defaults = {
        "teks": f"{kode}: apakah tersedia layanan? (Lampirkan SK dan foto kegiatan)",
        "urutan": 1,
        "nilai_max": Decimal(8),
        "lingkup": Pertanyaan.Lingkup.KABKOTA,
        "cara_penilaian": Pertanyaan.CaraPenilaian.OPSI,
        "wajib_lampiran": True,
        "petunjuk_lampiran": "Lampirkan SK dan foto kegiatan",
    }
    return Pertanyaan.objects.create(
        tahun=indikator.tahun, indikator=indikator, kode=kode, **(defaults | values)
    )


@pytest.fixture
def soal_dinkes(indikator, dinkes, dinsos) -> Pertanyaan:
    """A graded question led by Dinas Kesehatan, supported by Dinas Sosial, evidence required."""
    pertanyaan = _pertanyaan(indikator, "Pertanyaan 1", minta_angka=True, dua_tahun=True)
    Penugasan.objects.create(pertanyaan=pertanyaan, opd=dinkes, utama=True)
    Penugasan.objects.create(pertanyaan=pertanyaan, opd=dinsos, utama=False)
    return pertanyaan


@pytest.fixture
def soal_dinsos(indikator, dinsos) -> Pertanyaan:
    """Points given directly, led by Dinas Sosial, no evidence required."""
    pertanyaan = _pertanyaan(
        indikator,
        "Pertanyaan 2",
        cara_penilaian=Pertanyaan.CaraPenilaian.LANGSUNG,
        wajib_lampiran=False,
        petunjuk_lampiran="",
    )
    Penugasan.objects.create(pertanyaan=pertanyaan, opd=dinsos, utama=True)
    return pertanyaan


@pytest.fixture
def soal_kelurahan(indikator, dp3a, kota_serang) -> Pertanyaan:
    """A per-kelurahan question scored on coverage, led by the child-protection agency."""
    pertanyaan = _pertanyaan(
        indikator,
        "Pertanyaan 3",
        lingkup=Pertanyaan.Lingkup.DESA_KELURAHAN,
        cara_penilaian=Pertanyaan.CaraPenilaian.CAKUPAN,
        teks="Berapa persentase kelurahan yang memiliki PATBM? (Lampirkan SK PATBM)",
    )
    Penugasan.objects.create(pertanyaan=pertanyaan, opd=dp3a, utama=True)
    return pertanyaan


@pytest.fixture
def kantor_kec_serang(kota_serang) -> Opd:
    from agencies.models import Wilayah

    return OpdFactory(
        nama="Kecamatan Serang",
        singkatan="Kec. Serang",
        jenis=Opd.Jenis.KECAMATAN,
        wilayah=Wilayah.objects.get(kode="36.73.01"),
    )


@pytest.fixture
def camat_serang(make_person, kantor_kec_serang):
    return make_person("camat.serang", Peran.KEPALA_OPD, opd=kantor_kec_serang, nama="Camat Serang")
