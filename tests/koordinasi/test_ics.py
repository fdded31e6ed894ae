"""The calendar feeds: valid iCalendar (read back by the icalendar parser), and private to the
secret address of their owner."""

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from koordinasi import services
from koordinasi.models import TokenKalender
from tests.koordinasi.conftest import data_rapat


def baca(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def judul(cal: icalendar.Calendar) -> list[str]:
    return sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT"))


def test_the_personal_feed_is_valid_icalendar_with_jakarta_times(
    client, operator_dinkes, rapat_lalu, rapat_depan
):
    token = services.token_kalender_ambil(user=operator_dinkes)
    cal = baca(client.get(token.get_absolute_url()))  # no login: calendar apps cannot log in
    assert str(cal["VERSION"]) == "2.0"
    assert judul(cal) == ["Rakor April", "Rakor Maret"]
    acara = next(e for e in cal.walk("VEVENT") if str(e["SUMMARY"]) == "Rakor April")
    assert acara.start == rapat_depan.mulai  # the same instant
    assert str(acara.start.tzinfo) == "Asia/Jakarta" and acara.start.hour == 9
    assert acara.end.hour == 11
    assert str(acara["UID"]) == f"{rapat_depan.uid}@portal-kla"
    assert "Ruang Rapat Bappeda" in str(acara["LOCATION"])
    assert rapat_depan.get_absolute_url() in str(acara["DESCRIPTION"])
    assert cal.walk("VTIMEZONE"), "calendar apps need the time zone defined"


def test_a_change_raises_the_sequence_and_a_cancellation_is_marked(
    client, sekretariat, operator_dinkes, rapat_depan
):
    token = services.token_kalender_ambil(user=operator_dinkes)
    services.rapat_batalkan(
        rapat=rapat_depan, alasan="Bentrok dengan acara Wali Kota", by=sekretariat
    )
    acara = baca(client.get(token.get_absolute_url())).walk("VEVENT")[0]
    assert str(acara["STATUS"]) == "CANCELLED"
    assert int(acara["SEQUENCE"]) == 1


def test_each_feed_holds_only_what_its_owner_may_see(
    client, operator_dinsos, operator_dinkes, dinsos, dinkes, rapat_lalu, rapat_depan, sekretariat
):
    # Dinas Sosial was invited last week only; the secretariat sees every meeting.
    saya = services.token_kalender_ambil(user=operator_dinsos)
    assert judul(baca(client.get(saya.get_absolute_url()))) == ["Rakor Maret"]
    opd = services.token_kalender_ambil(user=operator_dinkes, opd=dinkes)
    assert judul(baca(client.get(opd.get_absolute_url()))) == ["Rakor April", "Rakor Maret"]
    semua = services.token_kalender_ambil(user=sekretariat)
    assert len(judul(baca(client.get(semua.get_absolute_url())))) == 2


def test_a_wrong_or_replaced_address_is_not_found(client, operator_dinkes, rapat_depan):
    token = services.token_kalender_ambil(user=operator_dinkes)
    lama = token.get_absolute_url()
    assert client.get(reverse("koordinasi:ics", args=["tebakan-acak"])).status_code == 404
    services.token_kalender_ganti(token=token)
    assert client.get(lama).status_code == 404
    assert client.get(TokenKalender.objects.get().get_absolute_url()).status_code == 200
    operator_dinkes.is_active = False
    operator_dinkes.save()
    assert client.get(TokenKalender.objects.get().get_absolute_url()).status_code == 404


def test_the_subscription_page_gives_own_and_agency_addresses_and_replaces_them(
    client, operator_dinkes, dinkes, dinsos
):
    client.force_login(operator_dinkes)
    page = client.get(reverse("koordinasi:langganan"))
    alamat = [a["url"] for a in page.context["alamat"]]
    assert len(alamat) == 2 and all(
        a.startswith("http://testserver/koordinasi/kalender/") for a in alamat
    )
    lama = TokenKalender.objects.get(user=operator_dinkes, opd=dinkes).token
    client.post(reverse("koordinasi:langganan"), {"ganti": dinkes.pk})
    assert TokenKalender.objects.get(user=operator_dinkes, opd=dinkes).token != lama
    # Another agency's feed cannot be asked for by id.
    assert client.post(reverse("koordinasi:langganan"), {"ganti": dinsos.pk}).status_code == 404
    assert not TokenKalender.objects.filter(opd=dinsos).exists()


def test_one_meeting_downloads_as_a_calendar_file(
    client, operator_dinkes, operator_dinsos, rapat_depan
):
    client.force_login(operator_dinkes)
    cal = baca(client.get(reverse("koordinasi:rapat-ics", args=[rapat_depan.pk])))
    assert judul(cal) == ["Rakor April"]
    client.force_login(operator_dinsos)  # not invited
    assert client.get(reverse("koordinasi:rapat-ics", args=[rapat_depan.pk])).status_code == 404


def test_the_feed_asks_to_be_fetched_hourly_as_rfc_7986_says(client, operator_dinkes, rapat_depan):
    token = services.token_kalender_ambil(user=operator_dinkes)
    isi = client.get(token.get_absolute_url()).content.decode()
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in isi


def test_the_sequence_rises_each_time_a_meeting_changes(
    client, sekretariat, operator_dinkes, rapat_depan
):
    token = services.token_kalender_ambil(user=operator_dinkes)

    def urutan():
        return int(baca(client.get(token.get_absolute_url())).walk("VEVENT")[0]["SEQUENCE"])

    assert urutan() == 0
    for i, hari in enumerate((8, 9), start=1):
        rapat_depan.refresh_from_db()
        services.rapat_ubah(
            rapat=rapat_depan,
            data=data_rapat("Rakor April", hari=hari),
            versi=rapat_depan.versi,
            by=sekretariat,
        )
        assert urutan() == i


def test_an_area_operator_feed_holds_their_kecamatan_meetings(
    client, operator_kasemen, kasemen, gugus_kota, rapat_depan, sekretariat, dinsos
):
    from agencies import services as agencies_services

    gt = agencies_services.gugus_tugas_buat(wilayah=kasemen, by=operator_kasemen)
    services.rapat_jadwalkan(
        gugus_tugas=gt, data=data_rapat("Rakor Kasemen"), opd=[dinsos], by=operator_kasemen
    )
    token = services.token_kalender_ambil(user=operator_kasemen)
    assert judul(baca(client.get(token.get_absolute_url()))) == ["Rakor Kasemen"]


def test_an_agency_feed_stops_when_its_holder_leaves_the_agency(
    client, operator_dinkes, sekretariat, dinkes, rapat_depan
):
    from agencies import services as agencies_services
    from agencies.models import Keanggotaan, User

    token = services.token_kalender_ambil(user=operator_dinkes, opd=dinkes)
    assert judul(baca(client.get(token.get_absolute_url()))) == ["Rakor April"]
    agencies_services.keanggotaan_akhiri(
        keanggotaan=Keanggotaan.objects.get(user=operator_dinkes), alasan="Mutasi", by=sekretariat
    )
    assert client.get(token.get_absolute_url()).status_code == 404
    # Nobody makes an address for an agency they do not belong to.
    with pytest.raises(ValidationError, match="bukan staf"):
        services.token_kalender_ambil(user=User.objects.get(pk=operator_dinkes.pk), opd=dinkes)


@pytest.mark.parametrize("pemilik", ["pribadi", "opd"])
def test_a_feed_query_count_does_not_grow_with_meetings(
    client,
    operator_dinkes,
    gugus_kota,
    sekretariat,
    dinkes,
    dinsos,
    django_assert_num_queries,
    pemilik,
):
    from tests.koordinasi.test_pages import banyak_rapat

    token = services.token_kalender_ambil(
        user=operator_dinkes, opd=dinkes if pemilik == "opd" else None
    )
    banyak_rapat(gugus_kota, sekretariat, [dinkes, dinsos], 3)
    # the address with its person and agency, the person's memberships, the meetings with
    # their task force (the agency's: the meetings it is invited to; the person's: those they
    # may see, one query with a subquery); the person's feed also asks whether they see the
    # whole city, which Django's permission tables answer (2)
    with django_assert_num_queries(3 if pemilik == "opd" else 5) as small:
        baca(client.get(token.get_absolute_url()))
    banyak_rapat(gugus_kota, sekretariat, [dinkes, dinsos], 150)
    # the same queries for 150 more meetings
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(baca(client.get(token.get_absolute_url())).walk("VEVENT")) == 153
