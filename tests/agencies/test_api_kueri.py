"""The agencies' and regions' API lists cost the same number of queries at two sizes."""

import pytest

from tests.conftest import OpdFactory


def _hitung(client, alamat) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as kueri:
        assert client.get(alamat).status_code == 200
    return len(kueri.captured_queries)


@pytest.mark.parametrize(
    "alamat", ["/api/v1/opd/?page_size=200", "/api/v1/wilayah/?page_size=200", "/api/v1/saya/"]
)
def test_agency_and_region_lists_do_not_grow(client, sekretariat, kota_serang, alamat):
    client.force_login(sekretariat)
    OpdFactory.create_batch(2, wilayah=kota_serang)
    kecil = _hitung(client, alamat)
    OpdFactory.create_batch(40, wilayah=kota_serang)
    assert _hitung(client, alamat) == kecil
