"""The secretariat invites to a meeting by typing part of an agency's or a person's name and
ticking "everyone on the task force" and "every agency head", instead of Ctrl-clicking two long
lists; without the script the same form is two plain lists."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies import services as agencies_services
from agencies.models import AnggotaGugusTugas
from tests.browser.conftest import tangkap
from tests.browser.test_aksesibilitas import pelanggaran
from tests.browser.test_login import log_in
from tests.conftest import OpdFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def gugus_dengan_anggota(kota_serang, sekretariat, dinkes, dinsos, dp3a, kepala_dinkes):
    """The city's task force with Ani (Dinkes) and Yusuf (Dinsos); Budi of DP3A is recorded
    but holds no seat; forty more agencies make the lists long."""
    OpdFactory.create_batch(40)
    gugus = agencies_services.gugus_tugas_buat(wilayah=kota_serang, by=sekretariat)
    for nama, opd in [("Ani Rahmawati", dinkes), ("Yusuf Maulana", dinsos)]:
        agencies_services.anggota_baru_tambah(
            gugus_tugas=gugus,
            nama=nama,
            opd=opd,
            unsur=AnggotaGugusTugas.Unsur.TEKNIS,
            by=sekretariat,
        )
    agencies_services.personil_simpan(nama="Budi Hartono", opd=dp3a, by=sekretariat)
    return gugus


def isi_rapat(page):
    besok = timezone.localdate() + datetime.timedelta(days=1)
    page.get_by_label("Judul").fill("Rakor Gugus Tugas KLA: persiapan verifikasi")
    page.get_by_label("Tanggal").fill(besok.isoformat())
    page.get_by_label("Mulai pukul").fill("09:00")
    page.get_by_label("Selesai pukul").fill("11:00")
    page.get_by_label("Tempat").fill("Ruang Rapat Bappeda")
    page.get_by_label("Agenda").fill("Kesiapan verifikasi lapangan")


@pytest.mark.parametrize(("lebar", "tinggi", "nama"), [(1366, 768, "laptop"), (390, 844, "ponsel")])
def test_the_secretariat_invites_by_typing_names_and_ticking_shortcuts(
    live_server, browser, gugus_dengan_anggota, lebar, tinggi, nama
):
    context = browser.new_context(viewport={"width": lebar, "height": tinggi}, locale="id-ID")
    page = context.new_page()
    log_in(page, live_server, "sekretariat")
    page.goto(f"{live_server.url}/koordinasi/rapat/baru/")
    isi_rapat(page)
    # axe at the laptop size, as test_aksesibilitas: on a phone it also reports the navbar's
    # city name (opacity-75), which this page does not own.
    periksa_axe = lebar == 1366
    assert not periksa_axe or pelanggaran(page) == []

    opd = page.get_by_role("combobox", name="OPD/lembaga yang diundang")
    opd.click()
    opd.press_sequentially("sosial", delay=50)
    expect(page.get_by_role("option", name="Dinsos — Dinas Sosial")).to_be_visible()
    expect(page.get_by_role("option", name="Dinkes — Dinas Kesehatan")).to_have_count(0)
    tangkap(page, f"undangan-cari-{nama}-0-mengetik")
    page.keyboard.press("Enter")  # the keyboard chooses the highlighted option
    opd.press_sequentially("perempuan", delay=50)
    page.get_by_role("option", name="DP3AP2KB — Dinas Pemberdayaan Perempuan").click()
    dipilih = page.locator(".ts-wrapper .item")
    expect(dipilih.filter(has_text="DP3AP2KB")).to_be_visible()
    page.keyboard.press("Backspace")  # the last chip goes again, by keyboard too
    expect(dipilih.filter(has_text="DP3AP2KB")).to_have_count(0)
    expect(dipilih.filter(has_text="Dinsos — Dinas Sosial")).to_be_visible()
    page.keyboard.press("Tab")  # on to the people, by keyboard

    orang = page.get_by_role("combobox", name="Orang yang diundang")
    expect(orang).to_be_focused()
    orang.press_sequentially("budi", delay=50)
    page.get_by_role("option", name="Budi Hartono (DP3AP2KB)").click()
    orang.press_sequentially("yusuf", delay=50)
    expect(page.get_by_role("option", name="Yusuf Maulana (Dinsos)")).to_be_visible()
    page.keyboard.press("Enter")
    expect(dipilih.filter(has_text="Yusuf Maulana (Dinsos)")).to_be_visible()  # a member too
    page.keyboard.press("Tab")  # leaves the list closed
    expect(orang).not_to_be_focused()
    page.get_by_label("Semua anggota Gugus Tugas").check()
    page.get_by_label("Semua kepala OPD").check()
    assert not periksa_axe or pelanggaran(page) == []  # with chips chosen
    tangkap(page, f"undangan-cari-{nama}-1-form")

    page.get_by_role("button", name="Jadwalkan dan kirim undangan").click()
    expect(page.get_by_text("Rapat dijadwalkan dan undangan dikirim.")).to_be_visible()
    undangan = page.get_by_role("region", name="Undangan dan kehadiran").get_by_role("listitem")
    # Dinkes through its head, Dinsos chosen; Ani and Yusuf as members (Yusuf, chosen too,
    # once), Budi chosen.
    expect(undangan).to_have_count(5)
    for diundang in [
        "Dinas Kesehatan",
        "Dinas Sosial",
        "Ani Rahmawati (Dinkes)",
        "Yusuf Maulana (Dinsos)",
        "Budi Hartono (DP3AP2KB)",
    ]:
        expect(undangan.filter(has_text=diundang)).to_have_count(1)
    tangkap(page, f"undangan-cari-{nama}-2-rapat")

    # Changing the meeting shows everyone invited as chips, the shortcuts' people among them.
    page.get_by_role("link", name="Ubah").click()
    expect(dipilih).to_have_text(
        [
            "Dinkes — Dinas Kesehatan×",
            "Dinsos — Dinas Sosial×",
            "Ani Rahmawati (Dinkes)×",
            "Budi Hartono (DP3AP2KB)×",
            "Yusuf Maulana (Dinsos)×",
        ]
    )
    tangkap(page, f"undangan-cari-{nama}-3-ubah")
    context.close()


def test_without_the_script_the_same_form_is_two_plain_lists(
    live_server, browser, gugus_dengan_anggota, dinsos
):
    context = browser.new_context(java_script_enabled=False, locale="id-ID")
    page = context.new_page()
    log_in(page, live_server, "sekretariat")
    page.goto(f"{live_server.url}/koordinasi/rapat/baru/")
    isi_rapat(page)
    page.get_by_label("OPD/lembaga yang diundang").select_option([f"{dinsos.pk}"])
    page.get_by_label("Semua anggota Gugus Tugas").check()
    tangkap(page, "undangan-cari-tanpa-skrip")
    page.get_by_role("button", name="Jadwalkan dan kirim undangan").click()
    undangan = page.get_by_role("region", name="Undangan dan kehadiran").get_by_role("listitem")
    expect(undangan).to_have_count(3)  # Dinsos, Ani, Yusuf
    expect(undangan.filter(has_text="Dinas Sosial")).to_have_count(1)
    context.close()
