"""The RAD through the API, reading: periods, actions with their figures, quarterly reports and
the monitoring figures, scoped as the pages (other agencies' ids are 404), the same numbers as
the pages, and query counts that do not grow with the plan."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rencana_aksi import selectors
from rencana_aksi.models import Klaster, Realisasi, SumberDana
from tests.rencana_aksi.bantu import LALU, LALU_DUA, buat_aksi, lapor
from tests.rencana_aksi.test_dasbor import aksi as aksi_2025
from tests.rencana_aksi.test_dasbor import (
    periode,  # noqa: F401
    rencana,  # noqa: F401
)

PROBLEM = "application/problem+json"
JT = 1_000_000
API = "/api/v1/rad"

PERAN = [
    "operator_dinkes",
    "operator_dinsos",
    "kepala_dinkes",
    "sekretariat",
    "bappeda",
    "pimpinan",
]


def ditolak(peran) -> int:
    """The refusal of a person without the right (403), or of nobody logged in (401)."""
    return 401 if peran is None else 403


def masuk(client, request, peran):
    if peran is not None:
        client.force_login(request.getfixturevalue(peran))


@pytest.fixture
def kode_per_aksi(rencana):  # noqa: F811
    from rencana_aksi.models import Aksi

    return {a.kode: a for a in Aksi.objects.all()}


@pytest.fixture
def laporan_a2(rencana):  # noqa: F811
    """Dinas Sosial's report of A2, TW I 2025 (Dinkes supports A2, so it sees it too)."""
    return Realisasi.objects.get(aksi__kode="A2", tahun=2025, triwulan=1)


# --- Who sees what ------------------------------------------------------------------------

# Who sees which of A1, A2 (Dinsos, supported by Dinkes) and A3 (Dinkes).
SEMUA = ["A1", "A2", "A3"]
TERLIHAT = {
    "operator_dinkes": SEMUA,
    "operator_dinsos": ["A2"],
    "kepala_dinkes": SEMUA,
    "sekretariat": SEMUA,
    "bappeda": SEMUA,
    "pimpinan": SEMUA,
}


@pytest.mark.parametrize("peran", PERAN)
def test_each_role_lists_the_actions_the_page_shows(client, request, rencana, peran):  # noqa: F811
    masuk(client, request, peran)
    data = client.get(f"{API}/aksi/?periode={rencana.pk}&tahun=2025").json()
    assert [a["kode"] for a in data["results"]] == TERLIHAT[peran]
    assert data["count"] == len(TERLIHAT[peran])


@pytest.mark.parametrize("peran", PERAN)
def test_an_action_of_another_agency_is_a_404_as_on_the_page(client, request, kode_per_aksi, peran):
    masuk(client, request, peran)
    for kode, aksi in kode_per_aksi.items():
        api = client.get(f"{API}/aksi/{aksi.pk}/")
        page = client.get(reverse("rencana_aksi:aksi-detail", args=[aksi.pk]))
        assert api.status_code == page.status_code
        assert api.status_code == (200 if kode in TERLIHAT[peran] else 404)
        if api.status_code == 404:
            assert api["Content-Type"] == PROBLEM
            assert api.json()["detail"] == "Data ini tidak ada atau bukan bagian Anda."


@pytest.mark.parametrize("peran", PERAN)
def test_reports_are_scoped_as_their_actions(client, request, rencana, peran):  # noqa: F811
    masuk(client, request, peran)
    data = client.get(f"{API}/realisasi/?tahun=2025&page_size=200").json()
    kode = sorted({r["aksi_kode"] for r in data["results"]})
    # A3 has no report; A1's and A2's are seen by whoever sees the action.
    assert kode == [k for k in TERLIHAT[peran] if k != "A3"]
    for laporan in Realisasi.objects.select_related("aksi"):
        response = client.get(f"{API}/realisasi/{laporan.pk}/")
        assert response.status_code == (200 if laporan.aksi.kode in TERLIHAT[peran] else 404)


@pytest.mark.parametrize("peran", [*PERAN, "operator_kasemen", None])
def test_periods_are_read_by_every_reader_of_the_rad(client, request, rencana, peran):  # noqa: F811
    masuk(client, request, peran)
    response = client.get(f"{API}/periode/")
    if peran in (None, "operator_kasemen"):
        # Anonymous (401: log in), and an area operator (no part in the RAD, as on the pages).
        assert response.status_code == ditolak(peran)
        assert response["Content-Type"] == PROBLEM
        return
    assert [p["tahun_mulai"] for p in response.json()["results"]] == [2025]
    assert response.json()["results"][0]["tahun_list"] == [2025, 2026, 2027, 2028, 2029]


@pytest.mark.parametrize(
    "alamat",
    [
        "aksi/",
        "aksi/{a}/",
        "aksi/{a}/laporan/2025/1/",
        "realisasi/",
        "realisasi/{r}/",
        "periode/{p}/",
        "periode/{p}/pemantauan/",
    ],
)
@pytest.mark.parametrize("peran", ["operator_kasemen", None])
def test_outsiders_read_nothing(client, request, kode_per_aksi, laporan_a2, alamat, peran):
    masuk(client, request, peran)
    a = kode_per_aksi["A2"]
    url = alamat.format(a=a.pk, r=laporan_a2.pk, p=a.periode_id)
    response = client.get(f"{API}/{url}")
    assert response.status_code == ditolak(peran)
    assert response["Content-Type"] == PROBLEM


def test_english_with_accept_language(client, operator_dinsos, kode_per_aksi):
    client.force_login(operator_dinsos)
    response = client.get(f"{API}/aksi/{kode_per_aksi['A1'].pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json()["detail"] == "This does not exist or is not yours."


# --- The figures: the hand-computed plan of test_dasbor, and the pages' ---------------------


def test_an_actions_figures_are_the_hand_computed_ones(client, bappeda, kode_per_aksi):
    client.force_login(bappeda)
    a1 = client.get(f"{API}/aksi/{kode_per_aksi['A1'].pk}/").json()
    tahun_2025 = next(k for k in a1["tahunan"] if k["tahun"] == 2025)
    assert tahun_2025 | {"status_triwulan": None} == {
        "tahun": 2025,
        "target": 100.0,
        "pagu": 200.0 * JT,
        "sumber_dana": "apbd",
        "capaian": 70.0,
        "triwulan_terakhir": 3,
        "persen_capaian": 70.0,
        "terserap": 150.0 * JT,
        "persen_serap": 75.0,
        "status_triwulan": None,
        "terlambat": [3, 4],  # TW III only a draft, TW IV never reported
        "berisiko": True,
        "dinilai": True,
    }
    assert tahun_2025["status_triwulan"] == {
        "1": "terverifikasi",
        "2": "menunggu_kepala",
        "3": "draft",
    }
    assert a1["target"] == [
        {"tahun": 2025, "target": 100.0, "pagu": 200.0 * JT, "sumber_dana": "apbd"}
    ]
    assert (a1["kode"], a1["klaster"], a1["indikator_kla"]) == ("A1", "klaster_3", ["Indikator 15"])


def test_the_list_shows_the_years_figures_as_the_list_page(client, bappeda, rencana):  # noqa: F811
    client.force_login(bappeda)
    data = client.get(f"{API}/aksi/?periode={rencana.pk}&tahun=2025").json()["results"]
    angka = {a["kode"]: a["angka"] for a in data}
    assert (angka["A2"]["persen_capaian"], angka["A2"]["terlambat"], angka["A2"]["berisiko"]) == (
        100.0,
        [],
        False,
    )
    assert (angka["A3"]["capaian"], angka["A3"]["persen_capaian"], angka["A3"]["terlambat"]) == (
        None,
        0.0,
        [1, 2, 3, 4],
    )
    # The same rows as the page's list, with its filters.
    page = client.get(
        reverse("rencana_aksi:aksi-list", args=[rencana.pk]), {"tahun": 2025, "berisiko": 1}
    )
    api = client.get(f"{API}/aksi/?periode={rencana.pk}&tahun=2025&berisiko=true").json()
    assert [
        (a["kode"], a["angka"]["persen_capaian"], a["angka"]["terserap"]) for a in api["results"]
    ] == [
        (b["k"].aksi.kode, float(b["k"].persen_capaian), float(b["k"].terserap))
        for b in page.context["baris"]
    ]
    assert [a["kode"] for a in api["results"]] == ["A1", "A3"]


@pytest.mark.parametrize(
    "saring, kode",
    [
        ("klaster=klaster_5", ["A2"]),
        ("terlambat=true", ["A1", "A3"]),
        ("q=A3", ["A3"]),
        ("status=berjalan", []),  # the plan's actions are all "direncanakan"
        ("indikator=Indikator 15", ["A1", "A2", "A3"]),
    ],
)
def test_the_lists_filters(client, bappeda, rencana, saring, kode):  # noqa: F811
    client.force_login(bappeda)
    data = client.get(f"{API}/aksi/?periode={rencana.pk}&tahun=2025&{saring}").json()
    assert [a["kode"] for a in data["results"]] == kode


def test_the_agency_filter_counts_lead_and_supporting(client, bappeda, rencana, dinkes):  # noqa: F811
    client.force_login(bappeda)
    data = client.get(f"{API}/aksi/?periode={rencana.pk}&opd={dinkes.pk}").json()
    assert [a["kode"] for a in data["results"]] == ["A1", "A2", "A3"]


@pytest.mark.parametrize(
    "saring, kolom",
    [
        ("periode=abc", "periode"),
        ("tahun=dua", "tahun"),
        ("opd=x", "opd"),
        ("klaster=klaster_9", "klaster"),
        ("berisiko=mungkin", "berisiko"),
        ("opd=99999999999999999999999", "opd"),
    ],
)
def test_a_filter_of_the_wrong_type_is_a_400(client, bappeda, rencana, saring, kolom):  # noqa: F811
    client.force_login(bappeda)
    response = client.get(f"{API}/aksi/?{saring}")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert kolom in response.json()["errors"]


@pytest.mark.parametrize(
    "saring", ["aksi=abc", "tahun=2026.5", "status=x", "triwulan=9", "opd=99999999999999999999999"]
)
def test_a_report_filter_of_the_wrong_type_is_a_400(client, bappeda, rencana, saring):  # noqa: F811
    client.force_login(bappeda)
    response = client.get(f"{API}/realisasi/?{saring}")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM


def test_monitoring_figures_are_the_hand_computed_ones(client, bappeda, rencana, dinkes):  # noqa: F811
    client.force_login(bappeda)
    data = client.get(f"{API}/periode/{rencana.pk}/pemantauan/?tahun=2025").json()
    assert (data["tahun"], data["triwulan"], data["seluruh_kota"]) == (2025, 4, True)
    assert data["kota"] == {
        "nama": "Seluruh aksi",
        "aksi": 3,
        "pagu": 350.0 * JT,
        "terserap": 250.0 * JT,
        "persen_serap": 71.4,
        "rata_capaian": 56.7,
        "berisiko": 2,
        "terlambat": 2,
    }
    per_opd = {j["nama"]: j for j in data["per_opd"]}
    assert per_opd["Dinkes"] | {"persen_serap": None} == {
        "nama": "Dinkes",
        "opd": dinkes.pk,
        "aksi": 2,
        "pagu": 250.0 * JT,
        "terserap": 150.0 * JT,
        "persen_serap": None,
        "rata_capaian": 35.0,
        "berisiko": 2,
        "terlambat": 2,
    }
    assert per_opd["Dinkes"]["persen_serap"] == 60.0
    assert [(j["klaster"], j["aksi"]) for j in data["per_klaster"]] == [
        ("klaster_3", 2),
        ("klaster_5", 1),
    ]
    assert data["porsi"] == {
        "apbd": 10_000.0 * JT,
        "pagu": 300.0 * JT,
        "terserap": 250.0 * JT,
        "persen_pagu": 3.0,
        "persen_serap": 2.5,
    }
    assert data["belum_lapor"] == [{"opd": dinkes.pk, "singkatan": "Dinkes", "jumlah": 2}]
    assert [(b["kode"], b["persen_capaian"]) for b in data["berisiko"]] == [
        ("A3", 0.0),
        ("A1", 70.0),
    ]
    assert data["per_tahun"] == []


@pytest.mark.parametrize("peran", PERAN)
def test_monitoring_figures_are_the_pages_for_each_role(client, request, rencana, peran):  # noqa: F811
    masuk(client, request, peran)
    user = request.getfixturevalue(peran)
    data = client.get(f"{API}/periode/{rencana.pk}/pemantauan/?tahun=2025&antartahun=1").json()
    d = selectors.dasbor_rad(
        user=user,
        periode=rencana,
        tahun=2025,
        hari_ini=datetime.date.today(),
        semua_tahun=True,
    )
    assert data["kota"]["aksi"] == d.kota.aksi == len(TERLIHAT[peran])
    assert D(str(data["kota"]["terserap"])) == d.kota.terserap
    assert [(j["nama"], j["aksi"], j["berisiko"]) for j in data["per_opd"]] == [
        (j.nama, j.aksi, j.berisiko) for j in d.per_opd
    ]
    assert [j["nama"] for j in data["per_tahun"]] == [str(t) for t in rencana.tahun_list]
    assert (data["porsi"] is None) == (d.porsi is None) == (peran not in SELURUH_KOTA)
    # and the page itself shows the same totals
    page = client.get(reverse("rencana_aksi:dasbor", args=[rencana.pk]), {"tahun": 2025})
    assert page.context["kota"].aksi == data["kota"]["aksi"]
    assert page.context["kota"].terserap == D(str(data["kota"]["terserap"]))


SELURUH_KOTA = {"sekretariat", "bappeda", "pimpinan"}


def test_an_agency_sees_the_figures_of_its_own_actions(client, operator_dinsos, rencana):  # noqa: F811
    client.force_login(operator_dinsos)
    data = client.get(f"{API}/periode/{rencana.pk}/pemantauan/?tahun=2025").json()
    assert (data["kota"]["aksi"], data["kota"]["rata_capaian"], data["porsi"]) == (1, 100.0, None)


def test_a_periods_monitoring_of_a_missing_period_is_a_404(client, bappeda, db):
    client.force_login(bappeda)
    assert client.get(f"{API}/periode/999999/pemantauan/").status_code == 404


def test_an_unwritten_quarter_reads_as_version_0(client, operator_dinkes, kode_per_aksi):
    client.force_login(operator_dinkes)
    a3 = kode_per_aksi["A3"]
    data = client.get(f"{API}/aksi/{a3.pk}/laporan/2025/2/").json()
    assert (data["id"], data["versi"], data["status"], data["aksi_kode"]) == (
        None,
        0,
        "draft",
        "A3",
    )
    assert data["batas"] == "2025-07-15"
    assert client.get(f"{API}/aksi/{a3.pk}/laporan/2031/2/").status_code == 404
    assert client.get(f"{API}/aksi/{a3.pk}/laporan/2025/5/").status_code == 404


# --- Query counts -------------------------------------------------------------------------


def _tambah(periode, n, opd, operator, by):  # noqa: F811
    for i in range(n):
        a = buat_aksi(periode, f"Q{n}.{i:02}", opd, by, klaster=Klaster.KLASTER_4)
        lapor(a, LALU, operator)


def _hitung(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "alamat",
    [
        "aksi/?periode={p}&page_size=200",
        "aksi/{a}/",
        "realisasi/?page_size=200",
        "periode/{p}/pemantauan/",
        "periode/",
        "periode/{p}/",
        "realisasi/{r}/",
        "aksi/{a}/laporan/{t}/{tw}/",
    ],
)
@pytest.mark.parametrize("peran", ["bappeda", "operator_dinkes"])
def test_query_counts_do_not_grow_with_the_plan(
    client,
    request,
    django_assert_num_queries,
    periode,  # noqa: F811
    dinkes,
    dinsos,
    operator_dinkes,
    sekretariat,
    alamat,
    peran,
):
    pertama = buat_aksi(periode, "Q0", dinkes, sekretariat, pendukung=[dinsos])
    r = lapor(pertama, LALU, operator_dinkes)
    url = f"{API}/" + alamat.format(p=periode.pk, a=pertama.pk, r=r.pk, t=LALU[0], tw=LALU[1])
    masuk(client, request, peran)
    _tambah(periode, 2, dinkes, operator_dinkes, sekretariat)
    kecil = _hitung(client, url)
    _tambah(periode, 7, dinkes, operator_dinkes, sekretariat)
    lapor(pertama, LALU_DUA, operator_dinkes)  # the action itself: one report more
    with django_assert_num_queries(kecil):
        assert client.get(url).status_code == 200


def test_an_actions_target_of_another_source(client, bappeda, rencana, sekretariat, dinkes):  # noqa: F811
    """A DAK-funded action's yearly row names its source (and counts in the children's share)."""
    a = aksi_2025(rencana, "A4", dinkes, Klaster.KLASTER_3, 5, 10, SumberDana.DAK, sekretariat)
    client.force_login(bappeda)
    data = client.get(f"{API}/aksi/{a.pk}/").json()
    assert data["target"][0]["sumber_dana"] == "dak"
