"""WCAG 2.1 AA in a real browser: axe-core (vendored, tests/browser/vendor) checks the main page of
every role and the answer, verification, score, RAD and meeting pages, and a critical or serious
violation fails the test with what axe says about it."""

from pathlib import Path

import pytest
from django.urls import reverse

from clusters import services
from tests.browser.test_login import log_in
from tests.rencana_aksi.conftest import aksi_dinkes, periode  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
ATURAN = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BERAT = {"critical", "serious"}


def pelanggaran(page) -> list[str]:
    """axe's critical and serious WCAG 2.1 A/AA violations on the open page, one line each."""
    page.evaluate(AXE)  # through the browser's debugging protocol: the page's CSP allows it
    hasil = page.evaluate(
        "async (aturan) => (await axe.run(document, {runOnly: aturan})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))",
        ATURAN,
    )
    return [
        f"{v['id']} ({v['impact']}): {', '.join(v['nodes'][:3])}"
        for v in hasil
        if v["impact"] in BERAT
    ]


def periksa(page, live_server, username: str, alamat: list[str]) -> list[str]:
    log_in(page, live_server, username)
    page.wait_for_url(f"{live_server.url}/")
    temuan = []
    for a in alamat:
        page.goto(live_server.url + a)
        page.wait_for_load_state("networkidle")
        temuan += [f"{username} {a}: {t}" for t in pelanggaran(page)]
    page.context.clear_cookies()
    return temuan


def test_the_main_pages_of_every_role_pass_axe(
    live_server,
    page,
    tahun_2024,
    aksi_dinkes,  # noqa: F811 - a RAD plan with an action
    sekretariat,
    bappeda,
    pimpinan,
    kepala_dinkes,
    operator_dinkes,
    camat_serang,
    lurah_cipare,
):
    tahun, _urutan = tahun_2024
    services.skor_hitung(tahun=tahun)
    soal = reverse("clusters:pertanyaan-detail", args=[tahun.pertanyaan.first().pk])
    halaman = {
        "operator.dinkes": ["/", "/evaluasi/tugas/", soal, "/rad/laporan/"],
        "kepala.dinkes": ["/", "/evaluasi/tugas/"],
        "sekretariat": ["/", "/evaluasi/verifikasi/", "/skor/", "/koordinasi/"],
        "bappeda": ["/", "/rad/", f"/rad/{aksi_dinkes.periode_id}/pemantauan/"],
        "pimpinan": ["/", "/skor/"],
        "camat.serang": ["/"],
        "lurah.cipare": ["/"],
    }
    temuan = []
    for username, alamat in halaman.items():
        temuan += periksa(page, live_server, username, alamat)
    assert temuan == [], "\n".join(temuan)
