"""Small things of WCAG 2.1 AA on every page: a skip link to the page's content, the language
switch naming each language in itself, and progress bars whose value a screen reader can read
(a number, never a localised "56,26")."""

import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from clusters import services

pytestmark = pytest.mark.django_db
NILAI = re.compile(r'aria-valuenow="([^"]*)"')


def test_every_page_opens_with_a_skip_link_to_its_content(client, sekretariat):
    client.force_login(sekretariat)
    html = client.get("/").content.decode()
    body = html[html.index("<body") :]
    pertama = re.search(r"<a [^>]*>", body).group(0)
    assert 'href="#konten"' in pertama and "visually-hidden-focusable" in pertama
    assert "Langsung ke isi halaman" in body
    assert 'id="konten" tabindex="-1"' in body


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_the_language_switch_names_each_language_in_itself(client, sekretariat, bahasa):
    client.force_login(sekretariat)
    client.cookies["django_language"] = bahasa
    html = client.get("/").content.decode()
    assert '<option value="en" lang="en"' in html and ">English</option>" in html
    assert ">Bahasa Indonesia</option>" in html
    assert "Inggris" not in html


def test_progress_bars_carry_plain_numbers_in_indonesian(
    client, tahun, soal_dinkes, soal_dinsos, operator_dinkes, operator_dinsos, sekretariat
):
    """Dinkes claims 6 of 8 and Dinsos 5 of 8: shares with decimals on the score pages."""
    services.jawaban_simpan(pertanyaan=soal_dinkes, by=operator_dinkes, versi=0, fraksi=D("0.75"))
    services.jawaban_simpan(pertanyaan=soal_dinsos, by=operator_dinsos, versi=0, poin_langsung=D(5))
    services.skor_hitung(tahun=tahun)
    client.force_login(sekretariat)
    nilai = []
    for alamat in ("/", reverse("skor:ringkasan", args=[tahun.tahun])):
        response = client.get(alamat)
        assert response.status_code == 200
        nilai += NILAI.findall(response.content.decode())
    assert nilai
    assert all(re.fullmatch(r"\d+(\.\d+)?", n) for n in nilai), nilai
