"""The answers import tests' three questions."""

import pytest


@pytest.fixture
def soal(soal_dinkes, soal_dinsos, soal_kelurahan):
    """Graded (Dinkes, max 8), direct points (Dinsos, max 8), per-kelurahan coverage (DP3A)."""
    return soal_dinkes, soal_dinsos, soal_kelurahan
