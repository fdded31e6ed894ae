"""Reading spreadsheets: numbers written the Indonesian way, CSV and XLSX read alike."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kla_portal.ekspor import buku_xlsx
from kla_portal.tabel import angka_id, baca_tabel


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.250.000,50", Decimal("1250000.50")),
        ("1.250.000", Decimal("1250000")),
        ("1,5", Decimal("1.5")),
        ("2.5", Decimal("2.5")),
        ("1.250", Decimal("1250")),  # an Indonesian reader's thousands
        ("0.125", Decimal("0.125")),
        ("12.75", Decimal("12.75")),
        ("96.0", Decimal("96.0")),
        ("1,250.5", Decimal("1250.5")),  # typed the English way
        ("1,250,000", Decimal("1250000")),
        (" 1 250 000 ", Decimal("1250000")),
        ("-3,5", Decimal("-3.5")),
        ("0", Decimal("0")),
        (12, Decimal("12")),
        (0.1, Decimal("0.1")),
        (1250000.5, Decimal("1250000.5")),
        (Decimal("7.25"), Decimal("7.25")),
    ],
)
def test_numbers_are_read_the_indonesian_way(raw, expected):
    assert angka_id(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [None, "", "   ", "dua belas", "1.2.3", "1,2.5", "12,5.0", "NaN", "Infinity", True, "-"],
)
def test_text_that_is_no_number_gives_none(raw):
    assert angka_id(raw) is None


def test_a_float_cell_keeps_its_written_digits():
    # Decimal(0.1) would be 0.1000000000000000055511151231257827...
    assert str(angka_id(0.1)) == "0.1"


def test_a_semicolon_csv_and_an_xlsx_read_the_same():
    csv = b"Kode_Indikator ; Poin\nIndikator 1;1,5\nIndikator 2;12\n"
    xlsx = buku_xlsx(
        "Jawaban", ["kode_indikator", "poin"], [["Indikator 1", "1,5"], ["Indikator 2", 12]]
    )
    from_csv = baca_tabel("jawaban.csv", csv)
    from_xlsx = baca_tabel("jawaban.xlsx", xlsx)
    assert [(r["kode_indikator"], angka_id(r["poin"])) for r in from_csv] == [
        ("Indikator 1", Decimal("1.5")),
        ("Indikator 2", Decimal("12")),
    ]
    assert [(r["kode_indikator"], angka_id(r["poin"])) for r in from_xlsx] == [
        ("Indikator 1", Decimal("1.5")),
        ("Indikator 2", Decimal("12")),
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("kosong.xlsx", b"  \n", "Berkas kosong"),
        ("jawaban.xlsx", b"%PDF-1.7\n1 0 obj\n", "jawaban.xlsx adalah PDF, bukan CSV atau XLSX"),
        ("lama.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "bukan CSV atau XLSX"),
    ],
)
def test_a_file_that_is_not_a_table_is_refused(name, content, message):
    with pytest.raises(ValidationError, match=message):
        baca_tabel(name, content)
