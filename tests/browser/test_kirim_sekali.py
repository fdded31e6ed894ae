"""In a real browser: every POST form carries its one-time key, and a save whose answer was
lost on the way back, pressed again, is not saved twice: the person reads "sudah tersimpan"."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from clusters.models import Jawaban
from tests.browser.conftest import tangkap
from tests.browser.test_login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
KUNCI = "input[name=kunci_kirim]"


def test_a_save_whose_answer_was_lost_is_not_saved_twice_when_pressed_again(
    live_server, page, operator_dinsos, soal_dinsos
):
    log_in(page, live_server, "operator.dinsos")
    page.goto(live_server.url + reverse("clusters:pertanyaan-detail", args=[soal_dinsos.pk]))
    form = page.locator("form[data-unggah]")
    expect(form.locator(KUNCI)).to_have_value(re.compile(r"^[0-9a-f]{32}$"))
    # Every POST form of the page has its own key (the logout form is one of them).
    keys = page.locator(f"form[method=post] {KUNCI}").evaluate_all("els => els.map(e => e.value)")
    assert len(keys) >= 2 and len(set(keys)) == len(keys)

    page.get_by_label("Poin").fill("4")
    page.get_by_label("Catatan").fill("Rekap LKS 2024")
    sent_key = form.locator(KUNCI).input_value()

    # The mobile network drops the answer: the server saved, the browser never hears it.
    # (Playwright cannot pass on a body holding a file, so this form sends no file; the
    # evidence case is tried with Django's client in tests/clusters/test_kirim_sekali.py.)
    lost = []

    def drop_answer(route):
        if route.request.method == "POST" and not lost:
            lost.append(route.fetch().status)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(re.compile(r".*/evaluasi/.*"), drop_answer)
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_text("Penyimpanan gagal")).to_be_visible()
    assert lost == [200]  # the XHR followed the redirect: saved
    assert Jawaban.objects.get().versi == 1

    # Pressed again, unchanged: the same key, answered from the first save.
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_text("Data ini sudah tersimpan sebelumnya")).to_be_visible()
    tangkap(page, "kirim-sekali-sudah-tersimpan")
    jawaban = Jawaban.objects.get()
    assert (jawaban.poin_langsung, jawaban.catatan, jawaban.versi) == (4, "Rekap LKS 2024", 1)

    # The page shown has a new form with a new key: a change sent from it is a new write.
    page.get_by_label("Catatan").fill("Rekap LKS 2024, direvisi")
    assert page.locator(f"form[data-unggah] {KUNCI}").input_value() != sent_key
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_text("Jawaban disimpan sebagai draf.")).to_be_visible()
    assert Jawaban.objects.get().catatan == "Rekap LKS 2024, direvisi"
