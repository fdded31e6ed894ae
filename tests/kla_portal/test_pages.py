"""The home page, the menu per role, error pages, language, and query counts."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from agencies.models import Peran
from tests.conftest import OpdFactory, UserFactory


def menu_labels(response) -> list[str]:
    return [str(item["label"]) for item in response.context["menu"]]


@pytest.mark.parametrize(
    ("role", "greeting", "menu"),
    [
        (
            "sekretariat",
            ["Sekretariat Gugus Tugas", "Dinas Pemberdayaan Perempuan"],
            [
                "Beranda",
                "Verifikasi",
                "Skor",
                "RAD KLA",
                "Koordinasi",
                "Laporan",
                "Evaluasi",
                "OPD",
                "Wilayah",
                "Pengguna",
            ],
        ),
        (
            "bappeda",
            ["Bappeda", "Badan Perencanaan Pembangunan Daerah"],
            ["Beranda", "Skor", "RAD KLA", "Koordinasi", "Laporan", "Evaluasi", "OPD", "Wilayah"],
        ),
        (
            "pimpinan",
            ["Pimpinan"],
            ["Beranda", "Skor", "RAD KLA", "Koordinasi", "Laporan", "Evaluasi", "OPD", "Wilayah"],
        ),
        (
            "kepala_dinkes",
            ["Kepala OPD", "Dinas Kesehatan"],
            ["Beranda", "Tugas saya", "Skor", "RAD KLA", "Koordinasi", "Laporan", "OPD", "Wilayah"],
        ),
        (
            "operator_dinkes",
            ["Operator OPD", "Dinas Kesehatan"],
            ["Beranda", "Tugas saya", "Skor", "RAD KLA", "Koordinasi", "Laporan", "OPD", "Wilayah"],
        ),
        (
            "operator_kasemen",
            ["Operator kecamatan/kelurahan", "Kecamatan Kasemen"],
            ["Beranda", "Tugas saya", "Skor", "Koordinasi", "OPD", "Wilayah"],
        ),
        (
            "lurah_cipare",
            ["Operator kecamatan/kelurahan", "Kelurahan Cipare"],
            ["Beranda", "Tugas saya", "Skor", "Koordinasi", "OPD", "Wilayah"],
        ),
    ],
)
def test_home_greets_each_role_with_its_agency_or_area(
    client, request, kota_serang, role, greeting, menu
):
    person = request.getfixturevalue(role)
    client.force_login(person)
    response = client.get(reverse("beranda"))
    page = response.content.decode()
    assert f"Selamat datang, {person.nama_lengkap}" in page
    for text in greeting:
        assert text in page
    assert menu_labels(response) == menu
    assert "Kota Serang" in page


def test_city_wide_roles_see_the_city_figures(client, sekretariat, kota_serang):
    client.force_login(sekretariat)
    figures = client.get(reverse("beranda")).context["angka_kota"]
    assert (figures["kecamatan"], figures["desa_kelurahan"]) == (6, 67)


def test_demo_accounts_are_marked_on_every_page(client, operator_dinkes):
    operator_dinkes.is_demo = True
    operator_dinkes.save()
    client.force_login(operator_dinkes)
    assert "Akun demo" in client.get(reverse("beranda")).content.decode()


def test_the_interface_is_available_in_english(client, operator_dinkes):
    client.force_login(operator_dinkes)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("beranda")).content.decode()
    assert "Welcome, Siti Nurhaliza" in page
    assert "Agency operator" in page


def test_an_english_browser_still_gets_indonesian_until_english_is_chosen(client, operator_dinkes):
    client.force_login(operator_dinkes)
    page = client.get(reverse("beranda"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Selamat datang, Siti Nurhaliza" in page
    assert '<html lang="id">' in page


def test_dates_are_written_the_indonesian_way(client, sekretariat, operator_dinkes):
    from django.utils import timezone
    from django.utils.formats import date_format

    client.force_login(sekretariat)
    page = client.get(
        reverse("agencies:pengguna-detail", args=[operator_dinkes.pk])
    ).content.decode()
    with translation.override("id"):
        today = date_format(timezone.localdate())
    assert today.split()[1] in {
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    }
    assert today in page


def test_numbers_use_indonesian_separators(client, sekretariat, kota_serang):
    from django.template import Context, Template
    from django.utils import translation

    template = Template("{% load humanize %}{{ n }} {{ n|intcomma }} {{ x }}")
    with translation.override("id"):
        rendered = template.render(Context({"n": 1250000, "x": 1250000.5}))
    assert rendered == "1.250.000 1.250.000 1.250.000,5"


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_error_pages_speak_indonesian(client, operator_dinkes):
    client.force_login(operator_dinkes)
    not_found = client.get("/tidak-ada-halaman-ini/")
    assert not_found.status_code == 404
    assert "Halaman tidak ditemukan" in not_found.content.decode()
    forbidden = client.get(reverse("agencies:pengguna-list"))
    assert forbidden.status_code == 403
    assert "Anda tidak berwenang membuka halaman ini" in forbidden.content.decode()


def test_the_server_error_page_is_indonesian_and_standalone(client):
    from django.template.loader import render_to_string

    page = render_to_string("500.html")
    assert "Terjadi kesalahan di server" in page


def _grow(n: int) -> None:
    for opd in OpdFactory.create_batch(n):
        UserFactory().keanggotaan.create(peran=Peran.OPERATOR_OPD, opd=opd)


# Every page starts with: session, user, the user's active memberships (with agency, area and
# city: the city in the menu is the person's),
# the two permission look-ups Django's ModelBackend makes once per request for rules that
# the role does not hold, and the count of unread notifications in the navigation bar.
@pytest.mark.parametrize(
    ("url_name", "queries"),
    [
        # + counts of the city's agencies, people, kecamatan, kelurahan, the newest year (no
        # snapshot yet, so no second query for it), and the secretariat's queue of follow-ups
        # past due (no year open, so no verification queue to count)
        ("beranda", 12),
        # + the agencies with their active-member counts
        ("agencies:opd-list", 7),
        # + people, their active memberships with agency and area
        ("agencies:pengguna-list", 8),
        # + the city's kecamatan with kelurahan and desa counts
        ("agencies:wilayah-list", 7),
    ],
)
def test_page_query_counts_do_not_grow_with_the_data(
    client, sekretariat, kota_serang, url_name, queries, django_assert_num_queries
):
    client.force_login(sekretariat)
    _grow(3)
    client.get(reverse(url_name))  # warm the content-type cache
    # the queries named beside each page in the list above
    with django_assert_num_queries(queries):
        assert client.get(reverse(url_name)).status_code == 200
    _grow(60)
    # the same queries with 60 more agencies and their operators
    with django_assert_num_queries(queries):
        assert client.get(reverse(url_name)).status_code == 200


def test_opd_detail_query_count_does_not_grow_with_members(
    client, sekretariat, dinkes, django_assert_num_queries
):
    client.force_login(sekretariat)

    def add_members(n):
        for _ in range(n):
            UserFactory().keanggotaan.create(peran=Peran.OPERATOR_OPD, opd=dinkes)

    add_members(2)
    client.get(dinkes.get_absolute_url())
    # session, user, memberships, agency, active ids, memberships with people, 2 permissions,
    # unread notifications
    with django_assert_num_queries(9):
        client.get(dinkes.get_absolute_url())
    add_members(40)
    # the same 9 queries with 40 more members
    with django_assert_num_queries(9):
        client.get(dinkes.get_absolute_url())


def test_api_query_count_does_not_grow_with_the_data(
    client, sekretariat, django_assert_num_queries
):
    client.force_login(sekretariat)
    _grow(3)
    # session, user, memberships, count for the page, the page of agencies
    with django_assert_num_queries(5):
        client.get("/api/v1/opd/")
    _grow(60)
    # the same 5 queries with 60 more agencies
    with django_assert_num_queries(5):
        client.get("/api/v1/opd/")
