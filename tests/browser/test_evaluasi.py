"""The yearly evaluation in a real browser: answer, approve, return, read the reason."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import tangkap
from tests.browser.test_login import log_in
from tests.conftest import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_answer_approve_return_and_read_the_reason(
    live_server,
    browser,
    tmp_path,
    kota_serang,
    operator_dinkes,
    kepala_dinkes,
    sekretariat,
    soal_dinkes,
):
    evidence = tmp_path / "sk-puskesmas-ramah-anak.pdf"
    evidence.write_bytes(PDF)

    def person(username):
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
        page = context.new_page()
        log_in(page, live_server, username)
        return page

    # The Dinkes operator answers, attaches the decree and sends.
    page = person("operator.dinkes")
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Tugas saya").click()
    expect(page.get_by_role("heading", name="Tugas saya")).to_be_visible()
    page.get_by_role("link", name="Pertanyaan 1: apakah tersedia layanan?").click()
    page.get_by_label("Sebagian besar terpenuhi · 6 poin").check()
    page.get_by_label("Angka tahun ini").fill("1.250,5")
    page.get_by_label("Catatan").fill("Data 12 Puskesmas, 2024")
    page.get_by_label("Tambah data dukung").set_input_files(str(evidence))
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_text("Jawaban disimpan sebagai draf.")).to_be_visible()
    expect(page.get_by_role("link", name="sk-puskesmas-ramah-anak.pdf")).to_be_visible()
    tangkap(page, "evaluasi-1-operator-menjawab")
    page.get_by_role("button", name="Kirim ke kepala").click()
    expect(page.get_by_text("Jawaban dikirim ke kepala OPD untuk disetujui.")).to_be_visible()

    # The head of Dinkes approves.
    head = person("kepala.dinkes")
    head.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Tugas saya").click()
    expect(head.get_by_text("1 jawaban menunggu persetujuan Anda")).to_be_visible()
    head.get_by_role("link", name="Indikator 15 · Pertanyaan 1").click()
    head.get_by_role("button", name="Setujui dan teruskan ke Sekretariat").click()
    expect(head.get_by_text("Jawaban disetujui dan diteruskan ke Sekretariat.")).to_be_visible()

    # The secretariat returns it with a reason.
    secretariat = person("sekretariat")
    secretariat.get_by_role("navigation", name="Menu utama").get_by_role(
        "link", name="Verifikasi"
    ).click()
    secretariat.get_by_role("link", name="Pertanyaan 1: apakah tersedia layanan?").click()
    secretariat.get_by_label("Alasan").fill(
        "SK belum ditandatangani Wali Kota; lampirkan SK final."
    )
    tangkap(secretariat, "evaluasi-2-sekretariat-mengembalikan")
    secretariat.get_by_role("button", name="Kembalikan ke OPD").click()
    expect(secretariat.get_by_text("Jawaban dikembalikan ke OPD dengan alasan.")).to_be_visible()

    # The operator sees the reason, on the page and in the notifications.
    page.reload()
    expect(page.get_by_role("alert")).to_contain_text("SK belum ditandatangani Wali Kota")
    page.get_by_role("link", name="Notifikasi").click()
    expect(page.get_by_text("Dikembalikan oleh Sekretariat")).to_be_visible()
    tangkap(page, "evaluasi-3-operator-melihat-alasan")


def test_a_refused_save_keeps_the_chosen_file_and_the_typing(
    live_server, page, tmp_path, kota_serang, make_person, dinkes, operator_dinkes, soal_dinkes
):
    from decimal import Decimal

    from clusters import services

    evidence = tmp_path / "sk.pdf"
    evidence.write_bytes(PDF)
    log_in(page, live_server, "operator.dinkes")
    page.goto(f"{live_server.url}/evaluasi/pertanyaan/{soal_dinkes.pk}/")
    # A colleague saves while the page is open.
    rekan = make_person("operator2.dinkes", "operator_opd", opd=dinkes, nama="Rudi Hartono")
    services.jawaban_simpan(pertanyaan=soal_dinkes, by=rekan, versi=0, fraksi=Decimal("0.5"))

    page.get_by_label("Terpenuhi seluruhnya · 8 poin").check()
    page.get_by_label("Catatan").fill("catatan saya")
    page.get_by_label("Tambah data dukung").set_input_files(str(evidence))
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_text("sudah diubah oleh Rudi Hartono")).to_be_visible()
    assert page.get_by_label("Tambah data dukung").evaluate("input => input.files.length") == 1
    expect(page.get_by_label("Catatan")).to_have_value("catatan saya")
    tangkap(page, "evaluasi-4-konflik-berkas-tetap-ada")

    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_text("Jawaban disimpan sebagai draf.")).to_be_visible()
    expect(page.get_by_role("link", name="sk.pdf")).to_be_visible()


def test_a_file_over_the_limit_is_refused_before_it_is_sent(
    live_server, page, tmp_path, settings, kota_serang, operator_dinkes, soal_dinkes
):
    from clusters.models import Lampiran

    settings.UPLOAD_MAX_MB = 1
    besar = tmp_path / "scan-sk-besar.pdf"
    besar.write_bytes(PDF + b"0" * (2 * 1024 * 1024))
    requests = []
    log_in(page, live_server, "operator.dinkes")
    page.goto(f"{live_server.url}{soal_dinkes.get_absolute_url()}")
    page.on("request", lambda r: requests.append(r) if r.method == "POST" else None)
    page.get_by_label("Sebagian besar terpenuhi · 6 poin").check()
    page.get_by_label("Tambah data dukung").set_input_files(str(besar))
    page.get_by_role("button", name="Simpan draf").click()
    expect(
        page.get_by_text("Berkas scan-sk-besar.pdf terlalu besar (2 MB); batasnya 1 MB.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Simpan draf")).to_be_enabled()
    assert not requests and not Lampiran.objects.exists()
    tangkap(page, "evaluasi-berkas-terlalu-besar")


def test_a_quick_choice_fills_the_points_box_and_other_points_are_kept(
    live_server, browser, kota_serang, operator_dinkes, soal_dinkes
):
    from decimal import Decimal

    from clusters.models import Jawaban

    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
    page = context.new_page()
    log_in(page, live_server, "operator.dinkes")
    page.goto(f"{live_server.url}{soal_dinkes.get_absolute_url()}")
    poin = page.get_by_label("Poin", exact=True)
    page.get_by_label("Sebagian besar terpenuhi · 6 poin").check()
    expect(poin).to_have_value("6")
    # 0,66 of the maximum of 8 is 5,28: off the grades, so no choice stays ticked.
    poin.fill("5,28")
    expect(page.get_by_label("Sebagian besar terpenuhi · 6 poin")).not_to_be_checked()
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_text("Jawaban disimpan sebagai draf.")).to_be_visible()
    expect(page.get_by_text("5,28 dari 8 (di luar pilihan)")).to_be_visible()
    jawaban = Jawaban.objects.get(pertanyaan=soal_dinkes)
    assert (jawaban.poin_langsung, jawaban.fraksi) == (Decimal("5.28"), None)
    context.close()
