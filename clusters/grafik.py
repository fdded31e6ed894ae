"""The score charts as Vega-Lite specifications (see kla_portal.grafik for how they are drawn).

Each builder takes rows already read from a snapshot and returns a specification; the
dashboards and the PDF bundle draw the same one.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from clusters.rincian import RincianKelompok
from kla_portal.grafik import WARNA, angka

UKURAN = [
    ("berbukti", gettext_noop("Poin berbukti")),
    ("mandiri", gettext_noop("Poin mandiri OPD")),
    ("verifikasi", gettext_noop("Poin terverifikasi")),
]


def _ukuran() -> list[tuple[str, str]]:
    return [(key, _(label)) for key, label in UKURAN]


def _warna_ukuran() -> dict:
    ukuran = _ukuran()
    return {
        "field": "ukuran",
        "type": "nominal",
        "title": None,
        "scale": {"domain": [u[1] for u in ukuran], "range": [WARNA[u[0]] for u in ukuran]},
    }


def kelompok_terhadap_maks(kelompok: list[RincianKelompok]) -> dict:
    """Per group: its maximum as a pale bar, the evidence-backed points as a bar inside it,
    and the agencies' own and the verified points as marks on it."""
    berbukti, *tanda = _ukuran()
    maks = [{"kelompok": g.nama, "maks": angka(g.max)} for g in kelompok]
    bar = [{"kelompok": g.nama, "ukuran": berbukti[1], "poin": angka(g.berbukti)} for g in kelompok]
    ticks = [
        {"kelompok": g.nama, "ukuran": label, "poin": angka(getattr(g, key))}
        for g in kelompok
        for key, label in tanda
    ]
    y = {"field": "kelompok", "type": "nominal", "sort": [g.nama for g in kelompok]}
    y["title"] = None
    x = {"field": "poin", "type": "quantitative", "stack": None}
    return {
        "width": 560,
        "height": {"step": 38},
        "layer": [
            {
                "data": {"values": maks},
                "mark": {"type": "bar", "color": WARNA["maks"], "size": 26},
                "encoding": {
                    "y": y,
                    "x": {"field": "maks", "type": "quantitative", "title": _("Poin")},
                },
            },
            {
                "data": {"values": bar},
                "mark": {"type": "bar", "size": 14},
                "encoding": {"y": y, "x": x, "color": _warna_ukuran()},
            },
            {
                "data": {"values": ticks},
                "mark": {"type": "tick", "thickness": 3, "size": 26},
                "encoding": {"y": y, "x": x, "color": _warna_ukuran()},
            },
            {
                "data": {"values": maks},
                "mark": {"type": "text", "align": "left", "dx": 4, "color": "#495057"},
                "encoding": {
                    "y": y,
                    "x": {"field": "maks", "type": "quantitative"},
                    "text": {"field": "maks", "type": "quantitative", "format": ",.0f"},
                },
            },
        ],
    }


def tren(titik: list[dict], ambang: list[tuple[str, object]]) -> dict:
    """The three totals over the years (or over the days of a year), with the category
    thresholds as dashed lines. ``titik``: dicts with ``waktu`` (a label) and the totals."""
    ukuran = _ukuran()
    nilai = [
        {"waktu": t["waktu"], "ukuran": label, "poin": angka(t[key])}
        for t in titik
        for key, label in ukuran
    ]
    garis = [{"kategori": nama, "poin": angka(minimum)} for nama, minimum in ambang]
    urutan = [t["waktu"] for t in titik]
    return {
        "width": 560,
        "height": 220,
        "layer": [
            {
                "data": {"values": garis},
                "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#adb5bd"},
                "encoding": {"y": {"field": "poin", "type": "quantitative"}},
            },
            {
                "data": {"values": garis},
                "mark": {"type": "text", "align": "right", "dy": -6, "color": "#6c757d"},
                "encoding": {
                    "y": {"field": "poin", "type": "quantitative"},
                    "x": {"value": 556},
                    "text": {"field": "kategori"},
                },
            },
            {
                "data": {"values": nilai},
                "mark": {"type": "line", "point": True},
                "encoding": {
                    "x": {
                        "field": "waktu",
                        "type": "ordinal",
                        "sort": urutan,
                        "title": None,
                        "axis": {"labelAngle": 0},
                    },
                    "y": {
                        "field": "poin",
                        "type": "quantitative",
                        "title": _("Poin"),
                        "scale": {"domain": [0, 1000]},
                    },
                    "color": _warna_ukuran(),
                },
            },
        ],
    }


def poin_hilang(baris: list[dict], *, label: str) -> dict:
    """Points at stake per agency or indicator, stacked: claimed without evidence, and not
    claimed at all. ``baris``: dicts with ``nama``, ``tanpa_bukti``, ``belum_diklaim``."""
    jenis = [
        ("tanpa_bukti", _("Diklaim tanpa data dukung")),
        ("hilang", _("Belum diklaim")),
    ]
    nilai = []
    for b in baris:
        nilai.append({"nama": b["nama"], "jenis": jenis[0][1], "poin": angka(b["tanpa_bukti"])})
        nilai.append({"nama": b["nama"], "jenis": jenis[1][1], "poin": angka(b["belum_diklaim"])})
    return {
        "width": 520,
        "height": {"step": 20},
        "data": {"values": nilai},
        "mark": "bar",
        "encoding": {
            "y": {
                "field": "nama",
                "type": "nominal",
                "sort": [b["nama"] for b in baris],
                "title": label,
            },
            "x": {"field": "poin", "type": "quantitative", "stack": True, "title": _("Poin")},
            "color": {
                "field": "jenis",
                "type": "nominal",
                "title": None,
                "scale": {
                    "domain": [j[1] for j in jenis],
                    "range": [WARNA[j[0]] for j in jenis],
                },
            },
            "order": {"field": "jenis", "sort": "descending"},
        },
    }
