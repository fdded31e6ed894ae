"""Real self-assessments give 0,66, 0,6 or 1/3 of a question's maximum, not only its grades:
every question takes any points from 0 to its maximum (two decimals) in the answer form, the
Excel import and the verifier's box. 0,66 × 4 = 2,64; 4,01 is above the maximum of 4."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from clusters import scoring, services
from clusters.models import Jawaban, Penugasan
from tests.clusters.impor_jawaban.bantu import confirm, periksa, upload, xlsx
from tests.conftest import _pertanyaan


@pytest.fixture
def soal_4(indikator, dinkes):
    """A graded question of 4 points led by Dinas Kesehatan (grades 0; 1; 2; 3; 4), no
    evidence required."""
    pertanyaan = _pertanyaan(
        indikator, "Pertanyaan 4", nilai_max=D(4), wajib_lampiran=False, petunjuk_lampiran=""
    )
    Penugasan.objects.create(pertanyaan=pertanyaan, opd=dinkes, utama=True)
    return pertanyaan


def halaman(pertanyaan) -> str:
    return reverse("clusters:pertanyaan-detail", args=[pertanyaan.pk])


def test_the_answer_form_takes_points_off_the_grades(client, operator_dinkes, soal_4):
    client.force_login(operator_dinkes)
    response = client.post(halaman(soal_4), {"versi": 0, "poin_langsung": "2,64"})
    assert response.status_code == 302
    jawaban = Jawaban.objects.get(pertanyaan=soal_4)
    assert (jawaban.poin_langsung, jawaban.poin_opd, jawaban.fraksi) == (D("2.64"), D("2.64"), None)
    page = client.get(halaman(soal_4)).content.decode()
    assert "2,64 dari 4 (di luar pilihan)" in page
    # The grades stay as quick choices carrying their points for the page script.
    assert 'data-poin="3"' in page and "data-poin-isian" in page


def test_points_typed_for_a_grade_are_kept_as_that_grade(client, operator_dinkes, soal_4):
    client.force_login(operator_dinkes)
    client.post(halaman(soal_4), {"versi": 0, "poin_langsung": "3"})
    jawaban = Jawaban.objects.get(pertanyaan=soal_4)
    assert (jawaban.fraksi, jawaban.poin_langsung, jawaban.poin_opd) == (D("0.75"), None, D(3))


@pytest.mark.parametrize(
    ("isi", "pesan"),
    [
        ("4,01", "Poin 4,01 melebihi nilai maksimum 4; isi antara 0 dan 4."),
        ("-0,5", "Poin -0,5 tidak boleh negatif"),
        ("2,645", "Poin 2,645 memiliki lebih dari dua angka di belakang koma"),
    ],
)
def test_the_answer_form_refuses_points_outside_the_range_and_changes_nothing(
    client, operator_dinkes, soal_4, isi, pesan
):
    client.force_login(operator_dinkes)
    client.post(halaman(soal_4), {"versi": 0, "fraksi": "0.5"})
    response = client.post(halaman(soal_4), {"versi": 1, "poin_langsung": isi})
    assert response.status_code == 400
    assert pesan in response.content.decode()
    jawaban = Jawaban.objects.get(pertanyaan=soal_4)
    assert (jawaban.versi, jawaban.fraksi, jawaban.poin_opd) == (1, D("0.5"), D(2))


def test_the_excel_import_takes_points_off_the_grades(client, sekretariat, soal_4):
    client.force_login(sekretariat)
    preview = upload(client, xlsx([["Indikator 15", "Pertanyaan 4", 2.64, None, None]]))
    assert "1 jawaban baru" in preview.content.decode()
    confirm(client, preview.context["token"])
    jawaban = Jawaban.objects.get(pertanyaan=soal_4)
    assert (jawaban.poin_langsung, jawaban.poin_opd, jawaban.fraksi) == (D("2.64"), D("2.64"), None)


def test_the_excel_import_refuses_points_above_the_maximum_and_writes_nothing(
    client, sekretariat, operator_dinkes, soal_4
):
    services.jawaban_simpan(pertanyaan=soal_4, by=operator_dinkes, versi=0, fraksi=D("0.5"))
    client.force_login(sekretariat)
    preview = upload(client, xlsx([["Indikator 15", "Pertanyaan 4", "4,01", None, None]]))
    page = preview.content.decode()
    assert "Poin 4,01 melebihi nilai maksimum 4" in page
    assert preview.context.get("token") is None
    jawaban = Jawaban.objects.get(pertanyaan=soal_4)
    assert (jawaban.versi, jawaban.fraksi, jawaban.poin_opd) == (1, D("0.5"), D(2))


@pytest.fixture
def menunggu_verifikasi(soal_4, operator_dinkes):
    """Dinas Kesehatan claims the full 4 points; the answer waits for the verifier."""
    jawaban = services.jawaban_simpan(pertanyaan=soal_4, by=operator_dinkes, versi=0, fraksi=D(1))
    Jawaban.objects.filter(pk=jawaban.pk).update(status=Jawaban.Status.MENUNGGU_VERIFIKASI)
    return Jawaban.objects.get(pk=jawaban.pk)


def test_the_verifier_gives_points_off_the_grades(client, sekretariat, menunggu_verifikasi):
    client.force_login(sekretariat)
    page = client.get(halaman(menunggu_verifikasi.pertanyaan)).content.decode()
    assert '<option value="2">' in page  # the grades as quick choices in the verifier's box
    client.post(
        reverse("clusters:jawaban-verifikasi", args=[menunggu_verifikasi.pk]),
        {"versi": menunggu_verifikasi.versi, "poin": "2,64"},
    )
    jawaban = Jawaban.objects.get(pk=menunggu_verifikasi.pk)
    assert (jawaban.status, jawaban.poin_verifikator) == ("terverifikasi", D("2.64"))
    assert str(jawaban.poin_verifikator) == "2.64"


@pytest.mark.parametrize(
    ("isi", "pesan"),
    [
        ("4,01", "Poin 4,01 melebihi nilai maksimum 4"),
        ("2,645", "Poin 2,645 memiliki lebih dari dua angka di belakang koma"),
    ],
)
def test_the_verifier_s_points_above_the_maximum_are_refused(
    client, sekretariat, menunggu_verifikasi, isi, pesan
):
    client.force_login(sekretariat)
    response = client.post(
        reverse("clusters:jawaban-verifikasi", args=[menunggu_verifikasi.pk]),
        {"versi": menunggu_verifikasi.versi, "poin": isi},
        follow=True,
    )
    assert pesan in response.content.decode()
    jawaban = Jawaban.objects.get(pk=menunggu_verifikasi.pk)
    assert (jawaban.status, jawaban.poin_verifikator, jawaban.versi) == (
        "menunggu_verifikasi",
        None,
        menunggu_verifikasi.versi,
    )


def test_points_off_the_grades_count_in_the_score(soal_4):
    # 2,64 of a graded question of 4 counts as 2,64.
    assert scoring.poin_pertanyaan(
        nilai_max=D(4), cara="opsi", fraksi=None, poin_langsung=D("2.64")
    ) == D("2.64")


def test_excel_s_binary_noise_is_not_a_third_decimal(sekretariat, soal_4):
    # A cell =4*0,6 reaches Python as 2.4000000000000004: it is 2,4 (0,6 of the maximum).
    laporan = periksa(
        xlsx([["Indikator 15", "Pertanyaan 4", 4 * 0.6, None, None]]), soal_4.tahun, sekretariat
    )
    assert not laporan.ada_galat
    assert (laporan.tulis[0].poin_langsung, laporan.tulis[0].poin) == (D("2.4"), D("2.40"))
