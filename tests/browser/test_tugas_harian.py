"""A day's work in a real browser, on a laptop and on a phone: the operator sends every finished
draft in one click and reads what was sent; the head sees the bell count what is open, approves
and lands on the next answer ("1 lagi"), and finds the handled notice marked done."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from clusters import services
from tests.browser.conftest import tangkap
from tests.browser.test_login import log_in
from tests.clusters.test_berikutnya import _soal_dinsos

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("lebar", "tinggi", "nama"), [(1366, 768, "laptop"), (390, 844, "ponsel")])
def test_send_all_drafts_then_the_head_works_through_them(
    live_server, browser, indikator, dinsos, operator_dinsos, kepala_dinsos, lebar, tinggi, nama
):
    for p in _soal_dinsos(indikator, dinsos, 2):
        services.jawaban_simpan(pertanyaan=p, by=operator_dinsos, versi=0, poin_langsung=Decimal(2))
    context = browser.new_context(viewport={"width": lebar, "height": tinggi}, locale="id-ID")
    page = context.new_page()

    log_in(page, live_server, "operator.dinsos")
    page.goto(f"{live_server.url}/evaluasi/tugas/")
    page.get_by_role("button", name="Kirim semua draf yang lengkap (2 draf)").click()
    expect(page.get_by_role("status")).to_contain_text(
        "2 jawaban dikirim ke kepala untuk disetujui."
    )
    tangkap(page, f"tugas-harian-kirim-semua-{nama}")
    context.clear_cookies()

    log_in(page, live_server, "kepala.dinsos")
    lonceng = page.locator("a[href='/notifikasi/'] .badge")  # in the collapsed menu on a phone
    expect(lonceng).to_contain_text("2 belum selesai")
    page.goto(f"{live_server.url}/evaluasi/tugas/")
    page.locator("#judul-menunggu").locator("xpath=..").get_by_role("link").first.click()
    page.get_by_role("button", name="Setujui dan teruskan ke Sekretariat").click()
    expect(page.get_by_text("1 lagi menunggu Anda; ini berikutnya.")).to_be_visible()
    tangkap(page, f"tugas-harian-berikutnya-{nama}")
    page.get_by_role("button", name="Setujui dan teruskan ke Sekretariat").click()
    expect(page.get_by_text("Jawaban disetujui dan diteruskan ke Sekretariat.")).to_be_visible()
    expect(page.get_by_text("lagi menunggu Anda")).to_have_count(0)

    page.goto(f"{live_server.url}/notifikasi/")
    expect(page.locator(".badge", has_text="Selesai")).to_have_count(2)
    expect(lonceng).to_have_count(0)  # nothing open: no count on the bell
    assert page.evaluate("document.documentElement.scrollWidth") <= lebar
    tangkap(page, f"tugas-harian-notifikasi-{nama}")
    context.close()
