"""Scores through the API: the same figures the score pages show for the hand-built case of
the dashboard tests (Dinkes claims 6 of 8 without evidence, Dinsos 5 of 8), sliced as the
pages slice them, read from the stored snapshot only, with ETags and flat query counts."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from clusters import services
from clusters.models import SkorSnapshot, TahunEvaluasi
from tests.clusters import test_dasbor
from tests.conftest import UserFactory, kota_uji

PROBLEM = "application/problem+json"
URL = "/api/v1/skor/2024/"
SELURUH_KOTA = ["sekretariat", "bappeda", "pimpinan"]

# The dashboard tests' hand-built case and helpers, reused as they are.
skor = test_dasbor.skor
_fresh_cache = test_dasbor._fresh_cache
_grow = test_dasbor._grow


def _masuk(client, request, person):
    client.force_login(request.getfixturevalue(person))


def angka(nilai) -> D:
    return D(str(nilai)).quantize(D("0.01"))


def _sel(tabel, *kolom) -> list[list]:
    return [[r["sel"][k] for k in kolom] for r in tabel.baris]


@pytest.mark.parametrize(
    ("person", "opd"),
    [
        ("sekretariat", ["DP3AP2KB", "Dinkes", "Dinsos"]),
        ("bappeda", ["DP3AP2KB", "Dinkes", "Dinsos"]),
        ("pimpinan", ["DP3AP2KB", "Dinkes", "Dinsos"]),
        ("operator_dinkes", ["Dinkes"]),
        ("kepala_dinkes", ["Dinkes"]),
        ("operator_dinsos", ["Dinsos"]),
        ("lurah_cipare", []),  # an area operator: the city's totals only
    ],
)
def test_everyone_reads_the_city_total_and_only_their_own_part(
    client, request, skor, person, opd, dinkes, dinsos
):
    _masuk(client, request, person)
    response = client.get(URL)
    assert response.status_code == 200
    data = response.json()
    assert data["tahun"] == 2024 and data["snapshot"]["id"] == skor.pk
    assert data["seluruh_kota"] is (person in SELURUH_KOTA)
    # 6 + 5 under the indicator's cap of 20: 11,00 own points; only Dinsos's 5 needs no file.
    assert angka(data["total"]["mandiri"]) == D("11.00")
    assert angka(data["total"]["berbukti"]) == D("5.00")
    assert sorted(o["singkatan"] for o in data["opd"]) == opd
    lead = {None: None, "Dinkes": dinkes.pk, "Dinsos": dinsos.pk}
    if person not in SELURUH_KOTA:
        assert {p["opd_id"] for p in data["pertanyaan"]} == {lead[o] for o in opd}


@pytest.mark.parametrize(
    "person",
    [*SELURUH_KOTA, "operator_dinkes", "kepala_dinkes", "operator_dinsos", "lurah_cipare"],
)
def test_everyone_with_a_role_reads_the_trend_and_the_days(client, request, skor, person):
    _masuk(client, request, person)
    [tahun] = client.get("/api/v1/skor/").json()["results"]
    assert tahun["tahun"] == 2024 and angka(tahun["mandiri"]) == D("11.00")
    [hari] = client.get(f"{URL}harian/").json()
    assert angka(hari["berbukti"]) == D("5.00")
    assert client.get("/api/v1/skor/1999/harian/").status_code == 404


def test_no_role_and_anonymous_are_refused_with_a_problem(client, skor):
    for url in (URL, "/api/v1/skor/", f"{URL}harian/"):
        response = client.get(url)
        assert response.status_code in (401, 403) and response["Content-Type"] == PROBLEM
    client.force_login(UserFactory(username="tanpa.peran"))
    for url in (URL, "/api/v1/skor/", f"{URL}harian/"):
        response = client.get(url)
        assert response.status_code == 403 and response["Content-Type"] == PROBLEM


def test_the_totals_are_the_summary_pages_cards(client, pimpinan, skor):
    client.force_login(pimpinan)
    kartu = client.get(reverse("skor:ringkasan", args=[2024])).context["kartu"]
    totals = client.get(URL).json()["totals"]
    assert [t["kunci"] for t in totals] == [k["kunci"] for k in kartu]
    for api, halaman in zip(totals, kartu, strict=True):
        assert angka(api["poin"]) == halaman["poin"]
        assert angka(api["persen"]) == halaman["persen"]
        assert api["kategori"] is None and halaman["kategori"] == "Belum"
        assert api["kategori_berikut"] == halaman["berikut"] == "Pratama"
        assert angka(api["kurang"]) == halaman["kurang"]
    # Pratama starts at 500: 489 more own points, 495 more backed by evidence.
    assert [angka(t["kurang"]) for t in totals] == [D(489), D(495), D(500)]


@pytest.mark.parametrize("person", ["sekretariat", "operator_dinkes"])
def test_groups_indicators_and_agencies_are_the_pages_rows(client, request, skor, person):
    _masuk(client, request, person)
    data = client.get(URL).json()
    ringkasan = client.get(reverse("skor:ringkasan", args=[2024])).context["tabel"][0]
    kolom = (1, 2, 3, 4)  # maximum, own, backed, verified
    kelompok = [
        [angka(g[k]) for k in ("max", "mandiri", "berbukti", "verifikasi")]
        for g in data["kelompok"]
    ]
    assert kelompok == _sel(ringkasan, *kolom)[: len(kelompok)]
    hilang = {
        t.nama: t for t in client.get(reverse("skor:poin-hilang", args=[2024])).context["tabel"]
    }
    per_opd = [r for r in hilang["poin-hilang-opd"].baris if r["sel"][0] != "Jumlah"]
    figures = ("max", "mandiri", "berbukti", "belum_diklaim", "tanpa_bukti", "berisiko")
    assert [[o["singkatan"], *(angka(o[k]) for k in figures)] for o in data["opd"]] == [
        r["sel"] for r in per_opd
    ]
    per_indikator = hilang["poin-hilang-indikator"].baris
    assert [[angka(i[k]) for k in figures] for i in data["indikator"]] == [
        r["sel"][1:] for r in per_indikator
    ]
    # The fix-first table's gains are the open questions' "dapat_diraih".
    gains = sorted(
        (angka(p["dapat_diraih"]) for p in data["pertanyaan"] if p["bisa_diperbaiki"]),
        reverse=True,
    )
    assert [g for g in gains if g > 0] == [r["sel"][4] for r in hilang["perbaiki-dulu"].baris]


def test_an_agency_reads_its_own_share_of_the_capped_indicator(client, operator_dinkes, skor):
    client.force_login(operator_dinkes)
    data = client.get(URL).json()
    # Dinkes's one question of 8 under an indicator of 20 over questions worth 24: its share
    # of the maximum is 8 × 20/24 = 6,67; its own 6 count in full (the page shows the same).
    [kelompok] = data["kelompok"]
    assert kelompok["nama"] == "KLASTER III"
    assert [angka(kelompok[k]) for k in ("max", "mandiri")] == [D("6.67"), D("6.00")]
    [soal] = data["pertanyaan"]
    assert soal["kode"] == "Pertanyaan 1" and soal["kurang_bukti"] is True
    assert soal["status"] == "draft" and soal["status_label"] == "Draf"
    assert angka(soal["dapat_diraih"]) == D("6.67")
    [indikator] = data["indikator"]
    assert indikator["dibatasi"] is None and angka(indikator["nilai_max_indikator"]) == 20


def test_the_labels_follow_the_readers_language(client, pimpinan, skor):
    client.force_login(pimpinan)
    totals = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()["totals"]
    assert totals[0]["label"] != "Poin mandiri OPD"
    assert client.get(URL).json()["totals"][0]["label"] == "Poin mandiri OPD"


def test_a_year_without_a_score_is_a_404_problem_that_says_so(client, sekretariat, tahun):
    client.force_login(sekretariat)
    response = client.get(URL)
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == (
        "Skor Evaluasi KLA 2024 belum dihitung. Coba lagi sebentar lagi."
    )
    english = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["title"] == "Not found"
    assert (
        english["detail"]
        == "The score of Evaluasi KLA 2024 has not been computed yet. Try again shortly."
    )
    response = client.get("/api/v1/skor/1999/")
    assert response.status_code == 404
    assert response.json()["detail"] == "Data ini tidak ada atau bukan bagian Anda."


def test_a_request_never_computes_scores(client, sekretariat, skor, monkeypatch):
    def forbidden(**kwargs):
        raise AssertionError("skor dihitung saat API dibaca")

    monkeypatch.setattr("clusters.scoring.hitung", forbidden)
    client.force_login(sekretariat)
    for url in (URL, "/api/v1/skor/", f"{URL}harian/"):
        assert client.get(url).status_code == 200
    assert SkorSnapshot.objects.count() == 1


def test_an_unchanged_score_is_a_304_until_a_new_snapshot(
    client, sekretariat, operator_dinkes, skor, tahun
):
    client.force_login(sekretariat)
    first = client.get(URL)
    etag = first["ETag"]
    assert first["Cache-Control"] == "private, no-cache"
    again = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    # Another person's slice has another ETag.
    client.force_login(operator_dinkes)
    assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 200
    client.force_login(sekretariat)
    services.skor_hitung(tahun=tahun)
    fresh = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and fresh["ETag"] != etag


def test_the_trend_lists_each_years_newest_totals_with_categories(client, bappeda, skor, tahun):
    lama = TahunEvaluasi.objects.create(tahun=2023)
    services.kategori_isi_baku(tahun=lama)
    SkorSnapshot.objects.create(
        daerah=kota_uji(),
        tahun=lama,
        data_per=skor.data_per,
        total_mandiri=D("612.50"),
        total_verifikasi=D("580"),
        total_berbukti=D("499.99"),
    )
    client.force_login(bappeda)
    rows = client.get("/api/v1/skor/").json()["results"]
    assert [r["tahun"] for r in rows] == [2023, 2024]
    assert [rows[0][f"kategori_{k}"] for k in ("mandiri", "verifikasi", "berbukti")] == [
        "Madya",
        "Pratama",
        None,
    ]
    assert angka(rows[1]["mandiri"]) == D("11.00") and rows[1]["sedang"] is True
    assert rows[0]["sedang"] is False
    harian = client.get(f"{URL}harian/").json()
    assert [angka(h["mandiri"]) for h in harian] == [D("11.00")]


@pytest.mark.parametrize("person", ["sekretariat", "operator_dinkes"])
def test_query_counts_do_not_grow_with_the_answers(
    client, request, skor, tahun, indikator, dinkes, person, django_assert_num_queries
):
    _masuk(client, request, person)
    _grow(indikator, dinkes, 10, 100)
    services.skor_hitung(tahun=tahun)
    client.get(URL)
    # session, user, memberships, the year, the snapshot; an agency's people add Django's two
    # permission tables (asked once the rules said no to the city-wide permission)
    queries = 5 if person == "sekretariat" else 7
    with django_assert_num_queries(queries):
        assert client.get(URL).status_code == 200
    _grow(indikator, dinkes, 1000, 1000)
    services.skor_hitung(tahun=tahun)
    # the same queries with over 1,000 answers
    with django_assert_num_queries(queries):
        assert client.get(URL).status_code == 200
    # the trend: session, user, memberships, the count, the years' newest totals, their bands
    with django_assert_num_queries(6):
        assert client.get("/api/v1/skor/").status_code == 200


def test_a_dashboard_elsewhere_reads_the_score_with_a_read_only_token(
    client, operator_dinkes, skor
):
    from agencies import services as agencies_services

    _row, token = agencies_services.token_buat(user=operator_dinkes, nama="Dasbor", akses="baca")
    response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    # The token acts as its owner: Dinkes's part, as the page shows Dinkes.
    assert [o["singkatan"] for o in response.json()["opd"]] == ["Dinkes"]
    assert client.get(URL).status_code == 401  # no credentials at all
