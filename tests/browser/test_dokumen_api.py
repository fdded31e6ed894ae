"""The API's documentation (Swagger UI, ReDoc) in a real browser, under the site's CSP."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOGO_REDOCLY = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def _pesan_konsol(page) -> list[str]:
    pesan = []
    page.on("console", lambda m: pesan.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: pesan.append(f"pageerror: {e}"))
    return pesan


def test_swagger_ui_lists_the_operations_without_a_csp_error(
    live_server, page, screenshot, kota_serang, operator_dinkes
):
    konsol = _pesan_konsol(page)
    log_in(page, live_server, "operator.dinkes")
    page.goto(f"{live_server.url}/api/docs/")

    expect(page.get_by_text("API Portal KLA").first).to_be_visible(timeout=30_000)
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/opd/{id}/")).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/saya/")).to_be_visible()
    # An operation opens with its problems (RFC 9457) listed among its responses.
    page.locator(".opblock-summary-path", has_text="/api/v1/saya/").click()
    expect(page.locator(".responses-table .response-col_status", has_text="404")).to_be_visible()
    screenshot("api-swagger-ui")
    assert not [m for m in konsol if "Content Security Policy" in m or "pageerror" in m], konsol


def test_redoc_lists_the_operations_without_a_csp_error(
    live_server, page, kota_serang, operator_dinkes
):
    konsol = _pesan_konsol(page)
    log_in(page, live_server, "operator.dinkes")
    page.goto(f"{live_server.url}/api/redoc/")

    # ReDoc reads and lays out the whole schema (a hundred operations) before showing any.
    expect(page.get_by_role("heading", name="API Portal KLA", level=1)).to_be_visible(
        timeout=30_000
    )
    expect(page.get_by_text("/api/v1/saya/").first).to_be_attached()
    expect(page.get_by_text("Tidak ditemukan").first).to_be_attached()
    # The search runs in ReDoc's worker, the one thing its page allows beyond the site's CSP.
    page.get_by_placeholder("Search...").fill("wilayah")
    expect(page.locator("[role=search] li").first).to_be_visible()
    # The top of the page only: ReDoc lays every operation out on one page, 100,000 px tall.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "api-redoc.png"))
    # ReDoc always asks a CDN for the Redocly logo of its footer link; the CSP refuses it, as
    # it should: that refusal is the one report allowed here.
    assert not [
        m
        for m in konsol
        if ("Content Security Policy" in m and LOGO_REDOCLY not in m) or "pageerror" in m
    ], konsol


def test_a_visitor_not_logged_in_goes_to_the_login_page(live_server, page, db):
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.get_by_role("heading", name="Masuk ke Portal KLA")).to_be_visible()
