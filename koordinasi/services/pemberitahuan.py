"""Who hears about a meeting and how: the people who act for each agency, the recipients of a
meeting, its e-mails with the calendar file (sent by a worker once the change is saved), and
the meeting in a few lines of text."""

from __future__ import annotations

import logging
import smtplib
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agencies import services as agencies_services
from agencies.models import PERAN_OPD, Keanggotaan, Opd, Peran, User
from kla_portal import antrean
from koordinasi import ics
from koordinasi.models import Rapat

logger = logging.getLogger("koordinasi.services")


def waktu(rapat: Rapat) -> str:
    """ "Senin, 10 Maret 2025, 09.00–11.00 WIB", as an invitation says it."""
    mulai, selesai = timezone.localtime(rapat.mulai), timezone.localtime(rapat.selesai)
    hari = date_format(mulai, "l, j F Y")
    jam = f"{mulai:%H.%M}–{selesai:%H.%M}"
    if selesai.date() != mulai.date():
        jam = f"{mulai:%H.%M} – {date_format(selesai, 'j F Y')} {selesai:%H.%M}"
    return f"{hari}, {jam} WIB"


def pengurus_per_opd(opd_ids) -> dict[int, list[User]]:
    """The people who act for each agency, read in two queries whatever the number of
    agencies: its heads and operators, and for a kecamatan office the kecamatan's area
    operators (who see the office's meetings and follow-ups, koordinasi.models.opd_kerja)."""
    opd_ids = set(opd_ids)
    if not opd_ids:
        return {}
    kantor = dict(
        Opd.objects.filter(pk__in=opd_ids, jenis=Opd.Jenis.KECAMATAN)
        .exclude(wilayah=None)
        .values_list("wilayah_id", "pk")
    )
    keanggotaan = (
        Keanggotaan.objects.aktif()
        .filter(
            Q(peran__in=sorted(PERAN_OPD), opd_id__in=opd_ids)
            | Q(peran=Peran.OPERATOR_WILAYAH, wilayah_id__in=kantor)
        )
        .filter(user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    )
    hasil: dict[int, list[User]] = defaultdict(list)
    for k in keanggotaan:
        opd_id = k.opd_id if k.opd_id else kantor[k.wilayah_id]
        if k.user not in hasil[opd_id]:
            hasil[opd_id].append(k.user)
    return dict(hasil)


def pengurus_opd(opd_ids) -> list[User]:
    """Everyone who acts for any of the agencies (see pengurus_per_opd), each once."""
    orang = [u for daftar in pengurus_per_opd(opd_ids).values() for u in daftar]
    return list(dict.fromkeys(orang))


def penerima_rapat(rapat: Rapat) -> tuple[list[User], list[str]]:
    """Portal users to tell (invited people with an account, the people who act for invited
    agencies) and e-mail addresses of invited people without an account: three queries."""
    undangan = list(rapat.undangan.select_related("personil__user"))
    orang = [u.personil.user for u in undangan if u.personil and u.personil.user]
    orang += pengurus_opd({u.opd_id for u in undangan if u.personil is None})
    tanpa_akun = [
        u.personil.email
        for u in undangan
        if u.personil and not u.personil.user and u.personil.email
    ]
    return list(dict.fromkeys(p for p in orang if p.is_active)), list(dict.fromkeys(tanpa_akun))


def _alamat(orang: list[User], tanpa_akun: list[str]) -> list[str]:
    return list(dict.fromkeys([*(p.email for p in orang if p.email), *tanpa_akun]))


def _email_nanti(rapat: Rapat, judul: str, *, alamat: list[str] | None = None, batal=False):
    """Queue the meeting's e-mail (with its calendar file) for a worker, once saved. A broker
    that does not answer never undoes the saved change: the e-mail is then sent from this
    request instead (slower, but nobody invited is left out)."""
    from koordinasi.tasks import kirim_email_rapat

    def kirim():
        if not antrean.kirim(kirim_email_rapat, rapat.pk, judul, alamat=alamat, batal=batal):
            kirim_email_rapat(rapat.pk, judul, alamat=alamat, batal=batal)

    transaction.on_commit(kirim)


def _kabari_rapat(rapat: Rapat, judul: agencies_services.Teks) -> None:
    """Tell everyone invited in the portal now (in their own language), and by e-mail with the
    meeting's calendar file from a worker once the change is saved."""
    orang, _tanpa_akun = penerima_rapat(rapat)
    agencies_services.notifikasi_kirim(
        penerima=orang, judul=judul, tautan=rapat.get_absolute_url(), email=False
    )
    _email_nanti(rapat, judul.indonesia())


def rapat_email_kirim(
    *, rapat: Rapat, judul: str, alamat: list[str] | None = None, batal: bool = False
) -> int:
    """E-mail a meeting to everyone invited (or to ``alamat``), one message each with the
    calendar file: METHOD:PUBLISH for an invitation or a change, METHOD:CANCEL for a cancelled
    meeting or for people no longer invited (``batal``), so their calendars drop it. A refused
    address or a mail server that does not answer is logged and the others still go; returns
    how many were sent. Run by the worker (koordinasi.tasks)."""
    if alamat is None:
        alamat = _alamat(*penerima_rapat(rapat))
    if not alamat:
        return 0
    batal = batal or rapat.status == Rapat.Status.DIBATALKAN
    subjek = f"[Portal KLA] {agencies_services.judul_satu_baris(judul)}"
    isi = ringkasan_rapat(rapat)
    terkirim = 0
    try:
        with get_connection() as koneksi:
            for tujuan in alamat:
                berkas_ics = ics.kalender(
                    [rapat], nama=rapat.gugus_tugas.nama, batal_untuk=tujuan if batal else None
                )
                pesan = EmailMessage(subjek, isi, None, [tujuan], connection=koneksi)
                pesan.attach(
                    "pembatalan-rapat.ics" if batal else "undangan-rapat.ics",
                    berkas_ics,
                    "text/calendar",
                )
                try:
                    pesan.send()
                except (smtplib.SMTPException, OSError):
                    logger.exception("E-mail rapat %s ke %s gagal dikirim", rapat.pk, tujuan)
                else:
                    terkirim += 1
    except (smtplib.SMTPException, OSError):  # the server refused the connection itself
        logger.exception("Server email tidak dapat dihubungi untuk rapat %s", rapat.pk)
    return terkirim


def ringkasan_rapat(rapat: Rapat, *, dengan_tindak_lanjut: bool = False) -> str:
    """The meeting in a few lines of plain text: for e-mail and WhatsApp."""
    baris = [f"*{rapat.judul}*", waktu(rapat)]
    if rapat.status == Rapat.Status.DIBATALKAN:
        baris.insert(0, _("DIBATALKAN"))
    if rapat.tempat:
        baris.append(_("Tempat: %(t)s") % {"t": rapat.tempat})
    if rapat.tautan_daring:
        baris.append(_("Daring: %(t)s") % {"t": rapat.tautan_daring})
    baris += ["", _("Agenda:"), rapat.agenda.strip()]
    if dengan_tindak_lanjut:
        tindak = list(rapat.tindak_lanjut.select_related("opd"))
        if tindak:
            baris += ["", _("Tindak lanjut:")]
            baris += [
                f"- {t.keputusan} ({t.opd.singkatan}, {date_format(t.tenggat, 'j M Y')})"
                for t in tindak
            ]
    baris += ["", f"{settings.KLA_URL}{rapat.get_absolute_url()}"]
    return "\n".join(baris)
