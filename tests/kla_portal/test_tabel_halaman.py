"""A table on the page (templates/partials/tabel.html) prints cells formatted once in Python
(Tabel.baris_halaman): the same text and classes the ``sel`` filter and the template's tests
gave each cell, so a long table costs the template little per row."""

from decimal import Decimal

from django.template.loader import render_to_string
from django.test import RequestFactory

from kla_portal.ekspor import Kolom, Tabel


def _tabel() -> Tabel:
    tabel = Tabel(
        "contoh",
        "Contoh",
        [
            Kolom("OPD"),
            Kolom("Skor", "angka"),
            Kolom("Jumlah", "jumlah"),
            Kolom("Hadir", "persen"),
            Kolom("Pagu", "rupiah"),
            Kolom("Terlatih"),
            Kolom("Catatan"),
        ],
    )
    tabel.tambah(
        "Dinkes", Decimal("1234.5"), 1250, Decimal("45.55"), 1250000, "✓", "<b>", tautan="/a/"
    )
    tabel.tambah("x" * 170, None, 0, None, None, "✗", "", kelas="table-warning")
    return tabel


def test_cells_are_formatted_and_classed_as_the_template_did(rf: RequestFactory, admin_user):
    baris = _tabel().baris_halaman()
    assert baris[0]["kepala"] == "Dinkes" and baris[0]["judul"] == ""
    assert [str(t) for t, _k in baris[0]["sel"]] == [
        "1.234,50",
        "1.250",
        "45,6%",
        "1.250.000",
        "✓",
        "<b>",
    ]
    assert [k for _t, k in baris[0]["sel"]] == [
        "text-end text-nowrap",
        "text-end text-nowrap",
        "text-end text-nowrap",
        "text-end text-nowrap",
        " text-success fw-semibold",
        "",
    ]
    assert baris[1]["sel"][4] == ("✗", " text-danger")
    assert len(baris[1]["kepala"]) == 160 and baris[1]["judul"] == "x" * 170


def test_the_page_escapes_text_and_links_the_first_cell(rf: RequestFactory, admin_user):
    request = rf.get("/")
    request.user = admin_user
    html = render_to_string("partials/tabel.html", {"tabel": _tabel()}, request)
    assert '<a href="/a/">Dinkes</a>' in html
    assert '<td class="text-end text-nowrap" data-label="Skor">1.234,50</td>' in html
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert f'title="{"x" * 170}"' in html
