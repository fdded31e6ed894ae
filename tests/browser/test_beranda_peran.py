"""Each role's home page in a real browser, on a laptop and on a phone: it opens on that role's
own work, nothing runs off the right edge at 390 px, and a screenshot is kept of each."""

import pytest
from playwright.sync_api import expect

from clusters import services
from tests.browser.conftest import tangkap
from tests.browser.test_login import log_in
from tests.rencana_aksi.conftest import aksi_dinkes, periode  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BAGIAN = {
    "operator.dinkes": "Tugas Anda sekarang",
    "kepala.dinkes": "Menunggu persetujuan Anda",
    "sekretariat": "Antrean Sekretariat",
    "bappeda": "Antrean Bappeda",
    "pimpinan": "Skor KLA 2024",
}


@pytest.mark.parametrize(("lebar", "tinggi", "nama"), [(1366, 768, "laptop"), (390, 844, "ponsel")])
def test_each_role_opens_on_its_own_work(
    live_server,
    browser,
    tahun_2024,
    aksi_dinkes,  # noqa: F811 - a RAD plan with an action
    sekretariat,
    bappeda,
    pimpinan,
    kepala_dinkes,
    operator_dinkes,
    lebar,
    tinggi,
    nama,
):
    tahun, _urutan = tahun_2024
    services.skor_hitung(tahun=tahun)
    context = browser.new_context(viewport={"width": lebar, "height": tinggi}, locale="id-ID")
    page = context.new_page()
    for username, judul in BAGIAN.items():
        log_in(page, live_server, username)
        page.wait_for_url(f"{live_server.url}/")
        expect(page.get_by_role("heading", name=judul)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= lebar
        tangkap(page, f"beranda-{username}-{nama}")
        context.clear_cookies()
    context.close()
