"""The evaluation's years, instrument and assignments through the API: every role sees what
the pages show it, other agencies' ids are 404, only the secretariat assigns (through the
assignment page's service), and list query counts do not grow with the questions."""

import datetime

import pytest

from clusters.models import Indikator, Kelompok, Penugasan, Perpanjangan, TahunEvaluasi
from tests.clusters.test_skor import tambah_soal
from tests.conftest import UserFactory

PROBLEM = "application/problem+json"
API = "/api/v1"


@pytest.fixture
def instrumen(tahun, soal_dinkes, soal_dinsos, soal_kelurahan):
    """Dinkes leads question 1 (Dinsos supports), Dinsos leads 2, DP3A leads the per-kelurahan 3."""
    return {"dinkes": soal_dinkes, "dinsos": soal_dinsos, "kelurahan": soal_kelurahan}


# Which of the three questions each person may open (as Pertanyaan.objects.visible_to).
TERLIHAT = {
    "sekretariat": {"dinkes", "dinsos", "kelurahan"},
    "bappeda": {"dinkes", "dinsos", "kelurahan"},
    "pimpinan": {"dinkes", "dinsos", "kelurahan"},
    "operator_dinkes": {"dinkes"},
    "kepala_dinkes": {"dinkes"},
    "operator_dinsos": {"dinkes", "dinsos"},  # supports question 1, leads question 2
    "lurah_cipare": {"kelurahan"},  # the per-unit question only
}


def _masuk(client, request, person):
    client.force_login(request.getfixturevalue(person))


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("person", TERLIHAT)
def test_every_role_reads_the_years_with_deadline_and_bands(client, request, instrumen, person):
    _masuk(client, request, person)
    data = client.get(f"{API}/tahun-evaluasi/").json()
    assert [t["tahun"] for t in data["results"]] == [2024]
    tahun = client.get(f"{API}/tahun-evaluasi/2024/").json()
    assert tahun["dibuka"] is True and tahun["lewat_batas"] is False
    assert tahun["jumlah_pertanyaan"] == 3
    assert [k["nama"] for k in tahun["kategori"]] == ["Pratama", "Madya", "Nindya", "Utama", "KLA"]
    assert client.get(f"{API}/tahun-evaluasi/1999/").status_code == 404


@pytest.mark.parametrize("person", TERLIHAT)
def test_each_role_sees_the_questions_it_may_open_and_404_for_the_others(
    client, request, instrumen, person
):
    _masuk(client, request, person)
    terlihat = {instrumen[k].pk for k in TERLIHAT[person]}
    assert _ids(client.get(f"{API}/pertanyaan/")) == terlihat
    assert _ids(client.get(f"{API}/pertanyaan/?tahun=2024")) == terlihat
    for soal in instrumen.values():
        response = client.get(f"{API}/pertanyaan/{soal.pk}/")
        assert response.status_code == (200 if soal.pk in terlihat else 404)
    # Assignments: those of the questions the person may open.
    penugasan = client.get(f"{API}/penugasan/?tahun=2024").json()["results"]
    assert {p["pertanyaan"] for p in penugasan} == terlihat
    for p in Penugasan.objects.all():
        status = client.get(f"{API}/penugasan/{p.pk}/").status_code
        assert status == (200 if p.pertanyaan_id in terlihat else 404)
    # Indicators and groups: those holding a question the person may open.
    assert len(client.get(f"{API}/indikator/").json()["results"]) == 1
    assert len(client.get(f"{API}/kelompok/?tahun=2024").json()["results"]) == 1


def test_another_agencys_indicator_and_group_are_404(
    client, operator_dinkes, sekretariat, instrumen, tahun, dinsos
):
    kelompok = Kelompok.objects.create(tahun=tahun, nama="KLASTER IV", urutan=5)
    indikator = Indikator.objects.create(
        tahun=tahun,
        kelompok=kelompok,
        kode="Indikator 20",
        nama="Pendidikan",
        urutan=1,
        nilai_max=10,
    )
    tambah_soal(indikator, dinsos, 1)
    client.force_login(operator_dinkes)
    assert client.get(f"{API}/indikator/{indikator.pk}/").status_code == 404
    assert client.get(f"{API}/kelompok/{kelompok.pk}/").status_code == 404
    tree = client.get(f"{API}/tahun-evaluasi/2024/instrumen/").json()
    assert [k["nama"] for k in tree["kelompok"]] == ["KLASTER III"]
    client.force_login(sekretariat)
    assert client.get(f"{API}/indikator/{indikator.pk}/").status_code == 200
    assert client.get(f"{API}/kelompok/{kelompok.pk}/").json()["nama"] == "KLASTER IV"
    assert _ids(client.get(f"{API}/indikator/?kelompok={kelompok.pk}")) == {indikator.pk}


def test_an_agency_sees_its_own_extension_the_secretariat_all(
    client, operator_dinkes, sekretariat, instrumen, tahun, dinkes, dinsos
):
    sampai = tahun.batas_waktu + datetime.timedelta(days=7)
    for opd in (dinkes, dinsos):
        Perpanjangan.objects.create(
            tahun=tahun, opd=opd, sampai=sampai, alasan="Banjir", diberikan_oleh=sekretariat
        )
    client.force_login(operator_dinkes)
    data = client.get(f"{API}/tahun-evaluasi/2024/").json()
    assert [p["opd"]["singkatan"] for p in data["perpanjangan"]] == ["Dinkes"]
    client.force_login(sekretariat)
    data = client.get(f"{API}/tahun-evaluasi/2024/").json()
    assert sorted(p["opd"]["singkatan"] for p in data["perpanjangan"]) == ["Dinkes", "Dinsos"]


def test_a_question_shows_its_options_evidence_and_agencies(client, operator_dinsos, instrumen):
    client.force_login(operator_dinsos)
    soal = client.get(f"{API}/pertanyaan/{instrumen['dinkes'].pk}/").json()
    assert soal["tahun"] == 2024 and soal["indikator_kode"] == "Indikator 15"
    assert [o["fraksi"] for o in soal["pilihan"]] == [0, 0.25, 0.5, 0.75, 1]
    assert soal["pilihan_unit"] is None
    assert soal["wajib_lampiran"] is True
    assert soal["petunjuk_lampiran"] == "Lampirkan SK dan foto kegiatan"
    assert [(p["opd"]["singkatan"], p["utama"]) for p in soal["penugasan"]] == [
        ("Dinkes", True),
        ("Dinsos", False),
    ]


def test_a_per_unit_question_offers_the_units_options_in_the_readers_language(
    client, lurah_cipare, instrumen
):
    client.force_login(lurah_cipare)
    url = f"{API}/pertanyaan/{instrumen['kelurahan'].pk}/"
    soal = client.get(url).json()
    assert [o["label_tampil"] for o in soal["pilihan_unit"]] == ["Belum memenuhi", "Memenuhi"]
    soal = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert soal["pilihan_unit"][1]["label"] == "Memenuhi"
    assert soal["pilihan_unit"][1]["label_tampil"] != "Memenuhi"


def test_filters_narrow_the_instrument(client, sekretariat, instrumen, dinsos, indikator):
    client.force_login(sekretariat)
    assert _ids(client.get(f"{API}/pertanyaan/?opd={dinsos.pk}")) == {
        instrumen["dinkes"].pk,
        instrumen["dinsos"].pk,
    }
    assert _ids(client.get(f"{API}/pertanyaan/?lingkup=desa_kelurahan")) == {
        instrumen["kelurahan"].pk
    }
    assert len(_ids(client.get(f"{API}/pertanyaan/?indikator={indikator.pk}"))) == 3
    assert _ids(client.get(f"{API}/pertanyaan/?tahun=2023")) == set()
    Penugasan.objects.filter(pertanyaan=instrumen["dinsos"]).delete()
    assert _ids(client.get(f"{API}/pertanyaan/?tanpa_utama=true")) == {instrumen["dinsos"].pk}
    assert len(_ids(client.get(f"{API}/pertanyaan/?tanpa_utama=false"))) == 2
    utama = client.get(f"{API}/penugasan/?opd={dinsos.pk}&utama=false").json()["results"]
    assert [p["pertanyaan"] for p in utama] == [instrumen["dinkes"].pk]
    response = client.get(f"{API}/pertanyaan/?lingkup=planet")
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert "lingkup" in response.json()["errors"]


@pytest.mark.parametrize("person", TERLIHAT)
def test_the_instrument_tree_holds_only_what_the_person_may_open(
    client, request, instrumen, person
):
    _masuk(client, request, person)
    data = client.get(f"{API}/tahun-evaluasi/2024/instrumen/").json()
    [kelompok] = data["kelompok"]
    [indikator] = kelompok["indikator"]
    assert indikator["nilai_max"] == 20 and indikator["jumlah_nilai_pertanyaan"] == 24
    kode = {p["kode"] for p in indikator["pertanyaan"]}
    assert kode == {instrumen[k].kode for k in TERLIHAT[person]}


def test_people_without_a_role_and_anonymous_visitors_are_refused(client, instrumen):
    for url in ("tahun-evaluasi/", "pertanyaan/", "penugasan/", "indikator/", "kelompok/"):
        response = client.get(f"{API}/{url}")
        assert response.status_code in (401, 403) and response["Content-Type"] == PROBLEM
    client.force_login(UserFactory(username="tanpa.peran"))
    for url in ("tahun-evaluasi/", "pertanyaan/", "penugasan/", "tahun-evaluasi/2024/instrumen/"):
        response = client.get(f"{API}/{url}")
        assert response.status_code == 403 and response["Content-Type"] == PROBLEM


# --- Assigning ------------------------------------------------------------------------------


def _penugasan(soal) -> list[tuple[str, bool]]:
    return sorted((p.opd.singkatan, p.utama) for p in Penugasan.objects.filter(pertanyaan=soal))


def test_the_secretariat_reassigns_a_question_through_the_pages_service(
    client, sekretariat, instrumen, dinkes, dp3a
):
    client.force_login(sekretariat)
    soal = instrumen["dinsos"]
    response = client.post(
        f"{API}/penugasan/atur/",
        {"pertanyaan": [soal.pk], "utama": dinkes.pk, "pendukung": [dp3a.pk, dinkes.pk]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    # The lead is not also a supporting agency (the service drops it), as on the page.
    assert _penugasan(soal) == [("DP3AP2KB", False), ("Dinkes", True)]
    assert [(p["opd"]["singkatan"], p["utama"]) for p in response.json()] == [
        ("Dinkes", True),
        ("DP3AP2KB", False),
    ]


@pytest.mark.parametrize(
    "person", ["operator_dinkes", "kepala_dinkes", "operator_dinsos", "bappeda", "pimpinan"]
)
def test_nobody_but_the_secretariat_assigns_and_nothing_changes(
    client, request, instrumen, dinkes, person
):
    _masuk(client, request, person)
    soal = instrumen["dinsos"]
    before = _penugasan(soal)
    response = client.post(
        f"{API}/penugasan/atur/",
        {"pertanyaan": [soal.pk], "utama": dinkes.pk},
        content_type="application/json",
    )
    assert response.status_code == 403 and response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == "Anda tidak memiliki izin untuk melakukan tindakan ini."
    assert _penugasan(soal) == before
    english = client.post(
        f"{API}/penugasan/atur/",
        {"pertanyaan": [soal.pk], "utama": dinkes.pk},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert english.json()["detail"] == "You do not have permission to perform this action."
    assert _penugasan(soal) == before


def test_an_inactive_agency_is_refused_with_the_services_message(
    client, sekretariat, instrumen, dinkes
):
    dinkes.aktif = False
    dinkes.save()
    client.force_login(sekretariat)
    soal = instrumen["dinsos"]
    body = {"pertanyaan": [soal.pk], "utama": dinkes.pk}
    response = client.post(f"{API}/penugasan/atur/", body, content_type="application/json")
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == "OPD Dinas Kesehatan sudah tidak aktif."
    assert _penugasan(soal) == [("Dinsos", True)]


def test_bad_input_is_a_problem_in_the_readers_language(client, sekretariat, instrumen, dinkes):
    client.force_login(sekretariat)
    url = f"{API}/penugasan/atur/"
    response = client.post(url, {"pertanyaan": [], "utama": dinkes.pk}, "application/json")
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == "Centang paling sedikit satu pertanyaan."
    assert "pertanyaan" in response.json()["errors"]
    response = client.post(
        url, {"pertanyaan": [instrumen["dinsos"].pk]}, "application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json()["detail"] == "Choose the lead agency."
    assert response.json()["title"] == "Invalid request"
    response = client.post(url, {"pertanyaan": [999999], "utama": dinkes.pk}, "application/json")
    assert response.status_code == 400 and "pertanyaan" in response.json()["errors"]
    assert response.json()["detail"] == 'Objek dengan primary key "999999" tidak ditemukan.'
    assert Penugasan.objects.filter(pertanyaan=instrumen["dinsos"]).count() == 1


def test_a_repeated_assignment_with_its_key_is_done_once(
    client, sekretariat, instrumen, dinkes, monkeypatch
):
    from clusters import services

    calls = []
    asli = services.penugasan_atur
    monkeypatch.setattr(services, "penugasan_atur", lambda **kw: calls.append(kw) or asli(**kw))
    client.force_login(sekretariat)
    body = {"pertanyaan": [instrumen["dinsos"].pk], "utama": dinkes.pk}
    headers = {"HTTP_IDEMPOTENCY_KEY": "atur-penugasan-0001"}
    first = client.post(f"{API}/penugasan/atur/", body, "application/json", **headers)
    again = client.post(f"{API}/penugasan/atur/", body, "application/json", **headers)
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert len(calls) == 1


# --- A year's settings -----------------------------------------------------------------------


def test_the_secretariat_sets_the_deadline_and_closes_the_year(client, sekretariat, instrumen):
    client.force_login(sekretariat)
    url = f"{API}/tahun-evaluasi/2024/"
    response = client.patch(
        url, {"batas_waktu": "2024-01-31T23:59:00+07:00"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["lewat_batas"] is True and response.json()["dibuka"] is True
    response = client.patch(url, {"dibuka": False}, content_type="application/json")
    tahun = TahunEvaluasi.objects.get(tahun=2024)
    assert tahun.dibuka is False and tahun.batas_waktu.day == 31  # the deadline kept


def test_a_year_without_an_instrument_cannot_be_opened(client, sekretariat, db):
    TahunEvaluasi.objects.create(tahun=2025)
    client.force_login(sekretariat)
    url = f"{API}/tahun-evaluasi/2025/"
    response = client.patch(url, {"dibuka": True}, content_type="application/json")
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == "Impor instrumen tahun ini sebelum membukanya untuk OPD."
    assert TahunEvaluasi.objects.get(tahun=2025).dibuka is False


@pytest.mark.parametrize(
    "person", ["operator_dinkes", "kepala_dinkes", "lurah_cipare", "bappeda", "pimpinan"]
)
def test_only_the_secretariat_changes_a_year(client, request, instrumen, person):
    _masuk(client, request, person)
    url = f"{API}/tahun-evaluasi/2024/"
    response = client.patch(url, {"dibuka": False}, content_type="application/json")
    assert response.status_code == 403 and response["Content-Type"] == PROBLEM
    assert TahunEvaluasi.objects.get(tahun=2024).dibuka is True


def test_a_misspelt_field_is_refused_not_ignored(client, sekretariat, instrumen, dinkes):
    client.force_login(sekretariat)
    response = client.patch(
        f"{API}/tahun-evaluasi/2024/", {"dibuka_": False}, content_type="application/json"
    )
    assert response.status_code == 400 and "dibuka_" in response.json()["errors"]
    assert TahunEvaluasi.objects.get(tahun=2024).dibuka is True
    body = {"pertanyaan": [instrumen["dinsos"].pk], "utama": dinkes.pk, "opd": dinkes.pk}
    response = client.post(f"{API}/penugasan/atur/", body, content_type="application/json")
    assert response.status_code == 400 and "opd" in response.json()["errors"]
    assert _penugasan(instrumen["dinsos"]) == [("Dinsos", True)]


# --- Query counts ---------------------------------------------------------------------------


# Every request: session, user, memberships. An agency's people add two: Django's own
# permission tables, asked once the rules have said no to the city-wide permission.
PERAN_KUERI = {"sekretariat": 3, "operator_dinkes": 5}


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # the count, the questions with year and indicator, their agencies
        ("pertanyaan/?tahun=2024", 3),
        # the count, the assignments with question, year, indicator and agency
        ("penugasan/?tahun=2024", 2),
        ("indikator/", 2),  # the count, the indicators
        ("kelompok/", 2),  # the count, the groups
        # the count, the years, their bands, their extensions
        ("tahun-evaluasi/", 4),
        ("tahun-evaluasi/2024/", 3),
        # the year, groups, indicators, questions, their agencies
        ("tahun-evaluasi/2024/instrumen/", 5),
    ],
)
@pytest.mark.parametrize("person", PERAN_KUERI)
def test_query_counts_do_not_grow_with_the_questions(
    client,
    request,
    instrumen,
    indikator,
    dinkes,
    dinsos,
    person,
    url,
    queries,
    django_assert_num_queries,
):
    _masuk(client, request, person)
    tambah_soal(indikator, dinkes, 5, start=100)
    client.get(f"{API}/{url}")  # warm what is read once per process (content types)
    with django_assert_num_queries(PERAN_KUERI[person] + queries):
        assert client.get(f"{API}/{url}").status_code == 200
    more = tambah_soal(indikator, dinkes, 60, start=200)
    Penugasan.objects.bulk_create(Penugasan(pertanyaan=p, opd=dinsos) for p in more)
    # the same queries with 65 more questions, each with two agencies
    with django_assert_num_queries(PERAN_KUERI[person] + queries):
        assert client.get(f"{API}/{url}").status_code == 200


def test_a_read_only_token_of_the_secretariat_does_not_assign(
    client, sekretariat, instrumen, dinkes
):
    from agencies import services as agencies_services

    _row, token = agencies_services.token_buat(user=sekretariat, nama="Laporan", akses="baca")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get(f"{API}/penugasan/", **auth).status_code == 200
    body = {"pertanyaan": [instrumen["dinsos"].pk], "utama": dinkes.pk}
    response = client.post(f"{API}/penugasan/atur/", body, "application/json", **auth)
    assert response.status_code == 403 and response["Content-Type"] == PROBLEM
    assert _penugasan(instrumen["dinsos"]) == [("Dinsos", True)]
