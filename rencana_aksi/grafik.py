"""The RAD charts as Vega-Lite specifications (drawn by kla_portal.grafik for web and PDF)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from kla_portal.grafik import WARNA, angka

MILIAR = Decimal(1_000_000_000)


def pagu_dan_serapan(baris: list[dict], *, judul_sumbu: str) -> dict:
    """Budget ceiling against spending per row (agency, cluster or year), in billions of Rp.
    ``baris``: dicts with ``nama``, ``pagu``, ``terserap``."""
    pagu, terserap = _("Pagu"), _("Terserap")
    nilai = []
    for b in baris:
        nilai.append({"nama": b["nama"], "jenis": pagu, "miliar": angka(b["pagu"] / MILIAR)})
        nilai.append(
            {"nama": b["nama"], "jenis": terserap, "miliar": angka(b["terserap"] / MILIAR)}
        )
    return {
        "width": 520,
        "height": {"step": 12},
        "data": {"values": nilai},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {
                "field": "nama",
                "type": "nominal",
                "sort": [b["nama"] for b in baris],
                "title": judul_sumbu,
            },
            "yOffset": {"field": "jenis", "sort": [pagu, terserap]},
            "x": {"field": "miliar", "type": "quantitative", "title": _("Miliar rupiah")},
            "color": {
                "field": "jenis",
                "type": "nominal",
                "title": None,
                "sort": [pagu, terserap],
                "scale": {"domain": [pagu, terserap], "range": ["#adb5bd", WARNA["berbukti"]]},
            },
        },
    }


def capaian(baris: list[dict]) -> dict:
    """Mean achievement against target (%) per row, with the 100% line."""
    nilai = [
        {"nama": b["nama"], "persen": angka(b["persen"])} for b in baris if b["persen"] is not None
    ]
    return {
        "width": 520,
        "height": {"step": 22},
        "layer": [
            {
                "data": {"values": nilai},
                "mark": {"type": "bar", "color": WARNA["mandiri"]},
                "encoding": {
                    "y": {
                        "field": "nama",
                        "type": "nominal",
                        "sort": [b["nama"] for b in baris],
                        "title": None,  # the labels say what they are; a title would overlap
                    },
                    "x": {
                        "field": "persen",
                        "type": "quantitative",
                        "title": _("Capaian terhadap target (%)"),
                        "scale": {"domainMin": 0},
                    },
                },
            },
            {
                "mark": {"type": "rule", "color": "#dc3545", "strokeDash": [4, 3]},
                "encoding": {"x": {"datum": 100}},
            },
        ],
    }
