"""In English, a question's answer options and its scope badge are in English; the stored
options stay as the instrument has them, and an option an admin typed is shown as typed."""

from decimal import Decimal as D

import pytest
from django.conf import settings
from django.urls import reverse

from clusters import services
from clusters.models import Pertanyaan
from tests.conftest import _pertanyaan


@pytest.fixture
def soal_4(indikator, dinkes):
    """A graded question of 4 points led by Dinas Kesehatan (grades 0; 1; 2; 3; 4)."""
    pertanyaan = _pertanyaan(
        indikator, "Pertanyaan 4", nilai_max=D(4), wajib_lampiran=False, petunjuk_lampiran=""
    )
    pertanyaan.penugasan.create(opd=dinkes, utama=True)
    return pertanyaan


@pytest.fixture
def soal_kecamatan(indikator, dp3a):
    pertanyaan = _pertanyaan(
        indikator,
        "Pertanyaan 5",
        lingkup=Pertanyaan.Lingkup.KECAMATAN,
        wajib_lampiran=False,
        petunjuk_lampiran="",
    )
    pertanyaan.penugasan.create(opd=dp3a, utama=True)
    return pertanyaan


def halaman(client, url, bahasa=None) -> str:
    if bahasa:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = bahasa
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_the_grades_and_the_scope_of_a_city_question_in_english(
    client, operator_dinkes, sekretariat, soal_4
):
    client.force_login(operator_dinkes)
    url = reverse("clusters:pertanyaan-detail", args=[soal_4.pk])
    page = halaman(client, url, "en")
    for pilihan in [
        "None met · points: 0",
        "A small part met · points: 1",
        "Partly met · points: 2",
        "Mostly met · points: 3",
        "Fully met · points: 4",
    ]:
        assert pilihan in page
    assert '<span class="badge text-bg-light border">Regency/city</span>' in page
    assert "Terpenuhi seluruhnya" not in page and "Kabupaten/kota" not in page

    # The option chosen, in the answer's history.
    services.jawaban_simpan(pertanyaan=soal_4, by=operator_dinkes, versi=0, fraksi=D("0.75"))
    page = halaman(client, url)
    assert "<div>Choice: Mostly met</div>" in page
    # And in the answer's summary, for those who read it without its form.
    client.force_login(sekretariat)
    page = halaman(client, url)
    assert '<dd class="col-sm-8">Mostly met</dd>' in page


def test_indonesian_stays_the_default(client, operator_dinkes, soal_4):
    client.force_login(operator_dinkes)
    page = halaman(client, reverse("clusters:pertanyaan-detail", args=[soal_4.pk]))
    assert "Tidak ada · 0 poin" in page and "Terpenuhi seluruhnya · 4 poin" in page
    assert '<span class="badge text-bg-light border">Kabupaten/kota</span>' in page
    assert "Fully met" not in page


def test_a_kecamatan_answers_meets_or_not_in_its_language(
    client, operator_kasemen, kasemen, soal_kecamatan
):
    client.force_login(operator_kasemen)
    url = reverse("clusters:pertanyaan-unit", args=[soal_kecamatan.pk, kasemen.kode])
    page = halaman(client, url)
    assert "Belum memenuhi" in page and "Memenuhi" in page
    assert '<span class="badge text-bg-light border">Per kecamatan</span>' in page
    page = halaman(client, url, "en")
    assert "Does not meet yet" in page and "Meets" in page
    assert '<span class="badge text-bg-light border">Per kecamatan (sub-district)</span>' in page
    assert "Belum memenuhi" not in page


def test_options_an_admin_typed_are_shown_as_typed_and_the_known_ones_translated(
    client, operator_dinkes, soal_4
):
    soal_4.opsi = [
        {"label": "Tidak ada", "fraksi": "0"},
        {"label": "Ada, belum disahkan", "fraksi": "0.5"},
        {"label": "Terpenuhi seluruhnya", "fraksi": "1"},
    ]
    soal_4.save(update_fields=["opsi"])
    client.force_login(operator_dinkes)
    page = halaman(client, reverse("clusters:pertanyaan-detail", args=[soal_4.pk]), "en")
    assert "None met · points: 0" in page
    assert "Ada, belum disahkan · points: 2" in page
    assert "Fully met · points: 4" in page
    soal_4.refresh_from_db()
    assert soal_4.opsi[0]["label"] == "Tidak ada"  # the stored data is untouched


def test_the_assignment_list_badges_per_unit_questions_in_english(
    client, sekretariat, tahun, soal_kecamatan
):
    client.force_login(sekretariat)
    page = halaman(client, reverse("clusters:penugasan", args=[tahun.tahun]), "en")
    assert '<span class="badge text-bg-info">Per kecamatan (sub-district)</span>' in page
