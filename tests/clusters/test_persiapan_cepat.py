"""The mapping and assignment pages carry only the chosen agencies (the rest come from the
searchable select as one types) and a page of questions at a time; without the page script
agencies are typed by abbreviation."""

import pytest
from django.urls import reverse, reverse_lazy

from agencies.models import Peran
from clusters.models import Penugasan, Pertanyaan, SumberData
from tests.conftest import OpdFactory, UserFactory, _pertanyaan


def _tambah_opd(n: int) -> None:
    for opd in OpdFactory.create_batch(n, nama="Lembaga Tambahan"):
        UserFactory().keanggotaan.create(peran=Peran.OPERATOR_OPD, opd=opd)


def _tambah_pertanyaan(indikator, n: int, *, opd) -> None:
    mulai = Pertanyaan.objects.count()
    for i in range(mulai, mulai + n):
        soal = _pertanyaan(indikator, f"Soal {i}", sumber_data=[f"Sumber {i % 4}"])
        Penugasan.objects.create(pertanyaan=soal, opd=opd, utama=True)


@pytest.fixture
def sumber(dinkes):
    """Four data-source names of the instrument, the first mapped to Dinas Kesehatan."""
    for i in range(4):
        SumberData.objects.create(
            daerah=dinkes.daerah, nama=f"Sumber {i}", opd=dinkes if i == 0 else None
        )
    return SumberData.objects.get(nama="Sumber 1")


# --- Pages that do not grow with the agencies ---------------------------------------------


# Every page starts with: session, user, memberships (with the person's city), the two
# permission look-ups and the unread notifications.
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # + the names with their agencies, the questions' names
        (reverse_lazy("clusters:pemetaan"), 8),
        # + the year, the page of questions with the total, their assignments with agencies,
        # the groups
        (reverse_lazy("clusters:penugasan", args=[2024]), 10),
    ],
)
def test_page_query_count_and_size_do_not_grow_with_the_agencies(
    client, sekretariat, indikator, dinkes, sumber, url, queries, django_assert_num_queries
):
    _tambah_pertanyaan(indikator, 5, opd=dinkes)
    client.force_login(sekretariat)
    _tambah_opd(5)
    client.get(url)  # warm the content-type cache
    # the queries named beside each page in the list above
    with django_assert_num_queries(queries):
        kecil = client.get(url)
    _tambah_opd(60)
    # the same queries with 60 more agencies
    with django_assert_num_queries(queries):
        besar = client.get(url)
    assert len(besar.content) == len(kecil.content)
    assert "Lembaga Tambahan" not in besar.content.decode()  # the options are not in the page
    # the agencies chosen are: a box's value on the mapping, a badge on the assignment
    assert ">Dinkes<" in besar.content.decode() or 'value="Dinkes"' in besar.content.decode()


def test_assignment_page_shows_fifty_questions_at_a_time(
    client, sekretariat, indikator, dinkes, django_assert_num_queries
):
    _tambah_pertanyaan(indikator, 5, opd=dinkes)
    client.force_login(sekretariat)
    url = reverse("clusters:penugasan", args=[indikator.tahun.tahun])
    client.get(url)
    with django_assert_num_queries(10):  # as above
        client.get(url)
    _tambah_pertanyaan(indikator, 60, opd=dinkes)
    # the same 10 queries with 60 more questions
    with django_assert_num_queries(10):
        pertama = client.get(url).content.decode()
    assert pertama.count('name="pertanyaan"') == 50
    assert "Baris 1–50 dari 65." in pertama
    kedua = client.get(url, {"halaman": "2"}).content.decode()
    assert kedua.count('name="pertanyaan"') == 15


# --- Typing abbreviations: the form without the page script -------------------------------


def test_a_name_is_mapped_by_typing_an_abbreviation_in_any_case(client, sekretariat, dp3a, sumber):
    client.force_login(sekretariat)
    dinkes = SumberData.objects.get(nama="Sumber 0")
    response = client.post(
        reverse("clusters:pemetaan"),
        {f"sumber_{dinkes.pk}": "Dinkes", f"sumber_{sumber.pk}": " dp3ap2kb "},
        follow=True,
    )
    assert "1 pemetaan diubah" in response.content.decode()
    sumber.refresh_from_db()
    assert sumber.opd == dp3a


def test_an_unknown_agency_is_explained_and_nothing_is_saved(client, sekretariat, sumber):
    client.force_login(sekretariat)
    response = client.post(reverse("clusters:pemetaan"), {f"sumber_{sumber.pk}": "Dinas Bulan"})
    page = response.content.decode()
    assert "OPD “Dinas Bulan” tidak dikenal: ketik singkatan OPD yang aktif" in page
    assert 'value="Dinas Bulan"' in page  # what was typed stays in the box
    sumber.refresh_from_db()
    assert sumber.opd is None
    assert SumberData.objects.get(nama="Sumber 0").opd is not None  # nor anything else


def test_one_name_takes_one_agency(client, sekretariat, dinkes, dinsos, sumber):
    client.force_login(sekretariat)
    response = client.post(reverse("clusters:pemetaan"), {f"sumber_{sumber.pk}": "Dinkes,Dinsos"})
    assert "Pilih satu OPD saja." in response.content.decode()
    sumber.refresh_from_db()
    assert sumber.opd is None


def test_a_closed_agency_cannot_be_typed(client, sekretariat, sumber):
    OpdFactory(nama="Kantor Lama", singkatan="KLama", aktif=False)
    client.force_login(sekretariat)
    response = client.post(reverse("clusters:pemetaan"), {f"sumber_{sumber.pk}": "KLama"})
    assert "OPD “KLama” tidak dikenal" in response.content.decode()


def test_questions_are_assigned_by_abbreviations(
    client, sekretariat, indikator, dinkes, dinsos, dp3a
):
    _tambah_pertanyaan(indikator, 3, opd=dinsos)
    pilih = list(Pertanyaan.objects.values_list("pk", flat=True)[:2])
    client.force_login(sekretariat)
    response = client.post(
        reverse("clusters:penugasan", args=[indikator.tahun.tahun]),
        {"pertanyaan": pilih, "utama": "dinkes", "pendukung": "Dinsos, DP3AP2KB"},
        follow=True,
    )
    assert "Penugasan 2 pertanyaan diubah" in response.content.decode()
    for soal in Pertanyaan.objects.filter(pk__in=pilih):
        assert {(t.opd_id, t.utama) for t in soal.penugasan.all()} == {
            (dinkes.pk, True),
            (dinsos.pk, False),
            (dp3a.pk, False),
        }


@pytest.mark.parametrize(
    ("data", "pesan"),
    [
        ({"utama": ""}, "Pilih OPD penanggung jawab."),
        ({"utama": "Dinkes, Dinsos"}, "Pilih satu OPD penanggung jawab saja."),
        ({"utama": "Dinkes", "pendukung": "Dinsos, Entah"}, "OPD “Entah” tidak dikenal"),
        ({"utama": "99999999999999999999"}, "tidak dikenal"),
    ],
)
def test_a_wrong_assignment_is_explained(
    client, sekretariat, indikator, dinkes, dinsos, data, pesan
):
    _tambah_pertanyaan(indikator, 1, opd=dinsos)
    soal = Pertanyaan.objects.get()
    client.force_login(sekretariat)
    response = client.post(
        reverse("clusters:penugasan", args=[indikator.tahun.tahun]),
        {"pertanyaan": [soal.pk], **data},
    )
    assert response.status_code == 200
    assert pesan in response.content.decode()
    assert {t.opd_id for t in soal.penugasan.all()} == {dinsos.pk}


@pytest.mark.parametrize("opd", ["Dinkes", "dinkes", "pk"])
def test_the_assignment_list_is_filtered_by_agency_typed_or_by_number(
    client, sekretariat, indikator, dinkes, dinsos, opd
):
    _tambah_pertanyaan(indikator, 2, opd=dinkes)
    _tambah_pertanyaan(indikator, 3, opd=dinsos)
    client.force_login(sekretariat)
    saring = str(dinkes.pk) if opd == "pk" else opd
    page = client.get(
        reverse("clusters:penugasan", args=[indikator.tahun.tahun]), {"opd": saring}
    ).content.decode()
    assert page.count('name="pertanyaan"') == 2
    assert 'value="Dinkes"' in page  # the filter shows the agency chosen


def test_an_unknown_agency_filter_is_explained_and_lists_everything(
    client, sekretariat, indikator, dinkes
):
    _tambah_pertanyaan(indikator, 2, opd=dinkes)
    client.force_login(sekretariat)
    response = client.get(
        reverse("clusters:penugasan", args=[indikator.tahun.tahun]), {"opd": "Entah"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('name="pertanyaan"') == 2
    assert "OPD “Entah” tidak dikenal" in page


@pytest.mark.parametrize("isian", ["Din\x00kes", ",".join(["Dinkes"] * 101)])
def test_a_nonsense_agency_box_is_refused_in_indonesian(
    client, sekretariat, indikator, dinkes, sumber, isian
):
    client.force_login(sekretariat)
    saring = client.get(reverse("clusters:penugasan", args=[2024]), {"opd": isian})
    assert saring.status_code == 200
    peta = client.post(reverse("clusters:pemetaan"), {f"sumber_{sumber.pk}": isian})
    assert peta.status_code == 200
    for response in (saring, peta):
        page = response.content.decode()
        assert (
            "Isian ini berisi karakter yang tidak sah." in page
            or "Paling banyak 100 OPD sekaligus." in page
        )
