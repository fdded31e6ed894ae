"""Tables in from a spreadsheet: reading a CSV or XLSX upload, and numbers written the Indonesian
way. Shared by every import of the portal (the instrument, the answers).
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from import_export.formats.base_formats import CSV, XLSX

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
            dataset = XLSX().create_dataset(isi)
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
    headers = [str(h or "").strip().lower() for h in (dataset.headers or [])]
    return [dict(zip(headers, row, strict=False)) for row in dataset]


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
