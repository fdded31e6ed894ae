"""The agency's inbox (rencana_aksi.kotak) reads its counts and its page through SQL built
once (sql_tersimpan.baca_tersimpan): the same rows as the querysets built afresh, the new data
when it runs again, no COUNT of the paginator's own; and its rows print what the template
printed before (address, name cut at 120 characters, target, due date)."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kla_portal import sql_tersimpan
from rencana_aksi import kotak as inbox
from tests.rencana_aksi.bantu import SEKARANG, buat_aksi, halaman
from tests.rencana_aksi.test_dasbor import periode  # noqa: F401 (fixture)
from tests.rencana_aksi.test_kecepatan import _acak_aksi

HARI = datetime.date(2026, 8, 1)


@pytest.fixture(autouse=True)
def sql_kosong():
    sql_tersimpan._SQL_TERSIMPAN.clear()
    yield
    sql_tersimpan._SQL_TERSIMPAN.clear()


def _baris_langsung(opd_ids, kategori, awal, akhir) -> list[dict]:
    return list(inbox._baris_laporan(opd_ids, HARI, kategori)[awal:akhir])


def test_the_kept_sql_reads_the_rows_and_counts_of_the_querysets(
    periode,  # noqa: F811
    dinkes,
    operator_dinkes,
    monkeypatch,
):
    _acak_aksi(periode, dinkes, 40)
    monkeypatch.setattr(inbox, "LAPORAN_PER_HALAMAN", 9)
    opd_ids = {dinkes.pk}
    for _kali in range(2):  # built, then read from the kept SQL
        for kategori in ("", *dict(inbox.KATEGORI)):
            kotak = inbox.kotak_laporan(
                user=operator_dinkes, kategori=kategori, hari_ini=HARI, halaman=2
            )
            awal = kotak.halaman.start_index() - 1
            langsung = _baris_langsung(opd_ids, kategori, awal, awal + 9)
            assert [(i["aksi"].pk, i["tahun"], i["triwulan"]) for i in kotak.items] == [
                (r["pk"], r["l_tahun"], r["l_tw"]) for r in langsung
            ]
            assert (
                kotak.halaman.paginator.count
                == inbox._baris_laporan(opd_ids, HARI, kategori).count()
            )


def test_the_kept_sql_sees_new_actions_and_asks_no_count_of_its_own(
    periode,  # noqa: F811
    dinkes,
    operator_dinkes,
):
    _acak_aksi(periode, dinkes, 10)
    sebelum = inbox.kotak_laporan(user=operator_dinkes, kategori="", hari_ini=HARI)
    _acak_aksi(periode, dinkes, 10, seed=7, awalan="B")
    with CaptureQueriesContext(connection) as kueri:
        sesudah = inbox.kotak_laporan(user=operator_dinkes, kategori="", hari_ini=HARI)
    assert sesudah.jumlah > sebelum.jumlah
    assert sesudah.halaman.paginator.count == sesudah.jumlah
    # the counts (one query a year of the window), the page, its actions
    assert len(kueri) == 3
    assert not any("SELECT COUNT(*)" in q["sql"] for q in kueri.captured_queries)


def test_each_row_prints_its_address_cut_name_target_and_due_date(
    client,
    periode,  # noqa: F811
    dinkes,
    operator_dinkes,
    sekretariat,
):
    panjang = "Pelayanan " + "ramah anak " * 15
    aksi = buat_aksi(periode, "K3.09", dinkes, sekretariat, nama=panjang, target=D("1250.5"))
    client.force_login(operator_dinkes)
    response = client.get(halaman("laporan"))
    html = response.content.decode()
    item, *_lain = [i for i in response.context["items"] if i["aksi"] == aksi]
    tahun, tw = item["tahun"], item["triwulan"]
    assert (tahun, tw) <= SEKARANG
    assert item["url"] == reverse("rencana_aksi:realisasi", args=[aksi.pk, tahun, tw])
    assert f'<a href="{item["url"]}">K3.09 · {panjang[:119]}…</a>' in html
    assert "target 1.250,5 layanan" in html  # 1250,5 as typed (issue 15), was 1.250,50
    assert item["batas_teks"] in html and item["batas_teks"].endswith(str(item["batas"].year))
