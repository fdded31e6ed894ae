"""The calendar feeds: valid iCalendar (read back by the icalendar parser), and private to the
secret address of their owner."""

import icalendar
from django.urls import reverse

from koordinasi import services
from koordinasi.models import TokenKalender


def baca(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def judul(cal: icalendar.Calendar) -> list[str]:
    return sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT"))


def test_the_personal_feed_is_valid_icalendar_with_jakarta_times(
    client, operator_dinkes, rapat_lalu, rapat_depan
):
    token = services.token_kalender(user=operator_dinkes)
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
    token = services.token_kalender(user=operator_dinkes)
    services.rapat_batalkan(
        rapat=rapat_depan, alasan="Bentrok dengan acara Wali Kota", by=sekretariat
    )
    acara = baca(client.get(token.get_absolute_url())).walk("VEVENT")[0]
    assert str(acara["STATUS"]) == "CANCELLED"
    assert int(acara["SEQUENCE"]) == 1


def test_each_feed_holds_only_what_its_owner_may_see(
    client, operator_dinsos, dinsos, dinkes, rapat_lalu, rapat_depan, sekretariat
):
    # Dinas Sosial was invited last week only; the secretariat sees every meeting.
    saya = services.token_kalender(user=operator_dinsos)
    assert judul(baca(client.get(saya.get_absolute_url()))) == ["Rakor Maret"]
    opd = services.token_kalender(opd=dinkes)
    assert judul(baca(client.get(opd.get_absolute_url()))) == ["Rakor April", "Rakor Maret"]
    semua = services.token_kalender(user=sekretariat)
    assert len(judul(baca(client.get(semua.get_absolute_url())))) == 2


def test_a_wrong_or_replaced_address_is_not_found(client, operator_dinkes, rapat_depan):
    token = services.token_kalender(user=operator_dinkes)
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
    lama = TokenKalender.objects.get(opd=dinkes).token
    client.post(reverse("koordinasi:langganan"), {"ganti": dinkes.pk})
    assert TokenKalender.objects.get(opd=dinkes).token != lama
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
