"""Uploads in a real browser: the progress is shown, a refused file is said beside the form
that keeps what was chosen, and a save puts the page it led to in place without document.write."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import tangkap
from tests.browser.test_login import log_in
from tests.conftest import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Counts document.write and document.open calls on every page the browser opens.
MATA_MATA = """
window.__tulis = 0;
for (const nama of ["write", "open"]) {
  const asli = document[nama].bind(document);
  document[nama] = (...args) => { window.__tulis += 1; return asli(...args); };
}
"""


def buka_pertanyaan(page, live_server, soal):
    page.add_init_script(MATA_MATA)
    log_in(page, live_server, "operator.dinkes")
    page.goto(f"{live_server.url}{soal.get_absolute_url()}")
    page.evaluate("window.__halamanIni = true")


def test_a_file_of_the_wrong_kind_is_refused_beside_the_form_which_keeps_it(
    live_server, page, tmp_path, kota_serang, operator_dinkes, soal_dinkes
):
    from clusters.models import Lampiran

    catatan = tmp_path / "catatan.txt"
    catatan.write_text("bukan dokumen")
    buka_pertanyaan(page, live_server, soal_dinkes)
    page.get_by_label("Catatan").fill("catatan saya")
    page.get_by_label("Tambah data dukung").set_input_files(str(catatan))
    page.get_by_role("button", name="Simpan draf").click()

    expect(page.get_by_text("Berkas catatan.txt ditolak")).to_be_visible()
    assert page.evaluate("[window.__halamanIni, window.__tulis]") == [True, 0]
    assert page.get_by_label("Tambah data dukung").evaluate("input => input.files.length") == 1
    expect(page.get_by_label("Catatan")).to_have_value("catatan saya")
    # Focus is on the error, where a screen reader reads it.
    fokus = page.evaluate("document.activeElement.closest('.mb-3, form').textContent")
    assert "ditolak" in fokus
    expect(page.get_by_role("button", name="Simpan draf")).to_be_enabled()
    assert not Lampiran.objects.exists()
    tangkap(page, "unggah-jenis-salah")


def test_a_save_shows_its_progress_then_the_page_it_led_to_in_place(
    live_server, page, tmp_path, kota_serang, operator_dinkes, soal_dinkes
):
    from clusters.models import Jawaban

    buka_pertanyaan(page, live_server, soal_dinkes)
    ditahan = []

    def tahan(route):
        if route.request.method == "POST":
            ditahan.append(route)
        else:
            route.continue_()

    page.route(re.compile(r".*/evaluasi/.*"), tahan)
    page.get_by_label("Sebagian besar terpenuhi · 6 poin").check()
    page.get_by_label("Catatan").fill("Data 12 Puskesmas")
    page.get_by_role("button", name="Simpan draf").click()

    # While the answer is on its way: the progress bar, and the button waits.
    expect(page.get_by_role("progressbar", name="Kemajuan unggahan")).to_be_visible()
    expect(page.get_by_role("button", name="Menyimpan…")).to_be_disabled()
    assert len(ditahan) == 1
    ditahan[0].continue_()

    expect(page.get_by_text("Jawaban disimpan sebagai draf.")).to_be_visible()
    assert page.evaluate("[window.__halamanIni, window.__tulis]") == [True, 0]
    # The whole page is the new one: its menu and notification count too, not only its content.
    assert page.locator("body > main, body main").count() == 1
    assert page.url == f"{live_server.url}{soal_dinkes.get_absolute_url()}"
    assert "Portal KLA" in page.title()
    expect(page.get_by_role("progressbar", name="Kemajuan unggahan")).to_be_hidden()
    fokus = page.evaluate("document.activeElement.textContent")
    assert "Jawaban disimpan sebagai draf." in fokus
    assert page.evaluate("window.scrollY") == 0  # the new page starts at its top, message first
    assert Jawaban.objects.get().catatan == "Data 12 Puskesmas"

    # The content put in place works as on load: a file, the quick choices, one more save.
    page.unroute(re.compile(r".*/evaluasi/.*"))
    bukti = tmp_path / "sk.pdf"
    bukti.write_bytes(PDF)
    page.get_by_label("Terpenuhi seluruhnya · 8 poin").check()
    expect(page.get_by_label("Poin", exact=True)).to_have_value("8")
    page.get_by_label("Tambah data dukung").set_input_files(str(bukti))
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_role("link", name="sk.pdf")).to_be_visible()
    assert page.evaluate("[window.__halamanIni, window.__tulis]") == [True, 0]
    assert Jawaban.objects.get().lampiran.count() == 1
    tangkap(page, "unggah-tersimpan-di-tempat")
