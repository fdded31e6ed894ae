"""The agency and user lists read one page from the database, and the searchable agency select
asks the portal for at most 20 agencies the person may see: pages that do not grow with the
city's data."""

import json

import pytest
from django.urls import reverse

from agencies.models import Peran
from tests.conftest import OpdFactory, UserFactory


def _tambah_opd(n: int) -> None:
    for opd in OpdFactory.create_batch(n):
        UserFactory().keanggotaan.create(peran=Peran.OPERATOR_OPD, opd=opd)


def _pilihan(client, q: str, **params):
    return client.get(reverse("agencies:opd-pilihan"), {"q": q, **params})


# --- The lists, a page at a time ----------------------------------------------------------


@pytest.mark.parametrize("url_name", ["agencies:opd-list", "agencies:pengguna-list"])
def test_a_list_shows_fifty_rows_and_links_to_the_rest(client, sekretariat, url_name):
    client.force_login(sekretariat)
    _tambah_opd(60)
    pertama = client.get(reverse(url_name)).content.decode()
    assert pertama.count("<tr>") - 1 == 50  # the header row and fifty rows
    assert "halaman=2" in pertama
    kedua = client.get(reverse(url_name), {"halaman": "2"}).content.decode()
    assert kedua.count("<tr>") - 1 >= 11
    assert 'aria-current="page">2<' in kedua


@pytest.mark.parametrize("nomor", ["abc", "0", "-1", "²", "1" * 30])
def test_a_nonsense_page_number_shows_the_first_page(client, sekretariat, nomor):
    client.force_login(sekretariat)
    _tambah_opd(60)
    response = client.get(reverse("agencies:opd-list"), {"halaman": nomor})
    assert response.status_code == 200
    assert "Baris 1–50 dari" in response.content.decode()


def test_a_page_past_the_end_shows_the_last_page(client, sekretariat):
    client.force_login(sekretariat)
    _tambah_opd(60)
    page = client.get(reverse("agencies:opd-list"), {"halaman": "99"}).content.decode()
    assert "Baris 51–" in page


def test_the_agency_type_filter_is_kept_in_the_page_links(client, sekretariat):
    client.force_login(sekretariat)
    OpdFactory.create_batch(55, jenis="badan")
    OpdFactory.create_batch(3, jenis="media")
    page = client.get(reverse("agencies:opd-list"), {"jenis": "badan"}).content.decode()
    assert "jenis=badan&amp;halaman=2" in page
    assert "Baris 1–50 dari 55." in page


def test_the_people_search_finds_a_person_once_whatever_their_memberships(
    client, sekretariat, dinsos, operator_dinsos, kepala_dinsos
):
    # Budi Santoso has ended and active memberships at Dinas Sosial: one row.
    operator_dinsos.keanggotaan.create(peran=Peran.KEPALA_OPD, opd=dinsos)
    client.force_login(sekretariat)
    page = client.get(reverse("agencies:pengguna-list"), {"q": "dinsos"}).content.decode()
    assert page.count(f'href="{operator_dinsos.get_absolute_url()}"') == 1


def test_list_query_counts_and_sizes_do_not_grow(client, sekretariat, django_assert_num_queries):
    client.force_login(sekretariat)
    _tambah_opd(5)
    client.get(reverse("agencies:opd-list"))  # warm the content-type cache
    # session, user, memberships, the page of agencies with their member counts and the
    # total (one query), 2 permissions, unread notifications (the city in the menu is the
    # person's, read with the memberships)
    with django_assert_num_queries(7):
        kecil = client.get(reverse("agencies:opd-list"))
    _tambah_opd(600)
    # the same 7 queries with 600 more agencies and their operators, on any page
    besar = {}
    for nomor in ("1", "2", "13"):
        with django_assert_num_queries(7):
            besar[nomor] = client.get(reverse("agencies:opd-list"), {"halaman": nomor})
    # session, user, memberships, the page of people and the total, their active
    # memberships, 2 permissions, unread notifications
    with django_assert_num_queries(8):
        orang = client.get(reverse("agencies:pengguna-list"), {"halaman": "2"})
    assert len(besar["1"].content) < len(kecil.content) + 15_000  # fifty rows at most
    assert len(orang.content) < 40_000  # fifty people, not six hundred


# --- The options of the searchable agency select ------------------------------------------


def test_the_secretariat_finds_an_agency_by_part_of_its_name_or_abbreviation(
    client, sekretariat, dinkes, dinsos
):
    client.force_login(sekretariat)
    assert _pilihan(client, "keseh").json() == {
        "hasil": [{"value": "Dinkes", "text": "Dinkes — Dinas Kesehatan"}],
        "lagi": False,
    }
    assert [p["value"] for p in _pilihan(client, "DINSOS").json()["hasil"]] == ["Dinsos"]


def test_the_options_stop_at_twenty_and_say_there_are_more(client, sekretariat):
    client.force_login(sekretariat)
    OpdFactory.create_batch(30)
    data = _pilihan(client, "contoh").json()
    assert len(data["hasil"]) == 20
    assert data["lagi"] is True


def test_a_closed_agency_is_not_offered(client, sekretariat):
    OpdFactory(nama="Kantor Lama", singkatan="KLama", aktif=False)
    client.force_login(sekretariat)
    assert _pilihan(client, "lama").json()["hasil"] == []


@pytest.mark.parametrize(
    ("role", "terlihat"),
    [
        ("sekretariat", {"Dinkes", "Dinsos"}),
        ("pimpinan", {"Dinkes", "Dinsos"}),
        ("operator_dinkes", {"Dinkes"}),
        ("kepala_dinsos", {"Dinsos"}),
        ("lurah_cipare", set()),
    ],
)
def test_a_role_never_gets_an_agency_it_may_not_see(
    client, request, dinkes, dinsos, kota_serang, role, terlihat
):
    client.force_login(request.getfixturevalue(role))
    hasil = _pilihan(client, "dinas").json()["hasil"]
    assert {p["value"] for p in hasil} & {"Dinkes", "Dinsos"} == terlihat


def test_people_without_a_role_and_visitors_get_no_options(client, dinkes):
    client.force_login(UserFactory())
    assert _pilihan(client, "keseh").status_code == 403
    client.logout()
    assert _pilihan(client, "keseh").status_code == 302


@pytest.mark.parametrize("q", ["%", "_", "' OR 1=1 --", "Dinkes\\", "☃", "<script>", "[]"])
def test_a_foreign_query_finds_nothing_and_does_not_fail(client, sekretariat, dinkes, q):
    client.force_login(sekretariat)
    response = _pilihan(client, q)
    assert response.status_code == 200
    assert response.json()["hasil"] == []


@pytest.mark.parametrize("q", ["a" * 101, "Din\x00kes"])
def test_a_bad_query_is_refused_in_indonesian(client, sekretariat, q):
    client.force_login(sekretariat)
    response = _pilihan(client, q)
    assert response.status_code == 400
    assert response.json() == {
        "galat": "Kata pencarian tidak sah: tulis paling banyak 100 huruf nama atau singkatan OPD.",
        "hasil": [],
    }


def test_the_options_query_count_does_not_grow(client, sekretariat, django_assert_num_queries):
    client.force_login(sekretariat)
    _tambah_opd(5)
    # session, user, memberships, at most 21 agencies
    with django_assert_num_queries(4):
        kecil = _pilihan(client, "")
    _tambah_opd(60)
    # the same 4 queries with 60 more agencies
    with django_assert_num_queries(4):
        besar = _pilihan(client, "")
    assert len(json.loads(besar.content)["hasil"]) == 20
    assert len(besar.content) < 2 * len(kecil.content) + 500
