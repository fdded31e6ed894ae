"""The lists people work from, on a phone 390 px wide: the operator's task list, the
secretariat's verification queue, the RAD quarterly reports inbox, the follow-ups and the
facility register. Each row becomes a card, so the page never scrolls sideways and the first
row's status and link sit inside the screen, with nothing axe finds serious; on a laptop the
same page is still a table."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import expect

from clusters import services as clusters_services
from clusters.models import Jawaban
from koordinasi import services as koordinasi_services
from tests.browser.conftest import tangkap
from tests.browser.test_aksesibilitas import ATURAN, AXE, BERAT
from tests.browser.test_login import log_in
from tests.koordinasi.conftest import gugus_kota, rapat_lalu  # noqa: F401 - fixtures
from tests.rencana_aksi.conftest import aksi_dinkes, periode  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PONSEL = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


def buka(page, live_server, username: str, alamat: str) -> None:
    page.set_viewport_size(PONSEL)
    log_in(page, live_server, username)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(live_server.url + alamat)


def tepi(locator) -> dict:
    """Where the element is drawn: left, right, top and bottom in CSS pixels."""
    expect(locator).to_be_visible()
    kotak = locator.bounding_box()
    return {
        "kiri": kotak["x"],
        "kanan": kotak["x"] + kotak["width"],
        "atas": kotak["y"],
        "bawah": kotak["y"] + kotak["height"],
    }


def pelanggaran_isi(page) -> list[str]:
    """axe's critical and serious WCAG 2.1 A/AA violations in the page's content (#konten, the
    lists; the menu bar is test_aksesibilitas's)."""
    page.evaluate(AXE)
    hasil = page.evaluate(
        "async (aturan) => (await axe.run('#konten', {runOnly: aturan})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))",
        ATURAN,
    )
    return [f"{v['id']}: {', '.join(v['nodes'][:3])}" for v in hasil if v["impact"] in BERAT]


def periksa_ponsel_lalu_laptop(page, nama: str, tautan, penting) -> None:
    """On the phone: no sideways scroll, the first row's link and the cell that matters most
    (its status, or what is right of the link) inside the 390 px and under the link (a card).
    On the laptop: the same two side by side in one table row, as before."""
    for sel in (tautan, penting):  # not scrolled into view: a table would slide sideways
        kotak = tepi(sel)
        assert kotak["kiri"] >= 0 and kotak["kanan"] <= PONSEL["width"], (nama, kotak)
    assert tepi(penting)["atas"] >= tepi(tautan)["bawah"] - 1, "a card: the cell comes below"
    lebar = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert lebar == [PONSEL["width"], PONSEL["width"]], f"{nama} scrolls sideways: {lebar}"
    assert pelanggaran_isi(page) == [], f"{nama}: axe on the phone"
    tangkap(page, f"ponsel-{nama}-390")

    page.set_viewport_size(LAPTOP)
    expect(page.get_by_role("table").first).to_have_css("display", "table")
    assert tepi(penting)["kiri"] >= tepi(tautan)["kanan"], "a table row: the cell to the right"
    assert tepi(penting)["atas"] < tepi(tautan)["bawah"], "a table row: on the same line"
    tangkap(page, f"ponsel-{nama}-1366")
    page.context.clear_cookies()


def baris_pertama(page):
    """The first row of the page's first list table (row 0 holds the column names)."""
    return page.get_by_role("table").first.get_by_role("row").nth(1)


def test_the_task_list_and_the_verification_queue_fit_a_phone(
    live_server, page, tahun_2024, operator_dinkes, kepala_dinkes, sekretariat
):
    tahun, _urutan = tahun_2024
    # Three of Dinkes's answers, sent by its operator and approved by its head.
    for jawaban in Jawaban.objects.filter(
        pertanyaan__tahun=tahun, pertanyaan__wajib_lampiran=False, wilayah=None
    ).order_by("pk")[:3]:
        clusters_services.jawaban_kirim(jawaban=jawaban, by=operator_dinkes)
        clusters_services.jawaban_setujui(jawaban=jawaban, by=kepala_dinkes)

    # The first question of the instrument, now with the secretariat.
    buka(page, live_server, "operator.dinkes", "/evaluasi/tugas/")
    baris = baris_pertama(page)
    expect(baris.get_by_role("link")).to_have_text(
        "Apakah tersedia peraturan daerah terkait penyelenggaraan Kabupaten/Kota Layak Anak?"
    )
    periksa_ponsel_lalu_laptop(
        page,
        "tugas",
        tautan=baris.get_by_role("link"),
        penting=baris.get_by_role("cell").filter(has_text="Menunggu verifikasi"),
    )

    buka(page, live_server, "sekretariat", "/evaluasi/verifikasi/")
    expect(page.get_by_role("table").first.get_by_role("row")).to_have_count(4)
    baris = baris_pertama(page)
    periksa_ponsel_lalu_laptop(
        page,
        "verifikasi",
        tautan=baris.get_by_role("link").first,
        penting=baris.get_by_role("cell").filter(has_text="Dinkes"),
    )


def test_the_rad_reports_inbox_fits_a_phone(live_server, page, aksi_dinkes, operator_dinkes):  # noqa: F811
    buka(page, live_server, "operator.dinkes", "/rad/laporan/")
    baris = baris_pertama(page)
    expect(baris.get_by_role("link")).to_contain_text("K3.01 · Puskesmas ramah anak")
    periksa_ponsel_lalu_laptop(
        page,
        "rad-laporan",
        tautan=baris.get_by_role("link"),
        penting=baris.get_by_role("cell").filter(has_text="Belum dilaporkan"),
    )


def test_the_follow_ups_fit_a_phone(
    live_server,
    page,
    rapat_lalu,  # noqa: F811 - last week's meeting with Dinkes and Dinsos
    sekretariat,
    dinkes,
    dinsos,
):
    tenggat = timezone.localdate() + datetime.timedelta(days=14)
    for opd, keputusan in (
        (dinkes, "Kirim daftar Puskesmas Ramah Anak yang sudah diasesmen"),
        (dinsos, "Perbarui data anak jalanan per kecamatan"),
    ):
        koordinasi_services.tindak_lanjut_tambah(
            rapat=rapat_lalu, keputusan=keputusan, opd=opd, tenggat=tenggat, by=sekretariat
        )

    buka(page, live_server, "sekretariat", "/koordinasi/tindak-lanjut/")
    expect(page.get_by_role("table").first.get_by_role("row")).to_have_count(3)
    baris = baris_pertama(page)
    periksa_ponsel_lalu_laptop(
        page,
        "tindak-lanjut",
        tautan=baris.get_by_role("link"),
        penting=baris.get_by_role("cell").filter(has_text="Belum dikerjakan"),
    )


def test_the_facility_register_fits_a_phone(live_server, page, kota_serang, sekretariat):
    # The 13 kinds of facility come from a data migration, which the flush after an earlier
    # browser test removes: written again by the same migration.
    import_module("agencies.migrations.0003_jenis_fasilitas_baku").isi(django_apps, None)
    # Kota Serang has 6 kecamatan; Kasemen has 10 kelurahan.
    buka(page, live_server, "sekretariat", "/koordinasi/fasilitas/")
    expect(page.get_by_role("table").first.get_by_role("row")).to_have_count(8)  # and the city
    baris = baris_pertama(page)
    expect(baris.get_by_role("link")).to_have_text("Serang")
    expect(baris.get_by_role("cell").last).to_have_text("0,0%")  # nothing recorded yet
    periksa_ponsel_lalu_laptop(
        page,
        "fasilitas",
        tautan=baris.get_by_role("link"),
        penting=baris.get_by_role("cell").last,
    )

    buka(page, live_server, "sekretariat", "/koordinasi/fasilitas/36.73.02/")
    expect(page.get_by_role("heading", name="Fasilitas Kecamatan Kasemen")).to_be_visible()
    tabel = page.get_by_role("table").first
    expect(tabel.get_by_role("row")).to_have_count(11)
    baris = tabel.get_by_role("row").nth(1)
    expect(baris.get_by_role("link")).to_have_text("Kasemen")
    expect(baris.get_by_role("cell").last).to_have_text("–")
    periksa_ponsel_lalu_laptop(
        page,
        "fasilitas-unit",
        tautan=baris.get_by_role("link"),
        penting=baris.get_by_role("cell").last,
    )
