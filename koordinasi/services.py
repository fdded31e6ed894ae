"""Every write of coordination: scheduling meetings and inviting, attendance, minutes,
follow-ups, calendar addresses, and the reminders.

Keyword-only functions, each in one transaction, refusing with an Indonesian ValidationError
so nothing half-done is left. A form built from an older version of a meeting or follow-up is
refused (someone saved in between); a double submit changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agencies import services as agencies_services
from agencies.models import GugusTugas, Opd, Peran, Personil, User
from kla_portal import berkas as berkas_check
from koordinasi import ics
from koordinasi.models import (
    LampiranTindakLanjut,
    Rapat,
    TindakLanjut,
    TokenKalender,
    Undangan,
)


def waktu(rapat: Rapat) -> str:
    """ "Senin, 10 Maret 2025, 09.00–11.00 WIB", as an invitation says it."""
    mulai, selesai = timezone.localtime(rapat.mulai), timezone.localtime(rapat.selesai)
    hari = date_format(mulai, "l, j F Y")
    jam = f"{mulai:%H.%M}–{selesai:%H.%M}"
    if selesai.date() != mulai.date():
        jam = f"{mulai:%H.%M} – {date_format(selesai, 'j F Y')} {selesai:%H.%M}"
    return f"{hari}, {jam} WIB"


def _kunci(model, obj, versi: int | None):
    locked = (
        model.objects.select_for_update(of=("self",)).select_related("diubah_oleh").get(pk=obj.pk)
    )
    if versi is not None and versi != locked.versi:
        raise ValidationError(
            _(
                "Data ini sudah diubah oleh %(nama)s pada %(waktu)s, setelah Anda membuka "
                "halaman. Tidak ada yang disimpan: muat ulang halaman lalu ulangi."
            )
            % {
                "nama": locked.diubah_oleh or _("orang lain"),
                "waktu": date_format(timezone.localtime(locked.diubah), "DATETIME_FORMAT"),
            }
        )
    return locked


def _simpan(obj, by: User, fields: list[str] | None = None) -> None:
    obj.versi += 1
    obj.diubah_oleh = by
    obj._history_user = by
    if fields is None:
        obj.save()
    else:
        obj.save(update_fields=[*fields, "versi", "diubah_oleh", "diubah"])


# --- Who hears about a meeting ------------------------------------------------------------


def pengurus_opd(opd_ids) -> list[User]:
    """The people who act for agencies: their heads and operators."""
    orang = []
    for peran in (Peran.KEPALA_OPD, Peran.OPERATOR_OPD):
        for opd_id in opd_ids:
            orang += agencies_services.pengguna_dengan_peran(peran=peran, opd=Opd(pk=opd_id))
    return orang


def penerima_rapat(rapat: Rapat) -> tuple[list[User], list[str]]:
    """Portal users to tell (invited people with an account, heads and operators of invited
    agencies) and e-mail addresses of invited people without an account."""
    undangan = list(rapat.undangan.select_related("personil__user"))
    orang = [u.personil.user for u in undangan if u.personil and u.personil.user]
    orang += pengurus_opd({u.opd_id for u in undangan if u.personil is None})
    tanpa_akun = [
        u.personil.email
        for u in undangan
        if u.personil and not u.personil.user and u.personil.email
    ]
    return list(dict.fromkeys(p for p in orang if p.is_active)), tanpa_akun


def _kabari_rapat(rapat: Rapat, judul: str, *, email: bool = True) -> None:
    """Tell everyone invited, in the portal and by e-mail with the meeting's calendar file."""
    orang, tanpa_akun = penerima_rapat(rapat)
    agencies_services.notifikasi_kirim(
        penerima=orang, judul=judul, tautan=rapat.get_absolute_url(), email=False
    )
    alamat = list(dict.fromkeys([*(p.email for p in orang if p.email), *tanpa_akun]))
    if not (email and alamat):
        return
    isi = ringkasan_rapat(rapat)
    berkas_ics = ics.kalender([rapat], nama=rapat.gugus_tugas.nama)

    def kirim():
        with get_connection(fail_silently=True) as koneksi:
            for tujuan in alamat:
                pesan = EmailMessage(
                    f"[Portal KLA] {judul}", isi, None, [tujuan], connection=koneksi
                )
                pesan.attach("undangan-rapat.ics", berkas_ics, "text/calendar")
                pesan.send()

    transaction.on_commit(kirim)


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


# --- Meetings -----------------------------------------------------------------------------


@dataclass
class DataRapat:
    judul: str
    mulai: datetime.datetime
    selesai: datetime.datetime
    agenda: str
    tempat: str = ""
    tautan_daring: str = ""


def _periksa(data: DataRapat) -> None:
    if data.selesai <= data.mulai:
        raise ValidationError({"selesai": _("Waktu selesai harus setelah waktu mulai.")})
    if not (data.tempat.strip() or data.tautan_daring.strip()):
        raise ValidationError({"tempat": _("Isi tempat rapat atau tautan rapat daring.")})


def _undang(rapat: Rapat, opd: list[Opd], personil: list[Personil]) -> int:
    """Invite agencies and people not invited yet; returns how many were added."""
    ada_opd = set(rapat.undangan.filter(personil=None).values_list("opd_id", flat=True))
    ada_orang = set(rapat.undangan.exclude(personil=None).values_list("personil_id", flat=True))
    baru = [Undangan(rapat=rapat, opd=o) for o in opd if o.pk not in ada_opd]
    baru += [
        Undangan(rapat=rapat, opd_id=p.opd_id, personil=p)
        for p in personil
        if p.pk not in ada_orang
    ]
    Undangan.objects.bulk_create(baru)
    return len(baru)


@transaction.atomic
def rapat_jadwalkan(
    *,
    gugus_tugas: GugusTugas,
    data: DataRapat,
    by: User,
    opd: list[Opd] = (),
    personil: list[Personil] = (),
    kabari: bool = True,
) -> Rapat:
    """Put a meeting on the calendar and invite agencies and people; everyone invited is told
    in the portal and by e-mail, with the calendar file. Refuses an end before the start, a
    meeting without place or link, without anyone invited, and the same meeting twice (a double
    submit)."""
    _periksa(data)
    if not (opd or personil):
        raise ValidationError(_("Undang sedikitnya satu OPD/lembaga atau satu orang."))
    if Rapat.objects.filter(gugus_tugas=gugus_tugas, judul=data.judul.strip(), mulai=data.mulai):
        raise ValidationError(_("Rapat ini sudah ada di kalender (judul dan waktu yang sama)."))
    rapat = Rapat(
        gugus_tugas=gugus_tugas,
        judul=data.judul.strip(),
        mulai=data.mulai,
        selesai=data.selesai,
        tempat=data.tempat.strip(),
        tautan_daring=data.tautan_daring.strip(),
        agenda=data.agenda.strip(),
        dibuat_oleh=by,
        diubah_oleh=by,
        versi=0,
    )
    _simpan(rapat, by)
    _undang(rapat, list(opd), list(personil))
    if kabari:
        _kabari_rapat(rapat, _("Undangan rapat: %(j)s, %(w)s") % {"j": rapat, "w": waktu(rapat)})
    return rapat


@transaction.atomic
def rapat_ubah(
    *,
    rapat: Rapat,
    data: DataRapat,
    by: User,
    versi: int,
    opd: list[Opd] = (),
    personil: list[Personil] = (),
) -> Rapat:
    """Change a meeting and invite more people; when its time or place changes, everyone is
    told again and calendars replace the old event. Refuses a cancelled meeting and a stale
    form."""
    rapat = _kunci(Rapat, rapat, versi)
    if rapat.status == Rapat.Status.DIBATALKAN:
        raise ValidationError(_("Rapat ini sudah dibatalkan."))
    _periksa(data)
    pindah = (data.mulai, data.selesai, data.tempat.strip(), data.tautan_daring.strip()) != (
        rapat.mulai,
        rapat.selesai,
        rapat.tempat,
        rapat.tautan_daring,
    )
    rapat.judul, rapat.agenda = data.judul.strip(), data.agenda.strip()
    rapat.mulai, rapat.selesai = data.mulai, data.selesai
    rapat.tempat, rapat.tautan_daring = data.tempat.strip(), data.tautan_daring.strip()
    rapat.urutan_ics += 1
    if pindah:
        rapat.pengingat_terkirim = None
    _simpan(rapat, by)
    baru = _undang(rapat, list(opd), list(personil))
    if pindah or baru:
        _kabari_rapat(rapat, _("Rapat diubah: %(j)s, %(w)s") % {"j": rapat, "w": waktu(rapat)})
    return rapat


@transaction.atomic
def rapat_batalkan(*, rapat: Rapat, by: User, alasan: str) -> Rapat:
    """Cancel a meeting with a reason; everyone invited is told and calendars mark it."""
    rapat = _kunci(Rapat, rapat, None)
    if rapat.status != Rapat.Status.DIJADWALKAN:
        raise ValidationError(
            _("Rapat berstatus %(s)s tidak dapat dibatalkan.") % {"s": rapat.get_status_display()}
        )
    if not alasan.strip():
        raise ValidationError({"alasan": _("Tuliskan alasan pembatalan.")})
    rapat.status, rapat.alasan_batal = Rapat.Status.DIBATALKAN, alasan.strip()
    rapat.urutan_ics += 1
    _simpan(rapat, by, ["status", "alasan_batal", "urutan_ics"])
    _kabari_rapat(
        rapat, _("Rapat dibatalkan: %(j)s (%(a)s)") % {"j": rapat, "a": rapat.alasan_batal}
    )
    return rapat


@dataclass
class IsianKehadiran:
    kehadiran: str
    diwakili_oleh: str = ""
    catatan: str = ""


@transaction.atomic
def kehadiran_catat(
    *, rapat: Rapat, isian: dict[int, IsianKehadiran], by: User, versi: int
) -> Rapat:
    """Record who came (in person, represented by whom, absent) for the meeting's invitations
    (by invitation id); the meeting then counts as held. Refuses a meeting not begun or
    cancelled, a representative without a name, an invitation of another meeting, a stale form.
    """
    rapat = _kunci(Rapat, rapat, versi)
    if rapat.status == Rapat.Status.DIBATALKAN:
        raise ValidationError(_("Rapat ini dibatalkan; kehadiran tidak dicatat."))
    if not rapat.sudah_mulai:
        raise ValidationError(_("Kehadiran baru dapat dicatat setelah rapat dimulai."))
    undangan = {u.pk: u for u in rapat.undangan.select_for_update()}
    if set(isian) - set(undangan):
        raise ValidationError(_("Ada undangan yang bukan milik rapat ini. Muat ulang halaman."))
    berubah = []
    for pk, isi in isian.items():
        u = undangan[pk]
        if isi.kehadiran not in Undangan.Kehadiran.values:
            raise ValidationError(_("Pilihan kehadiran tidak dikenal."))
        wakil = isi.diwakili_oleh.strip() if isi.kehadiran == Undangan.Kehadiran.DIWAKILI else ""
        if isi.kehadiran == Undangan.Kehadiran.DIWAKILI and not wakil:
            raise ValidationError(
                _("Tuliskan nama wakil %(u)s.") % {"u": u.personil or u.opd.singkatan}
            )
        baru = (isi.kehadiran, wakil, isi.catatan.strip())
        if baru != (u.kehadiran, u.diwakili_oleh, u.catatan):
            u.kehadiran, u.diwakili_oleh, u.catatan = baru
            u._history_user = by
            berubah.append(u)
    for u in berubah:
        u.save(update_fields=["kehadiran", "diwakili_oleh", "catatan"])
    rapat.status = Rapat.Status.TERLAKSANA
    _simpan(rapat, by, ["status"])
    return rapat


@transaction.atomic
def notulen_simpan(*, rapat: Rapat, notulen: str, by: User, versi: int, berkas=None) -> Rapat:
    """Keep the minutes of a meeting (text, and the signed file when there is one)."""
    rapat = _kunci(Rapat, rapat, versi)
    if rapat.status == Rapat.Status.DIBATALKAN:
        raise ValidationError(_("Rapat ini dibatalkan; notulen tidak dicatat."))
    if not rapat.sudah_mulai:
        raise ValidationError(_("Notulen baru dapat dicatat setelah rapat dimulai."))
    if not notulen.strip() and berkas is None and not rapat.notulen_berkas:
        raise ValidationError({"notulen": _("Tuliskan notulen atau unggah berkasnya.")})
    rapat.notulen = notulen.strip()
    fields = ["notulen"]
    if berkas is not None:
        info = berkas_check.periksa_berkas(berkas)
        rapat.notulen_berkas_nama = info.nama
        rapat.notulen_berkas.save(f"notulen.{info.ekstensi}", berkas, save=False)
        fields += ["notulen_berkas", "notulen_berkas_nama"]
    _simpan(rapat, by, fields)
    return rapat


# --- Follow-ups ---------------------------------------------------------------------------


@transaction.atomic
def tindak_lanjut_tambah(
    *,
    rapat: Rapat,
    keputusan: str,
    opd: Opd,
    tenggat: datetime.date,
    by: User,
    kabari: bool = True,
) -> TindakLanjut:
    """Turn a decision of a meeting into a follow-up owned by an agency, due on a date; the
    agency's head and operators are told. Refuses a cancelled meeting, a due date before the
    meeting, and the same decision twice."""
    if rapat.status == Rapat.Status.DIBATALKAN:
        raise ValidationError(_("Rapat ini dibatalkan."))
    if tenggat < timezone.localtime(rapat.mulai).date():
        raise ValidationError({"tenggat": _("Tenggat tidak boleh sebelum tanggal rapat.")})
    keputusan = keputusan.strip()
    if rapat.tindak_lanjut.filter(keputusan=keputusan, opd=opd).exists():
        raise ValidationError(_("Keputusan ini sudah dicatat untuk %(o)s.") % {"o": opd.singkatan})
    tindak = TindakLanjut(rapat=rapat, keputusan=keputusan, opd=opd, tenggat=tenggat, versi=0)
    _simpan(tindak, by)
    if not kabari:
        return tindak
    agencies_services.notifikasi_kirim(
        penerima=pengurus_opd([opd.pk]),
        judul=_("Tindak lanjut rapat untuk %(o)s, tenggat %(t)s: %(k)s")
        % {"o": opd.singkatan, "t": date_format(tenggat), "k": keputusan},
        tautan=tindak.get_absolute_url(),
    )
    return tindak


@transaction.atomic
def tindak_lanjut_perbarui(
    *,
    tindak_lanjut: TindakLanjut,
    status: str,
    hasil: str,
    by: User,
    versi: int,
    selesai_pada: datetime.date | None = None,
    berkas: list = (),
    kabari: bool = True,
) -> TindakLanjut:
    """The owner agency reports progress and closes the follow-up with its evidence (text,
    files or both). Closing tells the secretariat. Refuses a close without evidence, a
    completion date in the future or before the meeting, and a stale form."""
    tindak = _kunci(TindakLanjut, tindak_lanjut, versi)
    if status not in TindakLanjut.Status.values:
        raise ValidationError({"status": _("Status tidak dikenal.")})
    selesai = status == TindakLanjut.Status.SELESAI
    if selesai:
        if not (hasil.strip() or berkas or tindak.lampiran.exists()):
            raise ValidationError({"hasil": _("Tuliskan hasilnya atau lampirkan buktinya.")})
        selesai_pada = selesai_pada or timezone.localdate()
        if selesai_pada > timezone.localdate():
            raise ValidationError({"selesai_pada": _("Tanggal tidak boleh di masa depan.")})
        if selesai_pada < timezone.localtime(tindak.rapat.mulai).date():
            raise ValidationError({"selesai_pada": _("Tanggal tidak boleh sebelum rapat.")})
    baru_selesai = selesai and tindak.status != TindakLanjut.Status.SELESAI
    tindak.status, tindak.hasil = status, hasil.strip()
    tindak.selesai_pada = selesai_pada if selesai else None
    for item in berkas:
        berkas_check.simpan_lampiran(LampiranTindakLanjut(tindak_lanjut=tindak), item, by)
    _simpan(tindak, by, ["status", "hasil", "selesai_pada"])
    if baru_selesai and kabari:
        agencies_services.notifikasi_kirim(
            penerima=agencies_services.pengguna_dengan_peran(peran=Peran.SEKRETARIAT),
            judul=_("%(o)s menyelesaikan tindak lanjut: %(k)s")
            % {"o": tindak.opd.singkatan, "k": tindak.keputusan},
            tautan=tindak.get_absolute_url(),
        )
    return tindak


# --- Calendar addresses -------------------------------------------------------------------


def token_kalender(*, user: User | None = None, opd: Opd | None = None) -> TokenKalender:
    """The secret calendar address of a person or an agency, made on first use."""
    token, _baru = TokenKalender.objects.get_or_create(user=user, opd=opd)
    return token


def token_kalender_ganti(*, token: TokenKalender) -> TokenKalender:
    """A new secret address; the old one stops working at once (a link that leaked)."""
    token.token = TokenKalender._meta.get_field("token").default()
    token.save(update_fields=["token", "dibuat"])
    return token


# --- Reminders (Celery beat) --------------------------------------------------------------


def ingatkan_rapat(*, sekarang: datetime.datetime | None = None) -> int:
    """Remind everyone invited of a meeting that starts within the next 24 hours, once per
    meeting (again only when its time changes); returns how many meetings."""
    sekarang = sekarang or timezone.now()
    besok = Rapat.objects.filter(
        status=Rapat.Status.DIJADWALKAN,
        mulai__gt=sekarang,
        mulai__lte=sekarang + datetime.timedelta(hours=24),
        pengingat_terkirim__isnull=True,
    ).select_related("gugus_tugas")
    n = 0
    for rapat in besok:
        with transaction.atomic():
            _kabari_rapat(
                rapat, _("Pengingat rapat: %(j)s, %(w)s") % {"j": rapat, "w": waktu(rapat)}
            )
            Rapat.objects.filter(pk=rapat.pk).update(pengingat_terkirim=sekarang)
        n += 1
    return n


HARI_PENGINGAT = (3, 1, -1)  # three days and one day before the due date, and a day late


def ingatkan_tindak_lanjut(*, hari_ini: datetime.date | None = None) -> int:
    """Remind owner agencies of open follow-ups due in three days, in one day, and of those a
    day overdue; each follow-up at most once a day. Returns how many follow-ups."""
    hari_ini = hari_ini or timezone.localdate()
    tanggal = [hari_ini + datetime.timedelta(days=h) for h in HARI_PENGINGAT]
    jatuh = (
        TindakLanjut.objects.terbuka()
        .filter(tenggat__in=tanggal)
        .exclude(diingatkan=hari_ini)
        .select_related("opd")
    )
    n = 0
    for tindak in jatuh:
        with transaction.atomic():
            sisa = (tindak.tenggat - hari_ini).days
            judul = (
                _("Tindak lanjut lewat tenggat %(t)s: %(k)s")
                if sisa < 0
                else _("Tindak lanjut jatuh tempo %(t)s (%(s)s hari lagi): %(k)s")
            ) % {"t": date_format(tindak.tenggat), "s": sisa, "k": tindak.keputusan}
            agencies_services.notifikasi_kirim(
                penerima=pengurus_opd([tindak.opd_id]),
                judul=judul,
                tautan=tindak.get_absolute_url(),
            )
            TindakLanjut.objects.filter(pk=tindak.pk).update(diingatkan=hari_ini)
        n += 1
    return n
