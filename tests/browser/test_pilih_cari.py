"""The secretariat maps a data-source name by typing part of an agency's name: the options
come from the portal as one types, the page itself carries none of them."""

import pytest
from playwright.sync_api import expect

from clusters.models import SumberData
from tests.browser.conftest import tangkap
from tests.browser.test_login import log_in
from tests.conftest import OpdFactory, kota_uji

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("lebar", "tinggi", "nama"), [(1366, 768, "laptop"), (390, 844, "ponsel")])
def test_the_secretariat_finds_an_agency_by_part_of_its_name_and_saves_the_mapping(
    live_server, browser, kota_serang, sekretariat, dinkes, dinsos, lebar, tinggi, nama
):
    OpdFactory.create_batch(40)  # agencies that must not all be sent to the page
    sumber = SumberData.objects.create(daerah=kota_uji(), nama="Dinas Kesehatan Kota")
    SumberData.objects.create(daerah=kota_uji(), nama="DPPPAPPKB")
    context = browser.new_context(viewport={"width": lebar, "height": tinggi}, locale="id-ID")
    page = context.new_page()
    log_in(page, live_server, "sekretariat")
    page.goto(f"{live_server.url}/evaluasi/pemetaan-opd/")
    expect(page.get_by_role("heading", name="Pemetaan nama sumber data ke OPD")).to_be_visible()

    kotak = page.get_by_role("combobox", name="Dinas Kesehatan Kota")
    kotak.click()
    page.keyboard.type("keseh", delay=50)  # into the search box the list opened with
    pilihan = page.get_by_role("option", name="Dinkes — Dinas Kesehatan")
    expect(pilihan).to_be_visible()
    expect(page.get_by_role("option", name="Dinsos — Dinas Sosial")).to_have_count(0)
    tangkap(page, f"pilih-cari-{nama}-1-mengetik")
    page.keyboard.press("Enter")  # the keyboard chooses the highlighted option
    expect(page.locator(".ts-wrapper .item", has_text="Dinkes — Dinas Kesehatan")).to_be_visible()

    page.get_by_role("button", name="Simpan dan terapkan ke penugasan").click()
    expect(page.get_by_text("1 pemetaan diubah")).to_be_visible()
    sumber.refresh_from_db()
    assert sumber.opd == dinkes
    # The saved agency is shown as chosen when the page opens again.
    expect(page.locator(".ts-wrapper .item", has_text="Dinkes — Dinas Kesehatan")).to_be_visible()
    tangkap(page, f"pilih-cari-{nama}-2-tersimpan")
    context.close()


@pytest.mark.parametrize(("lebar", "tinggi", "nama"), [(1366, 768, "laptop"), (390, 844, "ponsel")])
def test_the_secretariat_assigns_a_question_to_agencies_found_by_typing(
    live_server,
    browser,
    kota_serang,
    sekretariat,
    soal_dinsos,
    dinkes,
    dinsos,
    dp3a,
    lebar,
    tinggi,
    nama,
):
    OpdFactory.create_batch(40)
    context = browser.new_context(viewport={"width": lebar, "height": tinggi}, locale="id-ID")
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # "Ubah penugasan …?"
    log_in(page, live_server, "sekretariat")
    page.goto(f"{live_server.url}/evaluasi/2024/penugasan/")

    page.get_by_role("combobox", name="OPD penanggung jawab").click()
    page.keyboard.type("keseh", delay=50)
    page.get_by_role("option", name="Dinkes — Dinas Kesehatan").click()
    pendukung = page.get_by_role("combobox", name="OPD pendukung")
    pendukung.click()
    pendukung.press_sequentially("sosial", delay=50)
    page.get_by_role("option", name="Dinsos — Dinas Sosial").click()
    pendukung.press_sequentially("perempuan", delay=50)
    page.get_by_role("option", name="DP3AP2KB — Dinas Pemberdayaan Perempuan").click()
    page.keyboard.press("Escape")
    page.get_by_role("checkbox", name=str(soal_dinsos)).check()
    tangkap(page, f"pilih-cari-{nama}-3-penugasan")
    page.get_by_role("button", name="Terapkan").click()
    expect(page.get_by_text("Penugasan 1 pertanyaan diubah.")).to_be_visible()
    assert {(t.opd_id, t.utama) for t in soal_dinsos.penugasan.all()} == {
        (dinkes.pk, True),
        (dinsos.pk, False),
        (dp3a.pk, False),
    }
    tangkap(page, f"pilih-cari-{nama}-4-penugasan-tersimpan")
    context.close()
