"""Meetings as iCalendar (RFC 5545), for the secret feeds calendar apps subscribe to and for the
file attached to an invitation. Built with the icalendar library; times in Asia/Jakarta with
their VTIMEZONE, so every calendar app shows the hour as the invitation says it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from email.utils import parseaddr

import icalendar
from django.conf import settings
from django.utils import timezone

from koordinasi.models import Rapat

PRODID = "-//Portal KLA//Koordinasi Gugus Tugas//ID"


def _acara(rapat: Rapat, *, batal_untuk: str | None = None) -> icalendar.Event:
    acara = icalendar.Event()
    acara.add("uid", f"{rapat.uid}@portal-kla")
    acara.add("dtstamp", rapat.diubah)
    acara.add("sequence", rapat.urutan_ics)
    acara.add("summary", rapat.judul)
    acara.add("dtstart", timezone.localtime(rapat.mulai))
    acara.add("dtend", timezone.localtime(rapat.selesai))
    tempat = " · ".join(t for t in (rapat.tempat, rapat.tautan_daring) if t)
    if tempat:
        acara.add("location", tempat)
    alamat = f"{settings.KLA_URL}{rapat.get_absolute_url()}"
    acara.add("description", f"{rapat.agenda}\n\n{alamat}")
    acara.add("url", alamat)
    batal = batal_untuk is not None or rapat.status == Rapat.Status.DIBATALKAN
    acara.add("status", "CANCELLED" if batal else "CONFIRMED")
    if batal_untuk is not None:
        # RFC 5546 CANCEL: the organiser and the attendee the event is cancelled for.
        nama, alamat = parseaddr(settings.DEFAULT_FROM_EMAIL)
        penyelenggara = icalendar.vCalAddress(f"mailto:{alamat}")
        if nama:
            penyelenggara.params["cn"] = nama
        acara.add("organizer", penyelenggara)
        acara.add("attendee", f"mailto:{batal_untuk}")
    return acara


def kalender(rapat: Iterable[Rapat], *, nama: str, batal_untuk: str | None = None) -> bytes:
    """A calendar of meetings, named as calendar apps will show it. ``batal_untuk``: an e-mail
    address the meetings are cancelled for (they were cancelled, or that person is no longer
    invited): the calendar then says METHOD:CANCEL so the app removes the event."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "CANCEL" if batal_untuk is not None else "PUBLISH")
    cal.add("x-wr-calname", nama)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    # Subscribed calendars fetch again every hour (apps that honour the hint); RFC 7986 wants
    # the value type said.
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    for item in rapat:
        cal.add_component(_acara(item, batal_untuk=batal_untuk))
    cal.add_missing_timezones()
    return cal.to_ical()
