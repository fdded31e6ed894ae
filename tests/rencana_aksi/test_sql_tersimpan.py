"""The dashboard's and the list's queries whose SQL is built once (sql_tersimpan.baca_tersimpan)
read exactly what the same querysets read when built afresh, for each reader, day and filter,
and see the data as it is when they run."""

import datetime
from dataclasses import astuple

import pytest
from django.db import connection
from django.db.models.functions import Coalesce
from django.test.utils import CaptureQueriesContext

from kla_portal import sql_tersimpan
from rencana_aksi import pemantauan, selectors
from rencana_aksi.models import Aksi
from rencana_aksi.saringan import Saringan
from tests.rencana_aksi.bantu import halaman
from tests.rencana_aksi.test_dasbor import periode  # noqa: F401 (fixture)
from tests.rencana_aksi.test_kecepatan import _acak_aksi

HARI = [datetime.date(2025, 4, 16), datetime.date(2025, 10, 16), datetime.date(2026, 1, 16)]


@pytest.fixture(autouse=True)
def sql_kosong():
    sql_tersimpan._SQL_TERSIMPAN.clear()
    yield
    sql_tersimpan._SQL_TERSIMPAN.clear()


def _kelompok_langsung(aksi, tahun_list, hari_ini) -> list[dict]:
    kolom, agregat = {}, {}
    for t in tahun_list:
        kolom |= pemantauan.angka_sql(t, hari_ini, hanya=pemantauan.DIJUMLAH)
        agregat |= pemantauan.agregat_sql(t)
    return list(
        aksi.alias(**kolom)
        .values("opd_utama_id", "opd_utama__singkatan", "klaster")
        .annotate(**agregat)
        .order_by()
    )


def _urut(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda r: (r["opd_utama_id"], r["klaster"]))


@pytest.mark.parametrize("hari_ini", HARI)
def test_the_kept_sql_reads_what_the_querysets_read(periode, dinkes, dinsos, hari_ini):  # noqa: F811
    _acak_aksi(periode, dinkes, 80)
    _acak_aksi(periode, dinsos, 40, seed=41, awalan="S")
    aksi = Aksi.objects.filter(periode=periode)
    tahun_list = periode.tahun_list
    for _kali in range(2):  # built, then read from the kept SQL
        assert _urut(selectors._kelompok(aksi, tahun_list, hari_ini)) == _urut(
            _kelompok_langsung(aksi, tahun_list, hari_ini)
        )
        for tahun in (2025, 2026):
            angka = pemantauan.dengan_angka(aksi, tahun, hari_ini)
            berisiko = [
                pemantauan.keadaan_baris(a, tahun, hari_ini)
                for a in angka.filter(**{f"k{tahun}_berisiko": True})
                .select_related("opd_utama")
                .order_by(Coalesce(f"k{tahun}_persen10", 0), "kode")
            ]
            assert selectors._berisiko(aksi, tahun, hari_ini, None) == berisiko
            assert selectors._berisiko(aksi, tahun, hari_ini, 5) == berisiko[:5]
            for saring in (
                Saringan(),
                Saringan(berisiko=True),
                Saringan(terlambat=True, q="acak 1"),
                Saringan(q="tidak ada aksi seperti ini"),
            ):

                def terapkan(qs, s=saring, t=tahun):
                    return s.terapkan(qs, t)

                tersimpan = pemantauan.jumlah_tersimpan(
                    aksi, tahun, hari_ini, terapkan, astuple(saring)
                )
                assert tersimpan == pemantauan.jumlah_sql(saring.terapkan(angka, tahun), tahun)


def test_each_reader_and_day_has_its_own_sql_and_sees_new_data(
    periode,  # noqa: F811
    dinkes,
    dinsos,
):
    _acak_aksi(periode, dinkes, 20)
    hari_ini = HARI[1]
    semua = Aksi.objects.filter(periode=periode)
    milik_dinsos = semua.filter(opd_utama=dinsos)
    assert sum(r["k2025_n_aksi"] for r in selectors._kelompok(semua, [2025], hari_ini)) == 20
    assert selectors._kelompok(milik_dinsos, [2025], hari_ini) == []
    _acak_aksi(periode, dinsos, 7, awalan="S")
    assert sum(r["k2025_n_aksi"] for r in selectors._kelompok(semua, [2025], hari_ini)) == 27
    assert sum(r["k2025_n_aksi"] for r in selectors._kelompok(milik_dinsos, [2025], hari_ini)) == 7
    lain_hari = selectors._kelompok(semua, [2025], HARI[2])
    assert _urut(lain_hari) == _urut(_kelompok_langsung(semua, [2025], HARI[2]))
    assert len(sql_tersimpan._SQL_TERSIMPAN) == 3


def test_the_dashboard_and_list_read_the_same_queries_built_or_kept(
    client,
    bappeda,
    periode,  # noqa: F811
    dinkes,
    django_assert_num_queries,
):
    _acak_aksi(periode, dinkes, 10)
    client.force_login(bappeda)
    dasbor = halaman("dasbor", periode.pk, tahun=2025)
    daftar = halaman("aksi-list", periode.pk, tahun=2025)
    client.get(daftar)  # warm the content-type cache
    sql_tersimpan._SQL_TERSIMPAN.clear()
    with CaptureQueriesContext(connection) as dibangun:
        pertama = client.get(dasbor)
    with CaptureQueriesContext(connection) as dibangun_daftar:
        client.get(daftar)
    _acak_aksi(periode, dinkes, 100, seed=7, awalan="B")
    # the same queries, now read from the kept SQL, with eleven times the actions: the 7 of
    # every page, the period; the grouped figures (with those late), the actions at risk
    # shown, the city budget
    with django_assert_num_queries(len(dibangun)) as disimpan:
        kedua = client.get(dasbor)

    def rad(queries):
        return [q["sql"] for q in queries.captured_queries if "rencana_aksi_aksi" in q["sql"]]

    assert len(rad(disimpan)) == 2 and rad(disimpan) == rad(dibangun)
    assert (pertama.context["kota"].aksi, kedua.context["kota"].aksi) == (10, 110)
    # the list: the 7 of every page, the periods, the page's actions with their count, their
    # supporting agencies and KLA codes, the totals, the agencies and codes offered
    with django_assert_num_queries(len(dibangun_daftar)):
        assert client.get(daftar).context["ringkas"].aksi == 110
