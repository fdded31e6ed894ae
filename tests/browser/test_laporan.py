"""The evaluation bundle in a real browser, built by a real worker: the secretariat starts it,
watches the progress bar, downloads the PDF; two of its pages are kept as pictures."""

import subprocess
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from pypdf import PdfReader

from clusters import services
from tests.browser.conftest import SCREENSHOTS, tangkap
from tests.browser.test_login import log_in
from tests.laporan.conftest import foto, pdf_halaman

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]
HALAMAN_PDF = SCREENSHOTS.parent / "bundel"


def test_the_secretariat_builds_the_2024_bundle_watches_it_and_downloads_it(
    live_server, page, celery_worker_process, tahun_2024, sekretariat, tmp_path
):
    tahun, _urutan = tahun_2024
    pertama = tahun.pertanyaan.select_related("indikator").first()
    for nama, isi in (
        ("sk-gugus-tugas.pdf", pdf_halaman("SK GUGUS TUGAS KLA KOTA SERANG", "LAMPIRAN SK")),
        ("foto-rapat.jpg", foto()),
    ):
        services.lampiran_tambah(
            pertanyaan=pertama, by=sekretariat, berkas=SimpleUploadedFile(nama, isi)
        )

    log_in(page, live_server, "sekretariat")
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Laporan").click()
    expect(
        page.get_by_role("heading", name="Bundel evaluasi KLA 2024 untuk KemenPPPA")
    ).to_be_visible()
    page.get_by_label("PDF lengkap dengan data dukung").check()
    page.get_by_role("button", name="Buat bundel 2024").click()
    expect(page.get_by_text("Bundel 2024 mulai dibuat.")).to_be_visible()

    # The bar moves by itself (htmx polls the job); note every value it shows. When the job
    # ends the page reloads with the outcome on top and the bundle in the list.
    bar = page.get_by_role("progressbar", name="Kemajuan")
    unduh = page.get_by_role("link", name="Unduh", exact=True)
    terlihat, akhir = [], time.monotonic() + 180
    while time.monotonic() < akhir:
        if unduh.count():
            break
        # Read the bar in one step: between a count and a read the job may end and the page
        # reload without it, and a read that waits for a bar that is gone never returns.
        try:
            nilai_bar = bar.evaluate_all("els => els.map(e => e.getAttribute('aria-valuenow'))")
        except PlaywrightError:  # the page reloaded while it was read
            nilai_bar = []
        for nilai in map(int, nilai_bar):
            if not terlihat or terlihat[-1] != nilai:
                terlihat.append(nilai)
                if 35 <= nilai < 100 and len(terlihat) <= 6:
                    tangkap(page, "laporan-1-kemajuan")
        time.sleep(0.2)
    assert any(0 < nilai < 100 for nilai in terlihat), terlihat
    expect(unduh).to_be_visible()
    expect(
        page.get_by_text("Bundel evaluasi KLA 2024 (PDF lengkap dengan data dukung):")
    ).to_be_visible()
    tangkap(page, "laporan-2-selesai")

    with page.expect_download() as unduhan:
        unduh.click()
    assert unduhan.value.suggested_filename.startswith("bundel-evaluasi-kla-2024-")
    berkas = tmp_path / "bundel.pdf"
    unduhan.value.save_as(berkas)
    reader = PdfReader(berkas)
    halaman = [" ".join((p.extract_text() or "").split()) for p in reader.pages]
    bukti = next(i for i, t in enumerate(halaman) if "SK GUGUS TUGAS KLA KOTA SERANG" in t)
    soal = next(i for i, t in enumerate(halaman) if pertama.teks[:40] in t)
    assert soal < bukti

    # Two pages as pictures, kept beside the screenshots: the cover and the first evidence.
    HALAMAN_PDF.mkdir(parents=True, exist_ok=True)
    for nama, nomor in (("sampul", 1), ("data-dukung", bukti + 1)):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                "-singlefile",
                "-f",
                str(nomor),
                "-l",
                str(nomor),
                str(berkas),
                str(HALAMAN_PDF / nama),
            ],
            check=True,
        )
        assert Path(HALAMAN_PDF / f"{nama}.png").stat().st_size > 10_000

    # The list of bundles holds it, with its pages, size and checksum.
    expect(page.get_by_role("cell", name=str(len(reader.pages)), exact=True)).to_be_visible()
    page.locator("summary", has_text="…").first.click()
    tangkap(page, "laporan-3-daftar")
