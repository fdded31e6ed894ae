"""Coordination in a real browser: the secretariat schedules a meeting, records attendance and
a decision; the owner agency sees the follow-up and closes it with its evidence."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies import services as agencies_services
from tests.browser.conftest import tangkap
from tests.browser.test_login import log_in
from tests.conftest import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_month_of_coordination_from_invitation_to_closed_follow_up(
    live_server, browser, tmp_path, kota_serang, sekretariat, operator_dinkes, dinkes, dinsos
):
    agencies_services.gugus_tugas_buat(wilayah=kota_serang, by=sekretariat)
    bukti = tmp_path / "daftar-puskesmas-ramah-anak.pdf"
    bukti.write_bytes(PDF)
    hari_ini = timezone.localdate()

    def person(username):
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
        page = context.new_page()
        log_in(page, live_server, username)
        return page

    # The secretariat schedules this morning's meeting from the calendar.
    page = person("sekretariat")
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Koordinasi").click()
    expect(page.get_by_role("heading", name="Kalender rapat koordinasi")).to_be_visible()
    page.get_by_role("link", name="Jadwalkan rapat").click()
    page.get_by_label("Judul").fill("Rakor Gugus Tugas KLA: persiapan evaluasi")
    page.get_by_label("Tanggal").fill(hari_ini.isoformat())
    page.get_by_label("Mulai pukul").fill("00:00")
    page.get_by_label("Selesai pukul").fill("23:59")
    page.get_by_label("Tempat").fill("Ruang Rapat Bappeda")
    page.get_by_label("Agenda").fill("1. Data dukung yang belum lengkap\n2. Laporan RAD TW III")
    opd = page.get_by_role("combobox", name="OPD/lembaga yang diundang")
    opd.click()
    opd.press_sequentially("kesehatan")
    page.get_by_role("option", name="Dinkes — Dinas Kesehatan").click()
    opd.press_sequentially("sosial")
    page.get_by_role("option", name="Dinsos — Dinas Sosial").click()
    page.keyboard.press("Escape")
    tangkap(page, "koordinasi-1-jadwalkan-rapat")
    page.get_by_role("button", name="Jadwalkan dan kirim undangan").click()
    expect(page.get_by_text("Rapat dijadwalkan dan undangan dikirim.")).to_be_visible()

    # After the meeting: who came, and the decision that becomes a follow-up.
    page.get_by_label("Kehadiran Dinas Kesehatan").select_option("diwakili")
    page.get_by_label("Diwakili oleh Dinas Kesehatan").fill("Eka Saputra, Kasi Kesling")
    page.get_by_label("Kehadiran Dinas Sosial").select_option("hadir")
    page.get_by_role("button", name="Simpan kehadiran").click()
    expect(page.get_by_text("Kehadiran disimpan.")).to_be_visible()
    page.get_by_text("Catat keputusan sebagai tindak lanjut").click()
    page.get_by_label("Keputusan yang harus ditindaklanjuti").fill(
        "Kirim daftar Puskesmas Ramah Anak yang sudah diasesmen"
    )
    page.get_by_label("OPD penanggung jawab").select_option(f"{dinkes.pk}")
    page.get_by_label("Tenggat").fill((hari_ini + datetime.timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Catat tindak lanjut").click()
    expect(page.get_by_text("Keputusan dicatat sebagai tindak lanjut.")).to_be_visible()
    expect(page.get_by_role("link", name="Bagikan ke WhatsApp")).to_have_attribute(
        "href", re.compile(r"^https://wa\.me/\?text=")
    )
    tangkap(page, "koordinasi-2-rapat-kehadiran-keputusan")

    # The Dinkes operator finds the follow-up and closes it with the evidence.
    dinkes_page = person("operator.dinkes")
    dinkes_page.get_by_role("navigation", name="Menu utama").get_by_role(
        "link", name="Koordinasi"
    ).click()
    dinkes_page.get_by_role("link", name="Tindak lanjut", exact=True).click()
    dinkes_page.get_by_role(
        "link", name="Kirim daftar Puskesmas Ramah Anak yang sudah diasesmen"
    ).click()
    tangkap(dinkes_page, "koordinasi-3-tindak-lanjut-opd")
    dinkes_page.get_by_label("Selesai", exact=True).check()
    dinkes_page.get_by_label("Hasil dan bukti").fill("Daftar 9 Puskesmas terlampir.")
    dinkes_page.get_by_label("Bukti (berkas)").set_input_files(str(bukti))
    dinkes_page.get_by_role("button", name="Simpan").click()
    expect(dinkes_page.get_by_text("Tindak lanjut diperbarui.")).to_be_visible()
    expect(dinkes_page.get_by_role("link", name="daftar-puskesmas-ramah-anak.pdf")).to_be_visible()
    tangkap(dinkes_page, "koordinasi-4-tindak-lanjut-selesai")

    # The secretariat's calendar shows the meeting held; the panel counts it.
    page.get_by_role("link", name="Rapat/Kalender").click()
    expect(
        page.get_by_role("link", name="Rakor Gugus Tugas KLA: persiapan evaluasi")
    ).to_be_visible()
    tangkap(page, "koordinasi-5-kalender")
    page.get_by_role("link", name="Efektivitas").click()
    expect(page.get_by_role("heading", name="Efektivitas koordinasi")).to_be_visible()
    tangkap(page, "koordinasi-6-efektivitas")


def test_a_kecamatan_operator_forms_and_keeps_their_task_force(
    live_server, browser, kota_serang, kasemen, sekretariat, operator_kasemen, dinsos
):
    agencies_services.gugus_tugas_buat(wilayah=kota_serang, by=sekretariat)
    besok = timezone.localdate() + datetime.timedelta(days=1)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
    page = context.new_page()
    log_in(page, live_server, "operator.kasemen")
    page.goto(f"{live_server.url}/koordinasi/gugus-tugas/")
    tangkap(page, "koordinasi-7a-gugus-tugas-kota-operator-kecamatan")
    page.get_by_role("button", name="Bentuk Gugus Tugas KLA Kecamatan Kasemen").click()
    expect(page.get_by_text("dibentuk dengan enam sub-tim baku")).to_be_visible()
    page.get_by_text("Tambah anggota").first.click()
    page.get_by_label("Nama", exact=True).fill("H. Dadang Suherman")
    page.get_by_label("Lembaga", exact=True).select_option(f"{dinsos.pk}")
    page.get_by_label("Pimpinan").check()
    page.get_by_role("button", name="Tambah anggota").click()
    expect(page.get_by_text("H. Dadang Suherman ditambahkan ke Gugus Tugas.")).to_be_visible()
    expect(page.get_by_role("cell", name="Anggota", exact=True)).to_be_visible()  # the default seat
    page.get_by_text("Pindah kedudukan atau sub-tim").click()
    tangkap(page, "koordinasi-7-gugus-tugas-kecamatan")
    page.get_by_role("link", name="Jadwalkan rapat").click()
    page.get_by_label("Judul").fill("Rakor Gugus Tugas Kecamatan Kasemen")
    page.get_by_label("Tanggal").fill(besok.isoformat())
    page.get_by_label("Mulai pukul").fill("09:00")
    page.get_by_label("Selesai pukul").fill("11:00")
    page.get_by_label("Tempat").fill("Aula Kecamatan Kasemen")
    page.get_by_label("Agenda").fill("PATBM dan Forum Anak di kelurahan")
    opd = page.get_by_role("combobox", name="OPD/lembaga yang diundang")
    opd.click()
    opd.press_sequentially("sosial")
    page.get_by_role("option", name="Dinsos — Dinas Sosial").click()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Jadwalkan dan kirim undangan").click()
    expect(page.get_by_text("Rapat dijadwalkan dan undangan dikirim.")).to_be_visible()
    expect(
        page.get_by_text("Keputusan dicatat sebagai tindak lanjut setelah rapat dimulai.")
    ).to_be_visible()
    tangkap(page, "koordinasi-8-rapat-kecamatan-belum-mulai")


def test_the_secretariat_reopens_a_closed_follow_up_with_a_reason(
    live_server, browser, kota_serang, sekretariat, operator_dinkes, dinkes
):
    from koordinasi import services
    from koordinasi.services import DataRapat

    gugus = agencies_services.gugus_tugas_buat(wilayah=kota_serang, by=sekretariat)
    zona = timezone.get_current_timezone()
    mulai = datetime.datetime.combine(
        timezone.localdate() - datetime.timedelta(days=7), datetime.time(9), tzinfo=zona
    )
    rapat = services.rapat_jadwalkan(
        gugus_tugas=gugus,
        data=DataRapat(
            "Rakor Gugus Tugas KLA", mulai, mulai + datetime.timedelta(hours=2), "x", "Aula"
        ),
        opd=[dinkes],
        by=sekretariat,
        kabari=False,
    )
    tindak = services.tindak_lanjut_tambah(
        rapat=rapat,
        keputusan="Kirim data Puskesmas Ramah Anak",
        opd=dinkes,
        tenggat=timezone.localdate(),
        by=sekretariat,
        kabari=False,
    )
    services.tindak_lanjut_perbarui(
        tindak_lanjut=tindak,
        status="selesai",
        hasil="Terkirim",
        versi=tindak.versi,
        by=operator_dinkes,
    )
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
    page = context.new_page()
    log_in(page, live_server, "sekretariat")
    page.goto(f"{live_server.url}{tindak.get_absolute_url()}")
    page.get_by_label("Sedang dikerjakan").check()
    page.get_by_label("Alasan membuka kembali").fill("Data Puskesmas Kasemen belum masuk")
    page.get_by_role("button", name="Simpan").click()
    expect(
        page.get_by_text("Dibuka kembali oleh Sekretariat: Data Puskesmas Kasemen belum masuk")
    ).to_be_visible()
    tangkap(page, "koordinasi-9-tindak-lanjut-dibuka-kembali")
    dinkes_page = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="id-ID"
    ).new_page()
    log_in(dinkes_page, live_server, "operator.dinkes")
    dinkes_page.goto(f"{live_server.url}/koordinasi/rapat/{rapat.pk}/")
    expect(dinkes_page.get_by_role("link", name="Kirim data Puskesmas Ramah Anak")).to_be_visible()
    dinkes_page.goto(f"{live_server.url}/koordinasi/kalender/langganan/")
    tangkap(dinkes_page, "koordinasi-10-langganan")
