"""Reminders, run by Celery beat: meetings of tomorrow, follow-ups falling due."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_noop

from agencies import services as agencies_services
from koordinasi import services  # _simpan and the like are looked up there (its docstring)
from koordinasi.models import Rapat, TindakLanjut
from koordinasi.services.pemberitahuan import pengurus_per_opd, waktu


def rapat_ingatkan(*, sekarang: datetime.datetime | None = None) -> int:
    """Remind everyone invited of a meeting that starts within the next 24 hours, once per
    meeting (again only when its time changes); returns how many meetings. Each meeting is
    claimed before anyone is told, so two overlapping runs never remind twice."""
    sekarang = sekarang or timezone.now()
    besok = list(
        Rapat.objects.filter(
            status=Rapat.Status.DIJADWALKAN,
            mulai__gt=sekarang,
            mulai__lte=sekarang + datetime.timedelta(hours=24),
            pengingat_terkirim__isnull=True,
        ).select_related("gugus_tugas")
    )
    n = 0
    for rapat in besok:
        with transaction.atomic():
            diklaim = Rapat.objects.filter(
                pk=rapat.pk, pengingat_terkirim__isnull=True, status=Rapat.Status.DIJADWALKAN
            ).update(pengingat_terkirim=sekarang)
            if not diklaim:
                continue  # another run took it
            services._kabari_rapat(
                rapat,
                agencies_services.Teks.dari(
                    gettext_noop("Pengingat rapat: %(j)s, %(w)s"), j=rapat, w=waktu(rapat)
                ),
            )
        n += 1
    return n


HARI_PENGINGAT = (3, 1, -1)  # three days and one day before the due date, and a day late


def tindak_lanjut_ingatkan(*, hari_ini: datetime.date | None = None) -> int:
    """Remind the owner agencies of open follow-ups due in three days, in one day, and of those
    a day overdue; each follow-up at most once a day, claimed before its agency is told (two
    overlapping runs never remind twice). Who acts for each agency is read once for all.
    Returns how many follow-ups."""
    hari_ini = hari_ini or timezone.localdate()
    tanggal = [hari_ini + datetime.timedelta(days=h) for h in HARI_PENGINGAT]
    jatuh = list(
        TindakLanjut.objects.terbuka()
        .filter(tenggat__in=tanggal)
        .exclude(diingatkan=hari_ini)
        .select_related("opd")
    )
    pengurus = pengurus_per_opd({t.opd_id for t in jatuh})
    n = 0
    for tindak in jatuh:
        with transaction.atomic():
            diklaim = (
                TindakLanjut.objects.terbuka()
                .filter(pk=tindak.pk)
                .exclude(diingatkan=hari_ini)
                .update(diingatkan=hari_ini)
            )
            if not diklaim:
                continue  # another run took it, or it was closed meanwhile
            sisa = (tindak.tenggat - hari_ini).days
            judul = agencies_services.Teks.dari(
                gettext_noop("Tindak lanjut lewat tenggat %(t)s: %(k)s")
                if sisa < 0
                else gettext_noop("Tindak lanjut jatuh tempo %(t)s (%(s)s hari lagi): %(k)s"),
                t=date_format(tindak.tenggat),
                s=sisa,
                k=tindak.keputusan,
            )
            agencies_services.notifikasi_kirim(
                penerima=pengurus.get(tindak.opd_id, []),
                judul=judul,
                tautan=tindak.get_absolute_url(),
            )
        n += 1
    return n
