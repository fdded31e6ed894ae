"""Coordination charts as Vega-Lite specifications (drawn by kla_portal.grafik for web and PDF)."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agencies.fasilitas import Cakupan
from kla_portal.grafik import WARNA, angka


def rapat_per_bulan(bulan: list) -> dict:
    """Meetings held per month (bars) against the monthly target (dashed line)."""
    nilai = [
        {"bulan": date_format(b.bulan, "M"), "rapat": b.terlaksana, "target": b.target}
        for b in bulan
    ]
    urutan = [n["bulan"] for n in nilai]
    puncak = max([1, *(n["rapat"] for n in nilai), *(n["target"] for n in nilai)])
    return {
        "width": 520,
        "height": 180,
        "data": {"values": nilai},
        "layer": [
            {
                "mark": {"type": "bar", "color": WARNA["mandiri"]},
                "encoding": {
                    "x": {"field": "bulan", "type": "ordinal", "sort": urutan, "title": None},
                    "y": {
                        "field": "rapat",
                        "type": "quantitative",
                        "title": _("Rapat terlaksana"),
                        "axis": _bilangan_bulat(puncak),
                        "scale": {"domain": [0, puncak]},
                    },
                },
            },
            {
                "mark": {"type": "rule", "color": WARNA["hilang"], "strokeDash": [4, 3]},
                "encoding": {"y": {"field": "target", "aggregate": "max"}},
            },
        ],
    }


def _bilangan_bulat(puncak: int) -> dict:
    """An axis of counts: whole numbers only (no 0,5 meeting), at most about ten ticks."""
    langkah = max(1, -(-puncak // 10))
    return {"values": list(range(0, puncak + 1, langkah)), "format": "d"}


def kehadiran(baris: list) -> dict:
    """Per agency: invitations answered in person, by a deputy, or not at all (stacked)."""
    hadir, wakil, absen = _("Hadir sendiri"), _("Diwakili"), _("Tidak hadir")
    nilai = []
    for b in baris:
        nilai += [
            {"opd": b.opd, "jenis": hadir, "n": b.hadir},
            {"opd": b.opd, "jenis": wakil, "n": b.diwakili},
            {"opd": b.opd, "jenis": absen, "n": b.tidak_hadir},
        ]
    return {
        "width": 520,
        "height": {"step": 14},
        "data": {"values": nilai},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {
                "field": "opd",
                "type": "nominal",
                "title": None,
                "sort": [b.opd for b in baris],
            },
            "x": {
                "field": "n",
                "type": "quantitative",
                "title": _("Undangan"),
                "stack": True,
                "axis": _bilangan_bulat(
                    max([1, *(b.hadir + b.diwakili + b.tidak_hadir for b in baris)])
                ),
            },
            "color": {
                "field": "jenis",
                "type": "nominal",
                "title": None,
                "scale": {
                    "domain": [hadir, wakil, absen],
                    "range": [WARNA["berbukti"], WARNA["tanpa_bukti"], WARNA["hilang"]],
                },
            },
        },
    }


def peta_cakupan(cakupan: Cakupan) -> dict:
    """Kecamatan × kinds counted per kelurahan, coloured by the share of kelurahan that have
    each: the portal's "map of services" (no boundary map or tiles are needed)."""
    jenis = [j for j in cakupan.jenis if j.untuk_kelurahan]
    nilai = []
    for kec in cakupan.kecamatan:
        for j in jenis:
            h = cakupan.per_kecamatan.get((kec.pk, j.pk))
            if h and h.dari:
                nilai.append(
                    {"kecamatan": kec.nama, "jenis": j.singkatan, "persen": angka(h.persen)}
                )
    return {
        "width": {"step": 44},
        "height": {"step": 26},
        "data": {"values": nilai},
        "encoding": {
            "x": {
                "field": "jenis",
                "type": "nominal",
                "sort": [j.singkatan for j in jenis],
                "title": None,
                "axis": {
                    "labelAngle": -40,
                    "orient": "top",
                    "grid": False,
                    "ticks": False,
                    "domain": False,
                },
            },
            "y": {
                "field": "kecamatan",
                "type": "nominal",
                "title": None,
                "axis": {"grid": False, "ticks": False, "domain": False},
            },
        },
        "layer": [
            {
                "mark": {"type": "rect", "stroke": "white"},
                "encoding": {
                    # A kecamatan where no kelurahan has it stands out in red: the gap to close.
                    "color": {
                        "condition": {"test": "datum.persen == 0", "value": "#f8d7da"},
                        "field": "persen",
                        "type": "quantitative",
                        "title": _("% kelurahan"),
                        "scale": {"domain": [0, 100], "scheme": "greens"},
                    }
                },
            },
            {
                "mark": {"type": "text", "fontSize": 10},
                "encoding": {
                    "text": {"field": "persen", "type": "quantitative", "format": ".0f"},
                    "color": {
                        "condition": {"test": "datum.persen > 60", "value": "white"},
                        "value": "#212529",
                    },
                },
            },
        ],
    }
