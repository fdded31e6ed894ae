"""A reload of a score dashboard whose figures have not changed costs a 304: the ETag covers
the snapshot and everything else the page shows this person (kla_portal.bersyarat)."""

from decimal import Decimal as D

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from agencies import services as agencies_services
from clusters import services
from tests.conftest import kota_uji

HALAMAN = ["skor:ringkasan", "skor:kelengkapan", "skor:poin-hilang", "skor:unit"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def skor(tahun, soal_dinkes, soal_dinsos, operator_dinkes, operator_dinsos):
    """Dinkes claims 6 of 8, Dinsos 5 of 8."""
    services.jawaban_simpan(pertanyaan=soal_dinkes, by=operator_dinkes, versi=0, fraksi=D("0.75"))
    services.jawaban_simpan(pertanyaan=soal_dinsos, by=operator_dinsos, versi=0, poin_langsung=D(5))
    return services.skor_hitung(tahun=tahun)


def buka(client, name, etag=None, **query):
    headers = {"HTTP_IF_NONE_MATCH": etag} if etag else {}
    return client.get(reverse(name, args=[2024]), query, **headers)


@pytest.mark.parametrize("name", HALAMAN)
def test_a_reload_of_an_unchanged_dashboard_is_a_304_without_a_body(
    client, sekretariat, skor, name
):
    client.force_login(sekretariat)
    first = buka(client, name)
    assert first.status_code == 200 and first["ETag"]
    again = buka(client, name, first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.parametrize("name", HALAMAN)
def test_a_304_stays_private_to_the_browser_and_is_checked_every_time(
    client, sekretariat, skor, name
):
    client.force_login(sekretariat)
    first = buka(client, name)
    again = buka(client, name, first["ETag"])
    for response in (first, again):
        assert "private" in response["Cache-Control"]
        assert "no-cache" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]
        assert "Cookie" in response["Vary"]


def test_a_new_snapshot_gives_the_page_again(client, bappeda, skor, tahun):
    client.force_login(bappeda)
    etag = buka(client, "skor:ringkasan")["ETag"]
    services.skor_hitung(tahun=tahun)
    response = buka(client, "skor:ringkasan", etag)
    assert response.status_code == 200 and response["ETag"] != etag


def test_a_change_waiting_for_its_recompute_gives_the_page_again(
    client, bappeda, skor, tahun, soal_dinkes, operator_dinkes
):
    client.force_login(bappeda)
    etag = buka(client, "skor:ringkasan")["ETag"]
    services.skor_perlu_dihitung(
        tahun_id=tahun.pk, daerah_id=kota_uji().pk
    )  # the page says "being recomputed"
    assert buka(client, "skor:ringkasan", etag).status_code == 200


@pytest.mark.parametrize("name", HALAMAN)
def test_another_agency_or_role_never_gets_a_304_on_someone_else_s_etag(
    client, operator_dinkes, operator_dinsos, sekretariat, skor, name
):
    client.force_login(operator_dinkes)
    etag_dinkes = buka(client, name)["ETag"]
    client.force_login(operator_dinsos)
    assert buka(client, name, etag_dinkes).status_code == 200
    client.force_login(sekretariat)
    assert buka(client, name, etag_dinkes).status_code == 200


def test_a_new_notification_in_the_badge_gives_the_page_again(client, bappeda, skor):
    client.force_login(bappeda)
    etag = buka(client, "skor:poin-hilang")["ETag"]
    agencies_services.notifikasi_kirim(penerima=[bappeda], judul="Rapat besok", email=False)
    assert buka(client, "skor:poin-hilang", etag).status_code == 200


def test_another_language_gives_the_page_again(client, bappeda, skor, settings):
    client.force_login(bappeda)
    etag = buka(client, "skor:ringkasan")["ETag"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert buka(client, "skor:ringkasan", etag).status_code == 200


def test_another_filter_of_the_same_page_has_its_own_etag(client, sekretariat, skor):
    client.force_login(sekretariat)
    etag = buka(client, "skor:kelengkapan")["ETag"]
    assert buka(client, "skor:kelengkapan", etag, kelompok=1)["ETag"] != etag


def test_a_message_waiting_to_be_shown_is_never_swallowed_by_a_304(client, bappeda, skor):
    client.force_login(bappeda)
    etag = buka(client, "skor:ringkasan")["ETag"]
    storage = CookieStorage(HttpRequest())
    storage.add(constants.INFO, "Hitung ulang skor diantrekan")
    response = HttpResponse()
    storage.update(response)
    client.cookies[storage.cookie_name] = response.cookies[storage.cookie_name].value
    response = buka(client, "skor:ringkasan", etag)
    assert response.status_code == 200 and "ETag" not in response
    assert "Hitung ulang skor diantrekan" in response.content.decode()


def test_a_download_is_never_answered_304(client, sekretariat, skor):
    client.force_login(sekretariat)
    etag = buka(client, "skor:ringkasan")["ETag"]
    response = buka(client, "skor:ringkasan", etag, unduh="poin-per-kelompok")
    assert response.status_code == 200 and "ETag" not in response


def test_a_304_reads_less_than_the_page(client, sekretariat, skor, django_assert_max_num_queries):
    client.force_login(sekretariat)
    etag = buka(client, "skor:ringkasan")["ETag"]
    # session, user, memberships, city served, 2 permission look-ups, unread notifications,
    # the year, the snapshot, the years, the two trends, the city's round at the province and
    # its answers counted: the page's reads without rendering
    with django_assert_max_num_queries(14):
        assert buka(client, "skor:ringkasan", etag).status_code == 304
