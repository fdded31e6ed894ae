"""A person logs in with a real browser and finds their way."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username: str, password: str = "sandi-rahasia-123") -> None:
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Masuk ke Portal KLA")).to_be_visible()
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def test_an_agency_operator_logs_in_and_sees_the_home_page(
    live_server, page, screenshot, kota_serang, operator_dinkes
):
    log_in(page, live_server, "operator.dinkes")

    expect(page.get_by_role("heading", name="Selamat datang, Siti Nurhaliza")).to_be_visible()
    expect(page.get_by_text("Operator OPD")).to_be_visible()
    expect(page.get_by_text("Dinas Kesehatan")).to_be_visible()
    nav = page.get_by_role("navigation", name="Menu utama")
    expect(nav.get_by_role("link", name="OPD")).to_be_visible()
    expect(nav.get_by_role("link", name="Pengguna")).to_have_count(0)
    screenshot("beranda-operator-dinkes")


def test_a_wrong_password_is_explained_in_the_browser(
    live_server, page, kota_serang, operator_dinkes
):
    log_in(page, live_server, "operator.dinkes", password="salah-ketik")
    expect(page.get_by_role("alert")).to_contain_text("Nama pengguna atau kata sandi salah")


def test_the_secretariat_creates_an_account_and_sees_the_temporary_password(
    live_server, page, screenshot, kota_serang, sekretariat, dinsos
):
    log_in(page, live_server, "sekretariat")
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Pengguna").click()
    page.get_by_role("link", name="Tambah pengguna").click()
    page.get_by_label("Nama pengguna").fill("operator.dinsos")
    page.get_by_label("Nama lengkap").fill("Budi Santoso")
    page.get_by_label("Peran").select_option("operator_opd")
    page.get_by_label("OPD").select_option(label="Dinas Sosial")
    screenshot("pengguna-baru-form")
    page.get_by_role("button", name="Buat akun").click()

    expect(page.get_by_text("Akun untuk Budi Santoso sudah dibuat.")).to_be_visible()
    expect(page.locator("#sandi-sementara")).to_have_text(
        re.compile(r"^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){2}$")
    )
    screenshot("pengguna-baru-sandi-sementara")
    page.get_by_role("link", name="Lihat pengguna").click()
    expect(page.get_by_role("cell", name="Dinas Sosial")).to_be_visible()
    screenshot("pengguna-detail")
