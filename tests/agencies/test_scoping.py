"""Every role sees only its pages, and only its agency's or area's data, also by id in the URL."""

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import Keanggotaan

ROLES = [
    "admin_portal",
    "sekretariat",
    "bappeda",
    "pimpinan",
    "kepala_dinkes",
    "operator_dinkes",
    "operator_kasemen",
    "lurah_cipare",
]
CITY_WIDE = {"admin_portal", "sekretariat", "bappeda", "pimpinan"}
MANAGERS = {"admin_portal", "sekretariat"}


@pytest.fixture
def everyone(request, kota_serang, operator_dinsos):
    return {role: request.getfixturevalue(role) for role in ROLES}


def expected(role: str, allowed: set[str], refused: int = 403) -> int:
    return 200 if role in allowed else refused


@pytest.mark.parametrize("role", ROLES)
def test_pages_each_role_may_open(client, everyone, dinkes, dinsos, operator_dinsos, role):
    client.force_login(everyone[role])
    pages = {
        reverse("beranda"): 200,
        reverse("agencies:wilayah-list"): 200,
        reverse("agencies:wilayah-detail", args=["36.73.02"]): 200,
        reverse("agencies:opd-list"): 200,
        reverse("agencies:opd-detail", args=[dinkes.pk]): expected(
            role, CITY_WIDE | {"kepala_dinkes", "operator_dinkes"}, refused=404
        ),
        # Another agency's member list, reached by changing the id in the URL.
        reverse("agencies:opd-detail", args=[dinsos.pk]): expected(role, CITY_WIDE, refused=404),
        reverse("agencies:opd-create"): expected(role, MANAGERS),
        reverse("agencies:opd-edit", args=[dinkes.pk]): expected(role, MANAGERS),
        reverse("agencies:pengguna-list"): expected(role, MANAGERS),
        reverse("agencies:pengguna-create"): expected(role, MANAGERS),
        reverse("agencies:pengguna-detail", args=[operator_dinsos.pk]): expected(
            role, CITY_WIDE, refused=404
        ),
    }
    seen = {url: client.get(url).status_code for url in pages}
    assert seen == pages


@pytest.mark.parametrize("role", ROLES)
def test_only_managers_can_reset_a_password_or_end_a_membership(
    client, everyone, operator_dinsos, role
):
    client.force_login(everyone[role])
    membership = Keanggotaan.objects.get(user=operator_dinsos)
    password_before = operator_dinsos.password

    reset = client.post(reverse("agencies:pengguna-reset-sandi", args=[operator_dinsos.pk]))
    end = client.post(
        reverse("agencies:keanggotaan-akhiri", args=[membership.pk]),
        {"selesai": timezone.localdate().isoformat(), "alasan": "mutasi"},
    )

    if role in MANAGERS:
        assert (reset.status_code, end.status_code) == (200, 302)
    else:
        assert (reset.status_code, end.status_code) == (403, 403)
        operator_dinsos.refresh_from_db()
        membership.refresh_from_db()
        assert operator_dinsos.password == password_before
        assert membership.selesai is None


def test_agency_staff_see_colleagues_but_not_other_agencies(
    client, operator_dinkes, kepala_dinkes, operator_dinsos
):
    client.force_login(operator_dinkes)
    assert (
        client.get(reverse("agencies:pengguna-detail", args=[kepala_dinkes.pk])).status_code == 200
    )
    assert (
        client.get(reverse("agencies:pengguna-detail", args=[operator_dinsos.pk])).status_code
        == 404
    )


def test_operator_lists_only_their_own_agency(client, operator_dinkes, dinkes, dinsos):
    client.force_login(operator_dinkes)
    page = client.get(reverse("agencies:opd-list")).content.decode()
    assert "Dinas Kesehatan" in page
    assert "Dinas Sosial" not in page


def test_a_kelurahan_operator_sees_only_their_kelurahan_colleagues(
    client, lurah_cipare, operator_kasemen, make_person, cipare
):
    tetangga = make_person("staf.cipare", "operator_wilayah", wilayah=cipare)
    client.force_login(lurah_cipare)
    assert client.get(reverse("agencies:pengguna-detail", args=[tetangga.pk])).status_code == 200
    assert (
        client.get(reverse("agencies:pengguna-detail", args=[operator_kasemen.pk])).status_code
        == 404
    )


def test_a_kecamatan_operator_sees_the_kecamatan_agency(client, operator_kasemen, kasemen):
    from tests.conftest import OpdFactory

    kec = OpdFactory(
        nama="Kecamatan Kasemen", singkatan="Kec. Kasemen", jenis="kecamatan", wilayah=kasemen
    )
    other = OpdFactory(nama="Kecamatan Curug", singkatan="Kec. Curug", jenis="kecamatan")
    client.force_login(operator_kasemen)
    assert client.get(reverse("agencies:opd-detail", args=[kec.pk])).status_code == 200
    assert client.get(reverse("agencies:opd-detail", args=[other.pk])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_api_lists_only_what_the_role_may_see(client, everyone, dinkes, dinsos, role):
    client.force_login(everyone[role])
    response = client.get("/api/v1/opd/")
    assert response.status_code == 200
    names = {row["singkatan"] for row in response.json()["results"]}
    if role in CITY_WIDE:
        assert {"Dinkes", "Dinsos"} <= names
    elif role in {"kepala_dinkes", "operator_dinkes"}:
        assert names == {"Dinkes"}
    else:
        assert names == set()
    other = client.get(f"/api/v1/opd/{dinsos.pk}/")
    assert other.status_code == (200 if role in CITY_WIDE else 404)


def test_api_me_returns_the_active_roles(client, operator_dinkes, dinkes):
    client.force_login(operator_dinkes)
    data = client.get("/api/v1/saya/").json()
    assert data["username"] == "operator.dinkes"
    assert [(k["peran"], k["opd"]) for k in data["keanggotaan_aktif"]] == [
        ("operator_opd", dinkes.pk)
    ]


def test_api_regions_are_the_city_served(client, operator_dinkes, kota_serang):
    client.force_login(operator_dinkes)
    data = client.get("/api/v1/wilayah/?tingkat=3").json()
    assert data["count"] == 6
    assert client.get("/api/v1/wilayah/36.73.01.1002/").json()["jenis"] == "Kelurahan"


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("agencies:opd-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("masuk"))
    assert client.get("/api/v1/opd/").status_code == 401  # with WWW-Authenticate: Bearer


def test_an_ended_membership_gives_no_more_access(client, operator_dinkes, dinkes, sekretariat):
    from agencies.services import keanggotaan_akhiri

    keanggotaan_akhiri(
        keanggotaan=operator_dinkes.keanggotaan.get(), by=sekretariat, alasan="mutasi"
    )
    client.force_login(operator_dinkes)
    assert client.get(reverse("agencies:opd-detail", args=[dinkes.pk])).status_code == 404
    assert "belum memiliki peran aktif" in client.get(reverse("beranda")).content.decode()


def test_the_openapi_schema_describes_the_api(client, operator_dinkes):
    client.force_login(operator_dinkes)
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/opd/", "/api/v1/opd/{id}/", "/api/v1/wilayah/", "/api/v1/saya/"} <= set(paths)


@pytest.mark.django_db
def test_the_api_schema_needs_a_login(client):
    assert client.get("/api/schema/").status_code == 401


def test_the_api_answers_json_while_a_temporary_password_is_unchanged(client, operator_dinkes):
    operator_dinkes.wajib_ganti_sandi = True
    operator_dinkes.save()
    client.force_login(operator_dinkes)
    response = client.get("/api/v1/opd/")
    assert response.status_code == 403
    assert "Ganti kata sandi sementara" in response.json()["detail"]
