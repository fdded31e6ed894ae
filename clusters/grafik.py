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


# The two stretches of a trend line: years whose verification is finished, and the way to a
# year still being verified (dashed).
TAHAP = [gettext_noop("Selesai diverifikasi"), gettext_noop("Sedang diverifikasi")]


def _baris_tren(titik: list[dict]) -> list[dict]:
    """A row per point and total, with ``sedang`` (that year is still being verified) and the
    stretch of line it belongs to (``tahap``): a year in progress is joined to the one before
    it by a dashed stretch, so the last finished point is also written into that stretch."""
    selesai, berjalan = (_(t) for t in TAHAP)
    nilai = []
    for i, t in enumerate(titik):
        sedang = bool(t.get("sedang"))
        tahap = [berjalan] if sedang else [selesai]
        if not sedang and i + 1 < len(titik) and titik[i + 1].get("sedang"):
            tahap.append(berjalan)
        for key, label in _ukuran():
            baris = {"waktu": t["waktu"], "ukuran": label, "poin": angka(t[key]), "sedang": sedang}
            nilai += [baris | {"tahap": nama} for nama in tahap]
    return nilai


def _lapis_sedang(titik: list[dict], x: dict) -> tuple[dict, list[dict]]:
    """For a trend with a year still being verified: the dashed stretch (strokeDash) and a
    label "sedang diverifikasi" at the top of that year."""
    sedang = [
        {"waktu": t["waktu"], "teks": _("sedang diverifikasi")} for t in titik if t.get("sedang")
    ]
    if not sedang:
        return {}, []
    garis = {
        "field": "tahap",
        "type": "nominal",
        "title": None,
        "scale": {"domain": [_(t) for t in TAHAP], "range": [[1, 0], [6, 4]]},
        "legend": None,  # the label over the year says it, beside the line
    }
    label = {
        "data": {"values": sedang},
        "mark": {"type": "text", "baseline": "top", "dy": 4, "color": "#495057"},
        "encoding": {"x": x, "y": {"value": 0}, "text": {"field": "teks"}},
    }
    return {"strokeDash": garis}, [label]


def tren(titik: list[dict], ambang: list[tuple[str, object]]) -> dict:
    """The three totals over the years (or over the days of a year), with the category
    thresholds as dashed lines. ``titik``: dicts with ``waktu`` (a label) and the totals, and
    ``sedang`` for a year whose verification is still going on: its stretch of line is dashed
    and labelled, so an unfinished verified score does not read as a collapse."""
    garis = [{"kategori": nama, "poin": angka(minimum)} for nama, minimum in ambang]
    x = {
        "field": "waktu",
        "type": "ordinal",
        "sort": [t["waktu"] for t in titik],
        "title": None,
        "axis": {"labelAngle": 0},
    }
    encoding_garis, label_sedang = _lapis_sedang(titik, x)
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
                "data": {"values": _baris_tren(titik)},
                "mark": {"type": "line", "point": True},
                "encoding": {
                    "x": x,
                    "y": {
                        "field": "poin",
                        "type": "quantitative",
                        "title": _("Poin"),
                        "scale": {"domain": [0, 1000]},
                    },
                    "color": _warna_ukuran(),
                    **encoding_garis,
                },
            },
            *label_sedang,
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
