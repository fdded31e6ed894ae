"""The score pages in a real browser, with a real worker: a verification moves the totals."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from clusters import services
from clusters.models import Jawaban
from tests.browser.conftest import tangkap
from tests.browser.test_login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_the_summary_moves_within_seconds_of_a_verification(
    live_server,
    browser,
    celery_worker_process,
    settings,
    kota_serang,
    tahun,
    sekretariat,
    operator_dinsos,
    operator_dinkes,
    soal_dinsos,
    soal_dinkes,
):
    settings.SKOR_JEDA_DETIK = 0
    # Dinkes claims 6 of 8 without its evidence; Dinsos's 5 points wait for verification.
    services.jawaban_simpan(
        pertanyaan=soal_dinkes, by=operator_dinkes, versi=0, fraksi=Decimal("0.75")
    )
    jawaban = services.jawaban_simpan(
        pertanyaan=soal_dinsos, by=operator_dinsos, versi=0, poin_langsung=Decimal(5)
    )
    Jawaban.objects.filter(pk=jawaban.pk).update(status=Jawaban.Status.MENUNGGU_VERIFIKASI)
    services.skor_hitung(tahun=tahun)

    def person(username):
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
        page = context.new_page()
        log_in(page, live_server, username)
        return page

    summary = person("sekretariat")
    console = []
    summary.on("console", lambda message: console.append(message.text))
    summary.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Skor").click()
    expect(summary.get_by_role("heading", name="Ringkasan skor KLA")).to_be_visible()
    verified = summary.locator(".kartu-verifikasi .stat-value")
    expect(verified).to_have_text("0,00")
    # 6 + 5 under an indicator of 20: plain points, 11,00 (the old 13,75 scaled by 20/16).
    expect(summary.locator(".kartu-mandiri .stat-value")).to_have_text("11,00")
    tangkap(summary, "skor-1-ringkasan")

    # In another tab the secretariat verifies Dinsos's answer.
    desk = person("sekretariat")
    desk.goto(f"{live_server.url}{soal_dinsos.get_absolute_url()}")
    desk.get_by_role("button", name="Verifikasi", exact=True).click()
    expect(desk.get_by_text("Terverifikasi").first).to_be_visible()

    # The open summary reloads itself once the worker has written the new snapshot.
    expect(verified).to_have_text("5,00", timeout=45_000)  # Dinsos's 5 (was 6,25 scaled)
    tangkap(summary, "skor-2-ringkasan-setelah-verifikasi")

    summary.get_by_role("link", name="Poin yang hilang").click()
    expect(summary.get_by_role("heading", name="Perbaiki ini dulu")).to_be_visible()
    first = summary.get_by_role("table").first.get_by_role("row").nth(1)
    expect(first).to_contain_text("Lampirkan data dukung")
    tangkap(summary, "skor-3-poin-yang-hilang")
    with summary.expect_download() as download:
        summary.get_by_role("link", name="Unduh XLSX").first.click()
    assert download.value.suggested_filename.startswith("perbaiki-dulu-2024")
    # Nothing on these pages (charts, htmx polling) needs what the CSP forbids.
    assert not [m for m in console if "Content Security Policy" in m], console
