"""Charts: one Vega-Lite specification, drawn to SVG on the server.

The same SVG goes into the web page (inline, so it needs no JavaScript, no CDN and no
relaxed CSP on a slow government network) and into the PDF bundle (WeasyPrint runs no
JavaScript). vl-convert embeds Vega-Lite; it is told to fetch nothing from the network.
Rendered SVG is cached by the specification's hash, so a page view costs a cache read.
"""

from __future__ import annotations

import hashlib
import json
import re
from decimal import Decimal

import vl_convert
from django.utils.safestring import SafeString, mark_safe

from kla_portal.cache import cache_get, cache_set

WARNA = {
    "mandiri": "#0d6efd",
    "berbukti": "#198754",
    "verifikasi": "#6f42c1",
    "maks": "#e9ecef",
    "hilang": "#dc3545",
    "tanpa_bukti": "#fd7e14",
}
KONFIGURASI = {
    "font": "DejaVu Sans",
    "background": "white",
    "view": {"stroke": None},
    "axis": {"labelFontSize": 11, "titleFontSize": 11, "labelLimit": 220, "grid": True},
    "legend": {"labelFontSize": 11, "titleFontSize": 11, "orient": "bottom"},
    "bar": {"cornerRadiusEnd": 2},
    # No ARIA roles on the marks: the page's <figure role="img"> names the chart and its table
    # holds the figures; marks that claim to be images without a name fail WCAG 1.1.1.
    "aria": False,
    "mark": {"aria": False},
}
# Indonesian numbers: 1.250,5
FORMAT_ID = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp", ""]}
UMUR_CACHE = 7 * 24 * 60 * 60
_LEBAR_SVG = re.compile(r'<svg([^>]*?) width="([\d.]+)" height="([\d.]+)"')


def angka(value) -> float:
    """A number Vega-Lite can read (JSON has no Decimal)."""
    return float(Decimal(str(value)))


def svg(spec: dict) -> SafeString:
    """The chart as an SVG string, from the cache when the same chart was drawn before.

    The root element keeps its viewBox but gets a relative width, so it scales with its
    column instead of overflowing a laptop screen.
    """
    full = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", **spec}
    # The configuration is part of the key: a chart drawn under another one is not reused.
    teks = json.dumps([full, KONFIGURASI], sort_keys=True)
    kunci = "grafik:" + hashlib.sha256(teks.encode()).hexdigest()
    hasil = cache_get(kunci)
    if hasil is None:
        hasil = vl_convert.vegalite_to_svg(
            full, config=KONFIGURASI, format_locale=FORMAT_ID, allowed_base_urls=[]
        )
        hasil = _LEBAR_SVG.sub(
            r'<svg\1 width="100%" preserveAspectRatio="xMinYMin meet" data-lebar="\2"',
            hasil,
            count=1,
        )
        cache_set(kunci, hasil, UMUR_CACHE)
    return mark_safe(hasil)  # noqa: S308 - drawn by vl-convert from our own data
