"""The province's chart (drawn by kla_portal.grafik): each kab/kota's points against the first
category's lower bound, a map-free picture of who stands between the province and PROVILA."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kla_portal.grafik import WARNA, angka


def kota(baris: list, batas) -> dict:
    """One bar per city (the points that place it, ``BarisKota.dasar``), coloured by whether it
    reached a category, and a rule at the first category's bound."""
    sudah, belum = _("Berkategori"), _("Belum berkategori")
    nilai = [
        {
            "kota": str(b.kota),
            "poin": angka(b.dasar or 0),
            "keadaan": sudah if b.kategori != "Belum" else belum,
        }
        for b in baris
    ]
    lapis = [
        {
            "mark": {"type": "bar"},
            "encoding": {
                "y": {"field": "kota", "type": "nominal", "title": None, "sort": None},
                "x": {
                    "field": "poin",
                    "type": "quantitative",
                    "title": _("Poin"),
                    "scale": {"domain": [0, 1000]},
                },
                "color": {
                    "field": "keadaan",
                    "type": "nominal",
                    "title": None,
                    "scale": {
                        "domain": [sudah, belum],
                        "range": [WARNA["berbukti"], WARNA["hilang"]],
                    },
                },
            },
        }
    ]
    if batas is not None:
        lapis.append(
            {
                "data": {"values": [{"batas": angka(batas)}]},
                "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#212529"},
                "encoding": {"x": {"field": "batas", "type": "quantitative"}},
            }
        )
    return {
        "width": 520,
        "height": {"step": 18},
        "data": {"values": nilai},
        "layer": lapis,
    }
