"""Every write of coordination: scheduling meetings and inviting, attendance, minutes,
follow-ups, calendar addresses, and the reminders.

Keyword-only functions, each in one transaction, refusing with an Indonesian ValidationError
so nothing half-done is left. A form built from an older version of a meeting or follow-up is
refused (someone saved in between); a double submit changes nothing (the database refuses the
second meeting or decision too). E-mails about a meeting (invitation, change, cancellation,
reminder) are sent by a worker (koordinasi.tasks.kirim_email_rapat) once the change is saved.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agencies import services as agencies_services
from agencies.models import (
    PERAN_OPD,
    GugusTugas,
    Keanggotaan,
    Opd,
    Peran,
    Personil,
    User,
)
from kla_portal import antrean
from kla_portal import berkas as berkas_check
from koordinasi import ics
from koordinasi.models import (
    LampiranTindakLanjut,
    Rapat,
    TindakLanjut,
    TokenKalender,
    Undangan,
)

logger = logging.getLogger(__name__)


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


def _kabari_rapat(rapat: Rapat, judul: str) -> None:
    """Tell everyone invited in the portal now, and by e-mail with the meeting's calendar file
    from a worker once the change is saved."""
    orang, _tanpa_akun = penerima_rapat(rapat)
    agencies_services.notifikasi_kirim(
        penerima=orang, judul=judul, tautan=rapat.get_absolute_url(), email=False
    )
    _email_nanti(rapat, judul)


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


def _pesan_ganda() -> str:
    return _("Rapat ini sudah ada di kalender (judul dan waktu yang sama).")


def _simpan_rapat(rapat: Rapat, by: User, fields: list[str] | None = None) -> None:
    """Save a meeting; the same title and start twice (a double submit) is refused."""
    try:
        with transaction.atomic():
            _simpan(rapat, by, fields)
    except IntegrityError:
        raise ValidationError(_pesan_ganda()) from None


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
    in the portal and by e-mail, with the calendar file, unless the meeting is already over (it
    is being recorded after the fact: an invitation would be noise). Refuses an end before the
    start, a meeting without place or link, without anyone invited, and the same meeting twice
    (a double submit)."""
    _periksa(data)
    if not (opd or personil):
        raise ValidationError(_("Undang sedikitnya satu OPD/lembaga atau satu orang."))
    sama = Rapat.objects.filter(gugus_tugas=gugus_tugas, judul=data.judul.strip(), mulai=data.mulai)
    if sama.exclude(status=Rapat.Status.DIBATALKAN).exists():
        raise ValidationError(_pesan_ganda())
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
    _simpan_rapat(rapat, by)
    _undang(rapat, list(opd), list(personil))
    if kabari and rapat.selesai > timezone.now():
        _kabari_rapat(rapat, _("Undangan rapat: %(j)s, %(w)s") % {"j": rapat, "w": waktu(rapat)})
    return rapat


def _lepas_undangan(
    undangan: list[Undangan], opd: list[Opd] | None, personil: list[Personil] | None
) -> list[Undangan]:
    """The invitations the form no longer lists (``None``: that kind is left as it is). Those
    whose attendance was already recorded stay: they are the meeting's record."""
    tetap_opd = {o.pk for o in opd} if opd is not None else None
    tetap_orang = {p.pk for p in personil} if personil is not None else None
    lepas = []
    for u in undangan:
        if u.kehadiran != Undangan.Kehadiran.BELUM:
            continue
        if (u.personil_id is None and tetap_opd is not None and u.opd_id not in tetap_opd) or (
            u.personil_id and tetap_orang is not None and u.personil_id not in tetap_orang
        ):
            lepas.append(u)
    return lepas


@transaction.atomic
def rapat_ubah(
    *,
    rapat: Rapat,
    data: DataRapat,
    by: User,
    versi: int,
    opd: list[Opd] | None = None,
    personil: list[Personil] | None = None,
) -> Rapat:
    """Change a meeting and whom it invites (``opd``/``personil``: the agencies and people
    invited from now on; ``None`` leaves that kind as it is). When its time or place changes,
    everyone is told again and calendars replace the old event; agencies and people taken off
    are told the meeting no longer concerns them (and their calendars drop it); those added are
    invited. Refuses a cancelled meeting, moving a meeting already held, changing whom a held
    meeting invited, leaving nobody invited, a duplicate, and a stale form."""
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
    undangan = list(rapat.undangan.all())
    lepas = _lepas_undangan(undangan, opd, personil)
    ada_opd = {u.opd_id for u in undangan if u.personil_id is None}
    ada_orang = {u.personil_id for u in undangan if u.personil_id}
    tambah = [o for o in opd or () if o.pk not in ada_opd]
    tambah_orang = [p for p in personil or () if p.pk not in ada_orang]
    if rapat.status == Rapat.Status.TERLAKSANA:
        if pindah:
            raise ValidationError(
                _("Rapat ini sudah terlaksana; waktu dan tempatnya tidak dapat diubah.")
            )
        if lepas or tambah or tambah_orang:
            raise ValidationError(
                _("Rapat ini sudah terlaksana; daftar undangannya tidak dapat diubah.")
            )
    if len(lepas) == len(undangan) and not (tambah or tambah_orang):
        raise ValidationError(_("Undang sedikitnya satu OPD/lembaga atau satu orang."))
    rapat.judul, rapat.agenda = data.judul.strip(), data.agenda.strip()
    rapat.mulai, rapat.selesai = data.mulai, data.selesai
    rapat.tempat, rapat.tautan_daring = data.tempat.strip(), data.tautan_daring.strip()
    rapat.urutan_ics += 1
    if pindah:
        rapat.pengingat_terkirim = None
    _simpan_rapat(rapat, by)
    sebelum = penerima_rapat(rapat) if lepas else None
    Undangan.objects.filter(pk__in=[u.pk for u in lepas]).delete()
    baru = _undang(rapat, tambah, tambah_orang)
    if sebelum is not None:
        sesudah = penerima_rapat(rapat)
        orang = [p for p in sebelum[0] if p not in sesudah[0]]
        tamu = [a for a in sebelum[1] if a not in sesudah[1]]
        judul = _("Rapat %(j)s, %(w)s tidak lagi mengundang Anda atau OPD Anda.") % {
            "j": rapat,
            "w": waktu(rapat),
        }
        agencies_services.notifikasi_kirim(
            penerima=orang, judul=judul, tautan=rapat.get_absolute_url(), email=False
        )
        _email_nanti(rapat, judul, alamat=_alamat(orang, tamu), batal=True)
    if pindah or baru:
        _kabari_rapat(rapat, _("Rapat diubah: %(j)s, %(w)s") % {"j": rapat, "w": waktu(rapat)})
    return rapat


@transaction.atomic
def rapat_batalkan(*, rapat: Rapat, by: User, alasan: str) -> Rapat:
    """Cancel a meeting with a reason; everyone invited is told and calendars mark it.
    Refuses a reason missing or too long, a meeting held or cancelled, and one whose decisions
    are already follow-ups (they would keep reminding their owners of a meeting that did not
    take place)."""
    rapat = _kunci(Rapat, rapat, None)
    if rapat.status != Rapat.Status.DIJADWALKAN:
        raise ValidationError(
            _("Rapat berstatus %(s)s tidak dapat dibatalkan.") % {"s": rapat.get_status_display()}
        )
    if not alasan.strip():
        raise ValidationError({"alasan": _("Tuliskan alasan pembatalan.")})
    maks = Rapat._meta.get_field("alasan_batal").max_length
    if len(alasan.strip()) > maks:
        raise ValidationError({"alasan": _("Alasan paling panjang %(n)s karakter.") % {"n": maks}})
    tindak = rapat.tindak_lanjut.count()
    if tindak:
        raise ValidationError(
            _(
                "Rapat ini sudah menghasilkan %(n)s tindak lanjut, jadi tidak dapat dibatalkan. "
                "Catat kehadirannya, atau minta pemilik tindak lanjut menyelesaikannya."
            )
            % {"n": tindak}
        )
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
    (by invitation id); the meeting then counts as held. Every invitation must have its
    attendance: a meeting counts as held, and its attendance in the effectiveness figures, only
    once the whole list is known. Refuses a meeting not begun or cancelled, an invitation left
    "not recorded", a representative without a name, an invitation of another meeting, a stale
    form."""
    rapat = _kunci(Rapat, rapat, versi)
    if rapat.status == Rapat.Status.DIBATALKAN:
        raise ValidationError(_("Rapat ini dibatalkan; kehadiran tidak dicatat."))
    if not rapat.sudah_mulai:
        raise ValidationError(_("Kehadiran baru dapat dicatat setelah rapat dimulai."))
    undangan = {u.pk: u for u in rapat.undangan.select_for_update().select_related("opd")}
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
    belum = [u for u in undangan.values() if u.kehadiran == Undangan.Kehadiran.BELUM]
    if belum:
        raise ValidationError(
            _(
                "Catat kehadiran setiap undangan (hadir, diwakili atau tidak hadir) sebelum "
                "rapat dihitung terlaksana. Belum dicatat: %(u)s."
            )
            % {"u": ", ".join(str(u.personil or u.opd.singkatan) for u in belum)}
        )
    for u in berubah:
        u.save(update_fields=["kehadiran", "diwakili_oleh", "catatan"])
    rapat.status = Rapat.Status.TERLAKSANA
    _simpan(rapat, by, ["status"])
    return rapat


@transaction.atomic
def notulen_simpan(*, rapat: Rapat, notulen: str, by: User, versi: int, berkas=None) -> Rapat:
    """Keep the minutes of a meeting (text, and the signed file when there is one). Everything
    is checked before the file is stored, so a refusal leaves no file behind."""
    rapat = _kunci(Rapat, rapat, versi)
    if rapat.status == Rapat.Status.DIBATALKAN:
        raise ValidationError(_("Rapat ini dibatalkan; notulen tidak dicatat."))
    if not rapat.sudah_mulai:
        raise ValidationError(_("Notulen baru dapat dicatat setelah rapat dimulai."))
    if not notulen.strip() and berkas is None and not rapat.notulen_berkas:
        raise ValidationError({"notulen": _("Tuliskan notulen atau unggah berkasnya.")})
    info = berkas_check.periksa_berkas(berkas) if berkas is not None else None
    rapat.notulen = notulen.strip()
    fields = ["notulen"]
    with berkas_check.dibuang_bila_gagal() as tersimpan:
        if info is not None:
            rapat.notulen_berkas_nama = info.nama
            berkas_check.simpan_berkas(rapat.notulen_berkas, f"notulen.{info.ekstensi}", berkas)
            tersimpan.append(rapat.notulen_berkas)
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
    people who act for the agency are told. Refuses a meeting not begun yet or cancelled (the
    meeting is locked, so a cancellation cannot slip in between), a due date before the
    meeting, and the same decision twice (a double submit)."""
    rapat = _kunci(Rapat, rapat, None)
    if rapat.status == Rapat.Status.DIBATALKAN:
        raise ValidationError(_("Rapat ini dibatalkan."))
    if not rapat.sudah_mulai:
        raise ValidationError(_("Tindak lanjut baru dapat dicatat setelah rapat dimulai."))
    if tenggat < timezone.localtime(rapat.mulai).date():
        raise ValidationError({"tenggat": _("Tenggat tidak boleh sebelum tanggal rapat.")})
    keputusan = keputusan.strip()
    ganda = _("Keputusan ini sudah dicatat untuk %(o)s.") % {"o": opd.singkatan}
    if rapat.tindak_lanjut.filter(keputusan=keputusan, opd=opd).exists():
        raise ValidationError(ganda)
    tindak = TindakLanjut(rapat=rapat, keputusan=keputusan, opd=opd, tenggat=tenggat, versi=0)
    try:
        with transaction.atomic():
            _simpan(tindak, by)
    except IntegrityError:  # saved a moment ago by a second submit
        raise ValidationError(ganda) from None
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
    alasan: str = "",
    kabari: bool = True,
) -> TindakLanjut:
    """The owner agency reports progress and closes the follow-up with its evidence (text,
    files or both). Closing tells the secretariat. Only the secretariat reopens a closed
    follow-up, with a reason the owner agency is told. Every file is checked before any is
    stored. Refuses a close without evidence, a completion date in the future or before the
    meeting, a reopening by anyone else or without a reason, and a stale form."""
    tindak = _kunci(TindakLanjut, tindak_lanjut, versi)
    if status not in TindakLanjut.Status.values:
        raise ValidationError({"status": _("Status tidak dikenal.")})
    info = [berkas_check.periksa_berkas(item) for item in berkas]
    selesai = status == TindakLanjut.Status.SELESAI
    dibuka = tindak.status == TindakLanjut.Status.SELESAI and not selesai
    if dibuka:
        if not by.has_perm("koordinasi.buka_tindak_lanjut"):
            raise ValidationError(
                {
                    "status": _(
                        "Tindak lanjut ini sudah selesai; hanya Sekretariat yang dapat "
                        "membukanya kembali."
                    )
                }
            )
        if not alasan.strip():
            raise ValidationError({"alasan": _("Tuliskan alasan membuka kembali.")})
        maks = TindakLanjut._meta.get_field("alasan_dibuka").max_length
        if len(alasan.strip()) > maks:
            raise ValidationError(
                {"alasan": _("Alasan paling panjang %(n)s karakter.") % {"n": maks}}
            )
        tindak.alasan_dibuka = alasan.strip()
    if selesai:
        if not (hasil.strip() or info or tindak.lampiran.exists()):
            raise ValidationError({"hasil": _("Tuliskan hasilnya atau lampirkan buktinya.")})
        selesai_pada = selesai_pada or timezone.localdate()
        if selesai_pada > timezone.localdate():
            raise ValidationError({"selesai_pada": _("Tanggal tidak boleh di masa depan.")})
        if selesai_pada < timezone.localtime(tindak.rapat.mulai).date():
            raise ValidationError({"selesai_pada": _("Tanggal tidak boleh sebelum rapat.")})
    baru_selesai = selesai and tindak.status != TindakLanjut.Status.SELESAI
    tindak.status, tindak.hasil = status, hasil.strip()
    tindak.selesai_pada = selesai_pada if selesai else None
    _simpan(tindak, by, ["status", "hasil", "selesai_pada", "alasan_dibuka"])
    with berkas_check.dibuang_bila_gagal() as tersimpan:
        for item in berkas:
            lampiran = berkas_check.simpan_lampiran(
                LampiranTindakLanjut(tindak_lanjut=tindak), item, by
            )
            tersimpan.append(lampiran.berkas)
    if dibuka:
        agencies_services.notifikasi_kirim(
            penerima=pengurus_opd([tindak.opd_id]),
            judul=_("Sekretariat membuka kembali tindak lanjut %(o)s: %(k)s (%(a)s)")
            % {"o": tindak.opd.singkatan, "k": tindak.keputusan, "a": tindak.alasan_dibuka},
            tautan=tindak.get_absolute_url(),
        )
    if baru_selesai and kabari:
        agencies_services.notifikasi_kirim(
            penerima=agencies_services.pengguna_dengan_peran(peran=Peran.SEKRETARIAT),
            judul=_("%(o)s menyelesaikan tindak lanjut: %(k)s")
            % {"o": tindak.opd.singkatan, "k": tindak.keputusan},
            tautan=tindak.get_absolute_url(),
        )
    return tindak


# --- Calendar addresses -------------------------------------------------------------------


def token_kalender(*, user: User, opd: Opd | None = None) -> TokenKalender:
    """The secret address of a person's own calendar, or of the calendar of an agency they
    belong to (``opd``), made on first use. Refuses an agency the person does not belong to."""
    if opd is not None and opd.pk not in user.opd_ids():
        raise ValidationError(_("Anda bukan staf %(o)s.") % {"o": opd.singkatan})
    try:
        with transaction.atomic():
            token, _baru = TokenKalender.objects.get_or_create(user=user, opd=opd)
    except IntegrityError:  # made a moment ago by the same person in another tab
        token = TokenKalender.objects.get(user=user, opd=opd)
    return token


def token_kalender_ganti(*, token: TokenKalender) -> TokenKalender:
    """A new secret address; the old one stops working at once (a link that leaked)."""
    token.token = TokenKalender._meta.get_field("token").default()
    token.save(update_fields=["token", "berlaku_sejak"])
    return token


# --- Reminders (Celery beat) --------------------------------------------------------------


def ingatkan_rapat(*, sekarang: datetime.datetime | None = None) -> int:
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
            _kabari_rapat(
                rapat, _("Pengingat rapat: %(j)s, %(w)s") % {"j": rapat, "w": waktu(rapat)}
            )
        n += 1
    return n


HARI_PENGINGAT = (3, 1, -1)  # three days and one day before the due date, and a day late


def ingatkan_tindak_lanjut(*, hari_ini: datetime.date | None = None) -> int:
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
            judul = (
                _("Tindak lanjut lewat tenggat %(t)s: %(k)s")
                if sisa < 0
                else _("Tindak lanjut jatuh tempo %(t)s (%(s)s hari lagi): %(k)s")
            ) % {"t": date_format(tindak.tenggat), "s": sisa, "k": tindak.keputusan}
            agencies_services.notifikasi_kirim(
                penerima=pengurus.get(tindak.opd_id, []),
                judul=judul,
                tautan=tindak.get_absolute_url(),
            )
        n += 1
    return n
