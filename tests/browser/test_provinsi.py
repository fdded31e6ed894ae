# ruff: noqa: F811 (the province fixtures are imported, then named as parameters)
"""The province's verification in a real browser: the province's verifier returns an answer,
the city's operator fixes it, the city verifies it again, the province accepts it, and PROVILA
readiness moves. Pratama starts at 10 points for this small year (a year's bands are its own
data), so Cilegon's 12 points can reach it."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from clusters import services as clusters_services
from clusters.models import Kategori, VerifikasiProvinsi
from provinsi import services
from tests.browser.conftest import tangkap
from tests.browser.test_login import log_in
from tests.provinsi.conftest import (  # noqa: F401 (fixtures)
    banten,
    cilegon,
    dinkes_cilegon,
    jawab_sampai_terverifikasi,
    provinsi,
    soal_cilegon,
    warga_cilegon,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_return_fix_accept_and_provila_readiness_moves(
    live_server,
    browser,
    tahun,
    kota_serang,
    cilegon,
    warga_cilegon,
    provinsi,
    soal_cilegon,
):
    Kategori.objects.filter(tahun=tahun, nama="Pratama").update(poin_min=Decimal(10))
    q3, q4 = soal_cilegon["q3"], soal_cilegon["q4"]
    jawab_sampai_terverifikasi(warga_cilegon, q3, poin_kota=8, poin_langsung=Decimal(8))
    jawab_sampai_terverifikasi(warga_cilegon, q4, poin_kota=7, poin_langsung=Decimal(7))
    clusters_services.skor_hitung(tahun=tahun, daerah_id=cilegon.pk)

    def person(username):
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        log_in(page, live_server, username)
        return page

    # Cilegon's secretariat sends its verified year from its score page.
    sekretariat = person("sekretariat.cilegon")
    sekretariat.goto(f"{live_server.url}/skor/2024/")
    sekretariat.get_by_role("button", name="Kirim ke provinsi").click()
    expect(sekretariat.get_by_text("Evaluasi 2024 dikirim ke provinsi.")).to_be_visible()

    # The province's verifier opens Cilegon from the dashboard and returns q4 with a reason.
    verifikator = person("verifikator.cilegon")
    verifikator.get_by_role("navigation", name="Menu utama").get_by_role(
        "link", name="Provinsi"
    ).click()
    verifikator.get_by_role("link", name="Kota Cilegon").first.click()
    expect(
        verifikator.get_by_role("heading", name="Verifikasi provinsi: Kota Cilegon 2024")
    ).to_be_visible()
    kartu = verifikator.get_by_role("article").filter(has_text="Pertanyaan B")
    kartu.get_by_label("Alasan (bila dikembalikan)").fill("Foto kegiatan tidak terbaca.")
    kartu.get_by_role("button", name="Kembalikan").click()
    expect(verifikator.get_by_text("dikembalikan ke Kota Cilegon")).to_be_visible()
    tangkap(verifikator, "provinsi-1-verifikator-mengembalikan")
    clusters_services.skor_hitung(tahun=tahun, daerah_id=cilegon.pk)  # as the worker does
    verifikator.goto(f"{live_server.url}/provinsi/")
    expect(verifikator.get_by_text("Kota Cilegon: kurang 2,00 poin menuju Pratama")).to_be_visible()

    # Cilegon's operator reads the reason on the answer and fixes it.
    operator = person("operator.cilegon")
    operator.goto(f"{live_server.url}{q4.get_absolute_url()}")
    expect(operator.get_by_role("alert")).to_contain_text("Foto kegiatan tidak terbaca.")
    operator.get_by_label("Poin", exact=True).fill("6")
    operator.get_by_role("button", name="Simpan draf").click()
    expect(operator.get_by_text("Jawaban disimpan sebagai draf.")).to_be_visible()
    operator.get_by_role("button", name="Kirim ke kepala").click()
    expect(operator.get_by_text("Jawaban dikirim ke kepala OPD untuk disetujui.")).to_be_visible()
    tangkap(operator, "provinsi-2-operator-memperbaiki")
    # Its head approves and its secretariat verifies (their pages are tested elsewhere).
    jawaban = q4.jawaban.get(daerah=cilegon)
    clusters_services.jawaban_setujui(jawaban=jawaban, by=warga_cilegon["kepala"])
    clusters_services.jawaban_verifikasi(
        jawaban=jawaban, by=warga_cilegon["sekretariat"], poin=Decimal(6)
    )
    assert VerifikasiProvinsi.objects.get(jawaban=jawaban).status == "menunggu"

    # The province accepts both answers; the city is done and Cilegon leaves the list.
    verifikator.goto(f"{live_server.url}/provinsi/2024/kota/{cilegon.pk}/")
    for teks in ("Pertanyaan A", "Pertanyaan B"):
        kartu = verifikator.get_by_role("article").filter(has_text=teks)
        kartu.get_by_role("button", name="Terima").click()
        expect(verifikator.get_by_text("diterima provinsi.")).to_be_visible()
    clusters_services.skor_hitung(tahun=tahun, daerah_id=cilegon.pk)
    verifikator.goto(f"{live_server.url}/provinsi/")
    expect(verifikator.get_by_text("Kota Cilegon: kurang")).to_have_count(0)
    baris = verifikator.get_by_role("row").filter(has_text="Kota Cilegon")
    expect(baris).to_contain_text("Selesai diverifikasi provinsi")
    expect(baris).to_contain_text("12,00")  # the province's total: min(8 + 6, 12)
    tangkap(verifikator, "provinsi-3-provila-bergerak")
    assert services.kota_provinsi(cilegon.induk).count() == 2
