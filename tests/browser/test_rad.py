"""The RAD in a real browser: an operator reports a quarter from Excel, Bappeda sees it."""

from decimal import Decimal

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from rencana_aksi import services
from rencana_aksi.models import Klaster, SumberDana
from rencana_aksi.services import DataAksi
from tests.browser.conftest import tangkap
from tests.browser.test_login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
JT = Decimal(1_000_000)


def test_an_operator_imports_a_quarter_and_bappeda_sees_the_figures_move(
    live_server, browser, tmp_path, kota_serang, sekretariat, bappeda, operator_dinkes, dinkes
):
    periode = services.periode_buat(
        tahun_mulai=2025, by=sekretariat, dasar_hukum="Peraturan Wali Kota Serang Nomor 12"
    )
    services.aksi_simpan(
        periode=periode,
        data=DataAksi(
            kode="K3.01",
            nama="Puskesmas ramah anak",
            klaster=Klaster.KLASTER_3,
            indikator_kinerja="Puskesmas yang memenuhi standar ramah anak",
            satuan="puskesmas",
            opd_utama=dinkes,
            indikator_kla=["Indikator 15"],
            target={2025: (Decimal(16), Decimal(200) * JT, SumberDana.APBD)},
        ),
        by=sekretariat,
    )

    def person(username):
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
        page = context.new_page()
        log_in(page, live_server, username)
        return page

    dashboard = f"{live_server.url}/rad/{periode.pk}/pemantauan/?tahun=2025"
    watcher = person("bappeda")
    watcher.goto(dashboard)
    expect(watcher.get_by_role("heading", name="Pemantauan RAD KLA")).to_be_visible()
    absorption = watcher.locator(".stat-card").nth(1).locator(".stat-value")
    expect(absorption).to_have_text("0,0%")
    tangkap(watcher, "rad-1-pemantauan-sebelum")

    # The Dinkes operator downloads the quarter's template from the RAD pages ...
    page = person("operator.dinkes")
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="RAD KLA").click()
    page.get_by_role("link", name="Excel", exact=True).click()
    page.get_by_label("Tahun").select_option("2025")
    page.get_by_label("Triwulan").select_option("1")
    with page.expect_download() as download:
        page.get_by_role("button", name="Templat realisasi triwulan").click()
    template = tmp_path / "realisasi.xlsx"
    download.value.save_as(template)

    # ... fills it in Excel (here: openpyxl), the Indonesian way ...
    book = load_workbook(template)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    row = next(
        r for r in sheet.iter_rows(min_row=2) if r[header.index("kode_aksi")].value == "K3.01"
    )
    row[header.index("capaian")].value = "4"
    row[header.index("anggaran")].value = "50.000.000"
    row[header.index("uraian")].value = "Empat puskesmas diasesmen"
    book.save(template)

    # ... uploads it, reads the preview and confirms.
    page.get_by_label("Berkas RAD (XLSX atau CSV)").set_input_files(str(template))
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.get_by_text("K3.01").first).to_be_visible()
    tangkap(page, "rad-2-pratinjau-impor")
    page.get_by_role("button", name="Konfirmasi impor").click()
    expect(page.get_by_text("diimpor").first).to_be_visible()

    # Bappeda's dashboard now counts Rp 50 juta of Rp 200 juta spent.
    watcher.reload()
    expect(absorption).to_have_text("25,0%")
    tangkap(watcher, "rad-3-pemantauan-sesudah")
