"""A table on a phone (templates/partials/tabel.html, portal.css .tabel-kartu) shows each row as
a card, each cell after its column's name: the name travels with every cell as data-label,
escaped like the cell itself."""

from django.template.loader import render_to_string
from django.test import RequestFactory

from kla_portal.ekspor import Kolom, Tabel


def test_every_cell_carries_its_column_name_escaped(rf: RequestFactory, admin_user):
    tabel = Tabel(
        "tindak-lanjut",
        "Tindak lanjut rapat",
        [Kolom("Keputusan"), Kolom("OPD"), Kolom('Nilai "akhir" <b>', "angka"), Kolom("Status")],
    )
    tabel.tambah("Kirim data PATBM", "Dinsos", 12, "Belum dikerjakan", tautan="/tl/7/")
    request = rf.get("/")
    request.user = admin_user

    html = render_to_string("partials/tabel.html", {"tabel": tabel}, request)

    assert '<table class="table table-sm table-hover align-middle mb-0 tabel-kartu">' in html
    assert '<th scope="row" class="fw-normal" data-label="Keputusan"><a href="/tl/7/">' in html
    assert '<td class="" data-label="OPD">Dinsos</td>' in html
    assert (
        '<td class="text-end text-nowrap" data-label="Nilai &quot;akhir&quot; &lt;b&gt;">12,00</td>'
        in html
    )
    assert '<td class="" data-label="Status">Belum dikerjakan</td>' in html
    # The column names stay in the header row, for screen readers and the laptop.
    assert '<th scope="col" class="">Status</th>' in html
