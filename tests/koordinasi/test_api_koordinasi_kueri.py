"""The coordination API's query counts: the lists of meetings and follow-ups and a meeting's
detail ask the database as often with few rows as with many (test_api_koordinasi.py
has the rest)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import Opd
from koordinasi import services
from koordinasi.models import Rapat
from tests.conftest import OpdFactory
from tests.koordinasi.conftest import data_rapat


def _banyak_rapat(gugus, sekretariat, n: int, dari: int = 0) -> Rapat:
    opd = [OpdFactory() for _ in range(3)]
    rapat = None
    for i in range(dari, dari + n):
        rapat = services.rapat_jadwalkan(
            gugus_tugas=gugus,
            data=data_rapat(f"Rakor {i}", hari=-(i + 1)),
            opd=opd,
            by=sekretariat,
            kabari=False,
        )
        for o in opd:
            services.tindak_lanjut_tambah(
                rapat=rapat,
                keputusan=f"Keputusan {i}",
                opd=o,
                tenggat=timezone.localdate() + datetime.timedelta(days=5),
                by=sekretariat,
                kabari=False,
            )
    return rapat


def _hitung(client, url) -> int:
    with CaptureQueriesContext(connection) as kueri:
        assert client.get(url).status_code == 200
    return len(kueri)


@pytest.mark.parametrize("url", ["/api/v1/rapat/", "/api/v1/tindak-lanjut/"])
def test_list_queries_do_not_grow_with_the_data(
    client, sekretariat, gugus_kota, url, django_assert_num_queries
):
    client.force_login(sekretariat)
    _banyak_rapat(gugus_kota, sekretariat, 2)
    client.get(url)  # the session and memberships warm up the same way both times
    sedikit = _hitung(client, url)
    _banyak_rapat(gugus_kota, sekretariat, 6, dari=2)
    with django_assert_num_queries(sedikit):
        assert client.get(url).status_code == 200


def test_detail_queries_do_not_grow_with_invitations(
    client, operator_dinkes, dinkes, gugus_kota, sekretariat, django_assert_num_queries
):
    client.force_login(operator_dinkes)
    kecil = services.rapat_jadwalkan(
        gugus_tugas=gugus_kota,
        data=data_rapat("Kecil", hari=-1),
        opd=[dinkes],
        by=sekretariat,
        kabari=False,
    )
    besar = services.rapat_jadwalkan(
        gugus_tugas=gugus_kota,
        data=data_rapat("Besar", hari=-2),
        opd=[dinkes, *(OpdFactory() for _ in range(8))],
        by=sekretariat,
        kabari=False,
    )
    for o in Opd.objects.all()[:5]:
        services.tindak_lanjut_tambah(
            rapat=besar,
            keputusan="Keputusan",
            opd=o,
            tenggat=timezone.localdate(),
            by=sekretariat,
            kabari=False,
        )
    n = _hitung(client, f"/api/v1/rapat/{kecil.pk}/")
    with django_assert_num_queries(n):
        assert client.get(f"/api/v1/rapat/{besar.pk}/").status_code == 200
