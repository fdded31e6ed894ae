"""Charts are drawn on the server from one Vega-Lite specification, safely and once."""

from decimal import Decimal as D

import pytest
from django.core.cache import cache

from clusters import grafik
from clusters.rincian import RincianKelompok
from kla_portal import grafik as gambar


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


KELOMPOK_JSON = [
    {"nama": "KELEMBAGAAN", "max": "164", "mandiri": "120", "berbukti": "90.5", "verifikasi": "80"},
    {"nama": "KLASTER I", "max": "115", "mandiri": "60", "berbukti": "60", "verifikasi": "0"},
]
KELOMPOK = [
    RincianKelompok.dari_json({"id": i, "urutan": i, **g})
    for i, g in enumerate(KELOMPOK_JSON, start=1)
]


def test_the_group_chart_is_an_svg_that_scales_with_its_column():
    svg = gambar.svg(grafik.kelompok_terhadap_maks(KELOMPOK))
    assert svg.startswith("<svg") and 'width="100%"' in svg and "viewBox" in svg
    assert "KELEMBAGAAN" in svg and "Poin berbukti" in svg
    assert "<script" not in svg and "style=" not in svg  # nothing the page's CSP would block


def test_names_from_the_data_are_escaped():
    rows = [{"nama": "<script>alert(1)</script>", "tanpa_bukti": D(2), "belum_diklaim": D(5)}]
    svg = gambar.svg(grafik.poin_hilang(rows, label="OPD"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_numbers_are_written_the_indonesian_way():
    titik = [
        {"waktu": "2023", "mandiri": D("600.5"), "berbukti": D(500), "verifikasi": D(480)},
        {"waktu": "2024", "mandiri": D(700), "berbukti": D(650), "verifikasi": D(0)},
    ]
    svg = gambar.svg(grafik.tren(titik, [("Pratama", D(500)), ("Madya", D(601))]))
    assert "1.000" in svg  # the axis ends at 1.000 points
    assert "Madya" in svg


def test_a_chart_drawn_once_comes_from_the_cache(monkeypatch):
    spec = grafik.kelompok_terhadap_maks(KELOMPOK)
    first = gambar.svg(spec)

    def not_again(*args, **kwargs):
        raise AssertionError("digambar ulang")

    monkeypatch.setattr(gambar.vl_convert, "vegalite_to_svg", not_again)
    assert gambar.svg(spec) == first


def test_a_chart_never_fetches_data_from_the_network():
    spec = {"data": {"url": "http://127.0.0.1:9/data.json"}, "mark": "bar"}
    with pytest.raises(ValueError):
        gambar.svg(spec)
