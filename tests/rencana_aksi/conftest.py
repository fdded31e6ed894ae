"""Fixtures of the RAD page tests: a plan in force and actions of three agencies."""

import pytest

from rencana_aksi import services
from rencana_aksi.models import Klaster, PeriodeRad
from tests.conftest import berkas
from tests.rencana_aksi.bantu import TAHUN, buat_aksi


@pytest.fixture
def periode(sekretariat) -> PeriodeRad:
    """A plan that started last year, so last year's and this year's quarters are in it."""
    return services.periode_buat(
        tahun_mulai=TAHUN - 1,
        by=sekretariat,
        dasar_hukum="Peraturan Wali Kota Serang Nomor 12 Tahun 2025",
        dokumen=berkas("perwal-rad.pdf"),
    )


@pytest.fixture
def aksi_dinkes(periode, dinkes, sekretariat):
    """Dinas Kesehatan's action, nobody supporting it."""
    return buat_aksi(periode, "K3.01", dinkes, sekretariat, nama="Puskesmas ramah anak")


@pytest.fixture
def aksi_dinsos(periode, dinsos, sekretariat):
    """Dinas Sosial's action, nobody supporting it."""
    return buat_aksi(
        periode,
        "K5.01",
        dinsos,
        sekretariat,
        klaster=Klaster.KLASTER_5,
        indikator=("Indikator 21 C",),
        nama="Penjangkauan anak jalanan",
    )


@pytest.fixture
def aksi_dinsos_didukung_dinkes(periode, dinsos, dinkes, sekretariat):
    return buat_aksi(
        periode,
        "K5.02",
        dinsos,
        sekretariat,
        pendukung=[dinkes],
        klaster=Klaster.KLASTER_5,
        indikator=("Indikator 23 A",),
        nama="Rehabilitasi anak disabilitas",
    )
