"""Tables out to Excel: one helper for every XLSX download of the portal.

Built with tablib (the library under django-import-export). Text that a spreadsheet would
run as a formula (starting with =, +, - or @) is prefixed with an apostrophe, so a value typed
by someone into the portal can never become a formula on a colleague's computer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from html import escape

import tablib
from django.http import HttpResponse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from kla_portal.berkas import amankan_unduhan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AWALAN_RUMUS = ("=", "+", "-", "@", "\t", "\r")


def aman(value):
    """A cell value that cannot run as a formula; numbers and dates stay what they are."""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None or isinstance(value, int | float | Decimal | date):
        return value
    text = str(value)
    return "'" + text if text.startswith(AWALAN_RUMUS) else text


def buku_xlsx(judul: str, kolom: Sequence[str], baris: Iterable[Sequence]) -> bytes:
    """An XLSX workbook of one sheet: a header row, then the rows."""
    data = tablib.Dataset(headers=[str(k) for k in kolom], title=judul[:31])
    for row in baris:
        data.append([aman(v) for v in row])
    return data.export("xlsx")


def unduhan_xlsx(
    nama_berkas: str, kolom: Sequence[str], baris: Iterable[Sequence], *, judul: str = ""
) -> HttpResponse:
    """A download of the table, named ``<nama>-<date>.xlsx``."""
    isi = buku_xlsx(judul or nama_berkas, kolom, baris)
    nama = f"{slugify(nama_berkas)}-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(isi, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{nama}"'
    return amankan_unduhan(response)


def _td(sel: list[tuple], label: list[str], cetak) -> SafeString:
    """Cells (text, class) as ``<td class="{{ kelas }}" data-label="{{ label }}">{{ teks }}</td>``
    prints them, without the template's per-cell work (a long table has hundreds). The label
    (already escaped) is the column's name, shown beside the cell on a phone (portal.css)."""
    from django.template.base import render_value_in_context

    html = "".join(
        f'<td class="{escape(kelas)}" data-label="{nama}">'
        f"{render_value_in_context(teks, cetak)}</td>"
        for (teks, kelas), nama in zip(sel, label, strict=True)
    )
    return mark_safe(html)  # noqa: S308 - every class, label and text escaped above


@dataclass(frozen=True)
class Kolom:
    label: str
    jenis: str = "teks"  # teks, angka (points, 2 decimals), jumlah (a count), persen, rupiah
    keterangan: str = ""  # a few words under a coded label ("P2" / "Forum Anak Kecamatan")
    judul: str = ""  # the whole thing the code stands for, on hover (XLSX: label and keterangan)


@dataclass
class Tabel:
    """A table for the page (templates/partials/tabel.html) and for XLSX, built once so what a
    person sees and what they download never differ. Each row: ``sel`` (values in column
    order), an optional ``tautan`` (where the first cell leads) and a CSS ``kelas``."""

    nama: str
    judul: str
    kolom: list[Kolom]
    baris: list[dict] = field(default_factory=list)
    catatan: str = ""

    def tambah(self, *sel, tautan: str = "", kelas: str = "") -> None:
        self.baris.append({"sel": list(sel), "tautan": tautan, "kelas": kelas})

    def header(self) -> list[str]:
        """Column names for XLSX: a percentage column says so, since the cell holds 62,07."""
        return [
            f"{k.label} (%)"
            if k.jenis == "persen" and "%" not in str(k.label)
            else " ".join(filter(None, [str(k.label), k.keterangan]))
            for k in self.kolom
        ]

    def isi(self) -> list[list]:
        return [row["sel"] for row in self.baris]

    def tampil(self) -> list[dict]:
        """Rows for the template: each cell with its column kind."""
        return [
            {**row, "sel": [(v, k.jenis) for v, k in zip(row["sel"], self.kolom, strict=True)]}
            for row in self.baris
        ]

    def baris_halaman(self) -> list[dict]:
        """Rows for the page (templates/partials/tabel.html), each cell formatted here as the
        ``sel`` filter formats it and with its CSS class, so the template only prints them:
        the first cell (``kepala``, cut at 160 characters, whole in ``judul`` when cut), then
        the others as (text, class), and as their ``<td>`` (``sel_html``): printed as
        ``{{ }}`` prints (escaped, localized), without a template loop over every cell."""
        from django.template import Context
        from django.template.defaultfilters import length, truncatechars

        from kla_portal.templatetags.portal import sel

        cetak = Context()  # a page's defaults: autoescape and localization on
        kelas_kolom = ["" if k.jenis == "teks" else "text-end text-nowrap" for k in self.kolom]
        # a question column's few words too ("P2 Forum Anak Kecamatan"), not a bare code
        label = [
            escape(" ".join(str(t) for t in (k.label, k.keterangan) if t)) for k in self.kolom[1:]
        ]
        hasil = []
        for row in self.baris:
            pertama, *lain = row["sel"]
            sel_lain = []
            for v, k, kelas in zip(lain, self.kolom[1:], kelas_kolom[1:], strict=True):
                tanda = (
                    " text-success fw-semibold" if v == "✓" else " text-danger" if v == "✗" else ""
                )
                sel_lain.append((sel(v, k.jenis), kelas + tanda))
            hasil.append(
                {
                    "kelas": row["kelas"],
                    "tautan": row["tautan"],
                    "kepala": truncatechars(pertama, 160),
                    "judul": pertama if length(pertama) > 160 else "",
                    "sel": sel_lain,
                    "sel_html": _td(sel_lain, label, cetak),
                }
            )
        return hasil

    def unduhan(self, nama_berkas: str = "") -> HttpResponse:
        return unduhan_xlsx(nama_berkas or self.nama, self.header(), self.isi(), judul=self.judul)
