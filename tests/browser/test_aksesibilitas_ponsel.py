"""WCAG 2.1 AA on a phone (390 px): the pages people open every day, with the navbar collapsed
and the lists shown as cards, pass axe with no critical or serious violation."""

import pytest

from clusters import services
from tests.browser.test_aksesibilitas import periksa

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_daily_pages_pass_axe_at_390_px(
    live_server, browser, tahun_2024, sekretariat, kepala_dinkes, operator_dinkes, camat_serang
):
    tahun, _urutan = tahun_2024
    services.skor_hitung(tahun=tahun)
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="id-ID")
    halaman = {
        "operator.dinkes": ["/", "/evaluasi/tugas/", "/notifikasi/", "/rad/laporan/"],
        "kepala.dinkes": ["/", "/evaluasi/tugas/"],
        "sekretariat": ["/", "/evaluasi/verifikasi/", "/koordinasi/tindak-lanjut/"],
        "camat.serang": ["/"],
    }
    temuan = []
    for username, alamat in halaman.items():
        temuan += periksa(page, live_server, username, alamat)
    page.close()
    assert temuan == [], "\n".join(temuan)
