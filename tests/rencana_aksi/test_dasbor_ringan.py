"""The RAD dashboard's cost does not grow with the plan: the grouped figures read only the year
shown (every year when the years are compared or downloaded), the late reports are counted per
agency on the page and listed by code only in the XLSX; the figures stay the same."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rencana_aksi import pemantauan, selectors
from rencana_aksi.models import Aksi
from tests.rencana_aksi.bantu import JT, halaman, xlsx
from tests.rencana_aksi.test_dasbor import periode, rencana  # noqa: F401 (fixtures)
from tests.rencana_aksi.test_kecepatan import _acak_aksi


def _dasbor(plan, **query):
    return halaman("dasbor", plan.pk, tahun=2025, **query)


def _tabel(response) -> dict:
    return {t.nama: t for t in response.context["tabel"]}


def test_the_grouped_figures_read_the_year_shown_unless_the_years_are_compared(
    client,
    bappeda,
    rencana,  # noqa: F811
):
    client.force_login(bappeda)
    with CaptureQueriesContext(connection) as q:
        response = client.get(_dasbor(rencana))
    sql = " ".join(x["sql"] for x in q.captured_queries)
    assert "k2025_" in sql and "k2026_" not in sql
    assert "rad-per-tahun" not in _tabel(response)
    assert response.context["grafik_tahun"] == ""
    page = response.content.decode()
    assert "antartahun=1" in page and "unduh=rad-per-tahun" in page
    # the cards are the year's figures all the same
    kota = response.context["kota"]
    assert (kota.aksi, kota.rata_capaian, kota.pagu, kota.terserap) == (
        3,
        D("56.7"),
        D(350) * JT,
        D(250) * JT,
    )

    compared = client.get(_dasbor(rencana, antartahun=1))
    assert "<svg" in compared.context["grafik_tahun"]
    assert [r["sel"][0] for r in _tabel(compared)["rad-per-tahun"].baris] == [
        str(t) for t in rencana.tahun_list
    ]
    assert 'name="antartahun" value="1"' in compared.content.decode()  # kept on a new year


def test_the_years_download_whole_from_the_page_that_does_not_compare_them(
    client,
    bappeda,
    rencana,  # noqa: F811
):
    client.force_login(bappeda)
    rows = xlsx(client.get(_dasbor(rencana, unduh="rad-per-tahun")))
    per_tahun = {r[0]: r for r in rows[1:]}
    assert list(per_tahun) == [str(t) for t in rencana.tahun_list]
    assert per_tahun["2025"][1:7] == [3, 56.7, 350_000_000, 250_000_000, 71.4, 2]
    assert per_tahun["2026"][1:4] == [3, None, 0]


def test_late_reports_are_counted_per_agency_and_listed_in_the_xlsx(
    client,
    bappeda,
    rencana,  # noqa: F811
):
    client.force_login(bappeda)
    response = client.get(_dasbor(rencana))
    belum = _tabel(response)["opd-belum-melapor"]
    assert [str(k.label) for k in belum.kolom] == ["OPD", "Aksi belum dilaporkan"]
    assert [r["sel"] for r in belum.baris] == [["Dinkes", 2]]
    assert "terlambat=1" in belum.baris[0]["tautan"]
    rows = xlsx(client.get(_dasbor(rencana, unduh="opd-belum-melapor")))
    assert rows == [["OPD", "Aksi belum dilaporkan", "Kode aksi"], ["Dinkes", 2, "A1, A3"]]


@pytest.mark.parametrize(
    "hari_ini",
    [datetime.date(2025, 4, 16), datetime.date(2025, 10, 16), datetime.date(2026, 1, 16)],
)
def test_the_late_counted_in_the_grouped_query_are_those_listed(
    periode,  # noqa: F811
    dinkes,
    dinsos,
    hari_ini,
):
    _acak_aksi(periode, dinkes, 60)
    _acak_aksi(periode, dinsos, 30, seed=41, awalan="S")
    aksi = Aksi.objects.filter(periode=periode)
    tw = pemantauan.triwulan_jatuh_tempo(2025, hari_ini)[-1]
    dihitung = selectors._belum_per_opd(selectors._kelompok(aksi, [2025], hari_ini, (2025, tw)))
    didaftar = selectors._belum_lapor(aksi, 2025, tw, hari_ini)
    _tw, dalam_python = pemantauan.opd_belum_lapor(
        pemantauan.muat(aksi, 2025, hari_ini), 2025, hari_ini
    )
    assert [(r["opd"].singkatan, r["jumlah"]) for r in dihitung] == [
        (r["opd"].singkatan, len(r["aksi"])) for r in dalam_python
    ]
    assert [(r["opd"].singkatan, r["jumlah"]) for r in didaftar] == [
        (r["opd"].singkatan, r["jumlah"]) for r in dihitung
    ]
    # The home page's lean count (belum_lapor_kota) gives the same rows.
    beranda = pemantauan.telat_per_opd(aksi, 2025, tw, hari_ini)
    assert [(r["opd"].singkatan, r["jumlah"]) for r in beranda] == [
        (r["opd"].singkatan, r["jumlah"]) for r in dihitung
    ]
    assert sum(r["jumlah"] for r in dihitung) > 0
