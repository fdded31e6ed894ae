"""The RAD action list reads a page's actions by code first and only then their figures; the
count under the list is the totals line's, with no COUNT of its own."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from rencana_aksi import daftar as daftar_aksi
from rencana_aksi.models import Aksi
from tests.rencana_aksi.bantu import TAHUN, buat_aksi, halaman


def kode_di(response) -> list[str]:
    return [row["k"].aksi.kode for row in response.context["baris"]]


def test_an_agency_pages_through_the_actions_it_leads_or_supports_by_code(
    client, operator_dinkes, dinkes, dinsos, sekretariat, periode, monkeypatch
):
    monkeypatch.setattr(daftar_aksi, "PER_HALAMAN", 2)
    for kode in ("K3.03", "K3.01", "K3.02"):
        buat_aksi(periode, kode, dinkes, sekretariat)
    didukung = buat_aksi(periode, "K5.02", dinsos, sekretariat)
    didukung.opd_pendukung.add(dinkes)
    buat_aksi(periode, "K5.01", dinsos, sekretariat)  # Dinas Sosial's alone: not shown
    client.force_login(operator_dinkes)
    url = halaman("aksi-list", periode.pk)
    with CaptureQueriesContext(connection) as kueri:
        pertama = client.get(url)
    assert kode_di(pertama) == ["K3.01", "K3.02"]
    assert pertama.context["jumlah"] == pertama.context["ringkas"].aksi == 4
    assert pertama.context["halaman"].paginator.num_pages == 2
    assert not any(
        'COUNT(*) AS "__count" FROM "rencana_aksi_aksi"' in q["sql"] for q in kueri.captured_queries
    )
    assert kode_di(client.get(url + "?halaman=2")) == ["K3.03", "K5.02"]


def test_a_filter_on_a_figure_pages_the_actions_it_keeps(
    client, operator_dinkes, dinkes, sekretariat, periode, monkeypatch
):
    """Last year, every quarter's report was due: K3.01 and K3.03 sent none (late), K3.02 was
    postponed (nothing expected of it)."""
    monkeypatch.setattr(daftar_aksi, "PER_HALAMAN", 1)
    buat_aksi(periode, "K3.01", dinkes, sekretariat)
    buat_aksi(periode, "K3.02", dinkes, sekretariat, status=Aksi.Status.DITUNDA)
    buat_aksi(periode, "K3.03", dinkes, sekretariat)
    client.force_login(operator_dinkes)
    terlambat = {"tahun": TAHUN - 1, "terlambat": 1}
    pertama = client.get(halaman("aksi-list", periode.pk, **terlambat))
    assert kode_di(pertama) == ["K3.01"] and pertama.context["jumlah"] == 2
    kedua = client.get(halaman("aksi-list", periode.pk, halaman=2, **terlambat))
    assert kode_di(kedua) == ["K3.03"]


def test_a_page_number_out_of_range_or_not_a_number_shows_a_page_and_an_empty_filter_none(
    client, operator_dinkes, dinkes, sekretariat, periode, monkeypatch
):
    monkeypatch.setattr(daftar_aksi, "PER_HALAMAN", 2)
    for kode in ("K3.01", "K3.02", "K3.03"):
        buat_aksi(periode, kode, dinkes, sekretariat)
    client.force_login(operator_dinkes)
    assert kode_di(client.get(halaman("aksi-list", periode.pk, halaman="abc"))) == [
        "K3.01",
        "K3.02",
    ]
    assert kode_di(client.get(halaman("aksi-list", periode.pk, halaman=99))) == ["K3.03"]
    kosong = client.get(halaman("aksi-list", periode.pk, q="tidak ada aksi seperti ini"))
    assert kosong.status_code == 200
    assert kode_di(kosong) == [] and kosong.context["jumlah"] == 0
    assert kosong.context["halaman"].paginator.num_pages == 1
