"""The secretariat prepares a year in the browser: import, map agencies, assign questions."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clusters import services
from clusters.models import Penugasan, Pertanyaan, SumberData, TahunEvaluasi
from tests.conftest import OpdFactory

FILE_2024 = Path(__file__).resolve().parents[2] / "clusters" / "data" / "instrumen_kla_2024.csv"


@pytest.fixture
def tahun_2024(sekretariat):
    return services.tahun_buat(tahun=2024, by=sekretariat)


def upload(client, tahun, name="instrumen_kla_2024.csv", content=None):
    content = FILE_2024.read_bytes() if content is None else content
    return client.post(
        reverse("clusters:instrumen-unggah", args=[tahun.tahun]),
        {"berkas": SimpleUploadedFile(name, content)},
    )


def test_preview_then_confirm_imports_the_2024_instrument(client, sekretariat, tahun_2024):
    client.force_login(sekretariat)
    preview = upload(client, tahun_2024)
    page = preview.content.decode()
    assert "Laporan pemeriksaan" in page
    assert (
        "Indikator 19: jumlah nilai pertanyaannya 54, tidak sama dengan nilai indikator 51" in page
    )
    assert "Konfirmasi impor" in page
    assert not Pertanyaan.objects.exists()  # nothing written by the preview

    done = client.post(
        reverse("clusters:instrumen-konfirmasi", args=[2024]),
        {"token": preview.context["token"]},
        follow=True,
    )
    assert "Instrumen 2024 diimpor. Pertanyaan baru 274" in done.content.decode()
    assert Pertanyaan.objects.filter(tahun=tahun_2024).count() == 274


def test_confirming_twice_imports_once_and_says_why(client, sekretariat, tahun_2024):
    client.force_login(sekretariat)
    token = upload(client, tahun_2024).context["token"]
    url = reverse("clusters:instrumen-konfirmasi", args=[2024])
    client.post(url, {"token": token})
    again = client.post(url, {"token": token}, follow=True)
    assert "Pratinjau ini sudah tidak berlaku" in again.content.decode()
    assert Pertanyaan.objects.count() == 274


def test_a_faulty_file_shows_its_errors_and_offers_no_confirmation(client, sekretariat, tahun_2024):
    client.force_login(sekretariat)
    text = FILE_2024.read_text().replace(",Pertanyaan 2a,", ",Pertanyaan 1,", 1)
    response = upload(client, tahun_2024, content=text.encode())
    page = response.content.decode()
    assert "galat: berkas tidak dapat diimpor" in page
    assert "Baris 3: kode Pertanyaan 1 dipakai dua kali di Indikator 1 (juga baris 2)" in page
    assert response.context.get("token") is None  # no confirm button


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("instrumen.xlsx", b"%PDF-1.4 palsu", "instrumen.xlsx adalah PDF, bukan CSV atau XLSX"),
        ("kosong.csv", b"", "Berkas kosong"),
    ],
)
def test_a_wrong_file_is_refused_in_indonesian(
    client, sekretariat, tahun_2024, name, content, message
):
    client.force_login(sekretariat)
    response = upload(client, tahun_2024, name=name, content=content)
    assert message in response.content.decode()
    assert not Pertanyaan.objects.exists()


def test_an_oversized_file_is_refused(client, sekretariat, tahun_2024, settings):
    settings.UPLOAD_MAX_MB = 1
    client.force_login(sekretariat)
    response = upload(client, tahun_2024, name="besar.csv", content=b"x" * (1024 * 1024 + 1))
    assert "terlalu besar" in response.content.decode()
    assert "batasnya 1 MB" in response.content.decode()


def import_2024(tahun, by):
    from clusters import instrumen

    rows = instrumen.baca_tabel(FILE_2024.name, FILE_2024.read_bytes())
    services.instrumen_impor(
        tahun=tahun, laporan=instrumen.periksa(rows, nama_dikenal=set()), by=by
    )


def test_mapping_a_name_assigns_its_questions(client, sekretariat, tahun_2024, dp3a):
    import_2024(tahun_2024, sekretariat)
    sumber = SumberData.objects.get(nama="DPPPAPPKB")
    assert sumber.opd is None
    client.force_login(sekretariat)
    response = client.post(
        reverse("clusters:pemetaan"), {f"sumber_{sumber.pk}": dp3a.pk}, follow=True
    )
    assert "1 pemetaan diubah" in response.content.decode()
    assert Penugasan.objects.filter(opd=dp3a).count() == 111  # every question naming DPPPAPPKB
    # Saving again adds nothing and removes nothing.
    client.post(reverse("clusters:pemetaan"), {f"sumber_{sumber.pk}": dp3a.pk})
    assert Penugasan.objects.filter(opd=dp3a).count() == 111


def test_the_secretariat_reassigns_many_questions_at_once(
    client, sekretariat, tahun_2024, dinkes, dinsos
):
    import_2024(tahun_2024, sekretariat)
    chosen = list(
        Pertanyaan.objects.filter(indikator__kode="Indikator 13").values_list("pk", flat=True)
    )
    client.force_login(sekretariat)
    response = client.post(
        reverse("clusters:penugasan", args=[2024]),
        {"pertanyaan": chosen, "utama": dinkes.pk, "pendukung": [dinsos.pk, dinkes.pk]},
        follow=True,
    )
    assert f"Penugasan {len(chosen)} pertanyaan diubah" in response.content.decode()
    for pertanyaan in Pertanyaan.objects.filter(pk__in=chosen):
        assert {(t.opd_id, t.utama) for t in pertanyaan.penugasan.all()} == {
            (dinkes.pk, True),
            (dinsos.pk, False),
        }
    assert Penugasan.history.filter(history_user=sekretariat).exists()


def test_assignment_needs_a_ticked_question(client, sekretariat, tahun_2024, dinkes):
    import_2024(tahun_2024, sekretariat)
    client.force_login(sekretariat)
    response = client.post(reverse("clusters:penugasan", args=[2024]), {"utama": dinkes.pk})
    assert "Centang paling sedikit satu pertanyaan" in response.content.decode()


def test_an_inactive_agency_cannot_be_given_questions(sekretariat, tahun_2024):
    import_2024(tahun_2024, sekretariat)
    closed = OpdFactory(aktif=False)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="sudah tidak aktif"):
        services.penugasan_atur(
            pertanyaan_list=list(Pertanyaan.objects.all()[:2]),
            utama=closed,
            pendukung=[],
            by=sekretariat,
        )


@pytest.mark.parametrize("role", ["bappeda", "pimpinan"])
def test_bappeda_and_leadership_follow_but_do_not_change(client, request, tahun_2024, dinkes, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("clusters:tahun-detail", args=[2024])).status_code == 200
    assert client.get(reverse("clusters:penugasan", args=[2024])).status_code == 200
    assert (
        client.post(reverse("clusters:penugasan", args=[2024]), {"utama": dinkes.pk}).status_code
        == 403
    )
    assert client.get(reverse("clusters:instrumen-unggah", args=[2024])).status_code == 403
    assert client.get(reverse("clusters:pemetaan")).status_code == 403


@pytest.mark.parametrize("role", ["operator_dinkes", "kepala_dinkes", "lurah_cipare"])
def test_agency_and_area_staff_cannot_open_the_preparation(client, request, tahun_2024, role):
    client.force_login(request.getfixturevalue(role))
    for url in (
        reverse("clusters:tahun-list"),
        reverse("clusters:tahun-detail", args=[2024]),
        reverse("clusters:penugasan", args=[2024]),
        reverse("clusters:instrumen-unggah", args=[2024]),
        reverse("clusters:pemetaan"),
    ):
        assert client.get(url).status_code == 403, url


def test_a_year_cannot_open_before_its_instrument(client, sekretariat, tahun_2024):
    client.force_login(sekretariat)
    response = client.post(
        reverse("clusters:tahun-detail", args=[2024]), {"dibuka": "on"}, follow=True
    )
    assert "Impor instrumen tahun ini sebelum membukanya" in response.content.decode()
    assert not TahunEvaluasi.objects.get(tahun=2024).dibuka


def test_assignment_page_query_count_does_not_grow(
    client, sekretariat, tahun_2024, dinkes, django_assert_max_num_queries
):
    import_2024(tahun_2024, sekretariat)
    client.force_login(sekretariat)
    url = reverse("clusters:penugasan", args=[2024])
    client.get(url)
    # session, user, memberships, year, questions, their assignments with agencies, filters,
    # form choices, permissions: a fixed number whatever the instrument's size
    with django_assert_max_num_queries(14) as queries:
        client.get(url)
    assert len(queries.captured_queries) <= 14
