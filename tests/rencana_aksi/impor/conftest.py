"""The RAD import tests' plan (from last year, made by Bappeda) and two actions."""

import pytest

from rencana_aksi import services
from rencana_aksi.models import Aksi, PeriodeRad
from tests.rencana_aksi.impor.bantu import T0, data_aksi


@pytest.fixture
def periode(bappeda) -> PeriodeRad:
    return services.periode_buat(tahun_mulai=T0, by=bappeda)


@pytest.fixture
def aksi_dinkes(periode, dinkes, bappeda) -> Aksi:
    """An action Dinas Kesehatan leads: 50 % this year, Rp 100 million from the APBD."""
    return services.aksi_simpan(periode=periode, data=data_aksi("A.1", dinkes), by=bappeda)[0]


@pytest.fixture
def aksi_dinsos(periode, dinsos, bappeda) -> Aksi:
    return services.aksi_simpan(periode=periode, data=data_aksi("B.1", dinsos), by=bappeda)[0]
