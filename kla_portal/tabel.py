"""Tables in from a spreadsheet: reading a CSV or XLSX upload, and numbers written the Indonesian
way. Shared by every import of the portal (the instrument, the answers, the RAD).

A workbook is a zip: a few hundred kilobytes can unpack into gigabytes of sheet. Before a
workbook is read, the sizes its zip declares are checked (the zip reader never unpacks more
than a member declares), and its rows are counted while they stream in, so a file over the
limits (IMPOR_MAKS_MB unpacked, IMPOR_MAKS_BARIS rows) is refused before it fills memory.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from decimal import Decimal, InvalidOperation

import openpyxl
import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV

from kla_portal.ekspor import AWALAN_RUMUS

# Thousands grouped by dots (Indonesian) or by commas (English): 1.250.000 or 1,250,000.
RIBUAN_TITIK = re.compile(r"^[1-9]\d{0,2}(\.\d{3})+$")
RIBUAN_KOMA = re.compile(r"^[1-9]\d{0,2}(,\d{3})+$")
SPASI = re.compile(r"[\s\u00a0\u202f]")


def baca_tabel(nama: str, isi: bytes) -> list[dict[str, object]]:
    """Rows of a CSV or XLSX file as dicts keyed by lower-case column name.

    The kind is read from the content, not the name: a PDF renamed .xlsx is refused, and so is
    an empty file or a workbook that cannot be opened.
    """
    if not isi.strip():
        raise ValidationError("Berkas kosong: tidak ada baris yang dapat dibaca.")
    if isi.startswith(b"%PDF"):
        raise ValidationError(f"{nama} adalah PDF, bukan CSV atau XLSX.")
    if isi.startswith(b"PK\x03\x04"):
        try:
            dataset = _baca_xlsx(nama, isi)
        except ValidationError:
            raise
        except Exception as error:  # openpyxl raises many kinds for a damaged workbook
            raise ValidationError(f"{nama} tidak dapat dibuka sebagai XLSX ({error}).") from None
    elif b"\x00" in isi[:4096] or isi.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationError(
            f"{nama} bukan CSV atau XLSX. Simpan dari Excel sebagai .xlsx atau CSV (UTF-8)."
        )
    else:
        teks = _decode(isi)
        first_line = teks.splitlines()[0] if teks.splitlines() else ""
        # Excel set to Indonesian saves CSV with semicolons.
        delimiter = max([",", ";", "\t"], key=first_line.count)
        try:
            dataset = CSV().create_dataset(teks, delimiter=delimiter)
        except (csv.Error, ValueError) as error:
            raise ValidationError(f"{nama} tidak dapat dibaca sebagai CSV ({error}).") from None
        _periksa_baris(nama, len(dataset))
    headers = [str(h or "").strip().lower() for h in (dataset.headers or [])]
    return [dict(zip(headers, row, strict=False)) for row in dataset]


# A sheet's XML packs 5 to 20 times; past this a member is a bomb, not a spreadsheet.
RASIO_MAKS = 100


def periksa_ukuran_xlsx(nama: str, isi: bytes) -> None:
    """Refuse a workbook whose sheets would unpack past IMPOR_MAKS_MB, or pack unnaturally
    tight, judged from its zip directory alone (nothing is unpacked)."""
    batas_mb = settings.IMPOR_MAKS_MB
    with zipfile.ZipFile(io.BytesIO(isi)) as arsip:
        lembar = [
            info
            for info in arsip.infolist()
            if info.filename.startswith("xl/worksheets/") or info.filename == "xl/sharedStrings.xml"
        ]
    total = sum(info.file_size for info in lembar)
    if total > batas_mb * 1024 * 1024:
        raise ValidationError(
            _(
                "%(nama)s terlalu besar untuk diimpor: lembarnya berisi %(mb)s MB data bila "
                "dibuka, batasnya %(batas)s MB. Bagi menjadi beberapa berkas."
            )
            % {"nama": nama, "mb": round(total / (1024 * 1024)), "batas": batas_mb}
        )
    for info in lembar:
        if info.file_size > 1024 * 1024 and info.file_size > RASIO_MAKS * info.compress_size:
            raise ValidationError(
                _(
                    "%(nama)s ditolak: isinya mengembang tidak wajar saat dibuka (%(rasio)s kali "
                    "ukurannya). Simpan ulang dari Excel sebagai .xlsx lalu unggah lagi."
                )
                % {"nama": nama, "rasio": info.file_size // max(info.compress_size, 1)}
            )


def _periksa_baris(nama: str, baris: int) -> None:
    batas = settings.IMPOR_MAKS_BARIS
    if baris > batas:
        raise ValidationError(
            _(
                "%(nama)s berisi lebih dari %(batas)s baris; sekali impor paling banyak "
                "%(batas)s baris. Bagi menjadi beberapa berkas."
            )
            % {"nama": nama, "batas": batas}
        )


def _baca_xlsx(nama: str, isi: bytes) -> tablib.Dataset:
    """The first sheet, as django-import-export reads it (first row the header), streamed
    row by row and stopped at the row limit."""
    periksa_ukuran_xlsx(nama, isi)
    buku = openpyxl.load_workbook(io.BytesIO(isi), read_only=True, data_only=True)
    try:
        lembar = buku.active
        # The size the sheet declares (<dimension>), when it has one: refused without reading.
        _periksa_baris(nama, (lembar.max_row or 1) - 1)
        rows = lembar.iter_rows(values_only=True)  # values only: no cell object per cell
        dataset = tablib.Dataset()
        dataset.headers = list(next(rows))
        for nomor, row in enumerate(rows, start=1):
            _periksa_baris(nama, nomor)
            dataset.append(list(row))
    finally:
        buku.close()
    return dataset


def _decode(isi: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return isi.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError("Berkas CSV tidak dapat dibaca: simpan sebagai CSV UTF-8.")


def angka_id(raw) -> Decimal | None:
    """A number from a spreadsheet cell, or None when the cell holds no number.

    Cells Excel stores as numbers arrive as int or float and are taken as they are. Text is
    read the Indonesian way: "1.250.000,50", "1.250.000" and "1,5"; "2.5" and "1,250.5" (typed
    the English way) are understood too. A single dot followed by exactly three digits
    ("1.250") is read as thousands, as an Indonesian reader would; "0.125" stays a fraction.
    Empty cells, words, dates and malformed groupings ("1.2.3") give None.
    """
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, int | float | Decimal):
        value = raw if isinstance(raw, Decimal) else Decimal(str(raw))
        return value if value.is_finite() else None
    text = SPASI.sub("", str(raw))
    sign = ""
    if text[:1] in "+-":
        sign, text = text[:1], text[1:]
    if not text:
        return None
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        whole, _mark, fraction = text.rpartition(decimal_mark)
        grouping = RIBUAN_TITIK if decimal_mark == "," else RIBUAN_KOMA
        if not grouping.match(whole) or not fraction.isdigit():
            return None
        text = whole.replace("." if decimal_mark == "," else ",", "") + "." + fraction
    elif RIBUAN_TITIK.match(text):
        text = text.replace(".", "")
    elif RIBUAN_KOMA.match(text) and text.count(",") > 1:
        text = text.replace(",", "")
    else:
        text = text.replace(",", ".")
    try:
        value = Decimal(sign + text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def rapi(nilai: Decimal | None) -> Decimal | None:
    """A stored number as a person types it: 8 rather than 8,00, 12,5 rather than 12,50."""
    if nilai is None:
        return None
    return nilai.quantize(Decimal(1)) if nilai == nilai.to_integral_value() else nilai.normalize()


def tulis_angka(value: Decimal) -> str:
    """A number as messages write it, in the active language: "1.250,5" in Indonesian."""
    from django.utils.formats import number_format

    return number_format(value.normalize(), use_l10n=True, force_grouping=True)


# --- Cells of an import -------------------------------------------------------------------


def nilai_sel(raw):
    """A cell's value, None when it is blank (empty, or only spaces)."""
    if isinstance(raw, str):
        raw = raw.strip()
        return raw or None
    return raw


def teks_sel(raw) -> str:
    """A cell as one line of text: "" when blank, 12.0 as "12", spaces collapsed, and without
    the apostrophe an XLSX download puts before text that looks like a formula."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = " ".join(str(raw).split())
    if text.startswith("'") and text[1:2] and text[1] in AWALAN_RUMUS:
        text = text[1:]
    return text


def tampil_sel(raw) -> str:
    """A cell as the person typed it, for a message: numbers the Indonesian way."""
    if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
        value = angka_id(raw)
        if value is not None:
            return tulis_angka(value)
    return f"“{raw}”"


def catatan_sel(raw) -> str:
    """A note or narrative cell: line breaks kept, without the apostrophe an XLSX download
    puts before text that looks like a formula."""
    text = str(raw).strip()
    if text.startswith("'") and text[1:2] and text[1] in AWALAN_RUMUS:
        text = text[1:]
    return text
