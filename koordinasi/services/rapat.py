"""Meetings: scheduling and inviting, changing, cancelling, attendance and minutes."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies import services as agencies_services
from agencies.models import GugusTugas, Opd, Personil, User, Wilayah
from kla_portal import berkas as berkas_check
from kla_portal import versi as versi_lib
from koordinasi import services  # _simpan and the like are looked up there (its docstring)
from koordinasi.models import Rapat, Undangan
from koordinasi.services.pemberitahuan import (
    _alamat,
    _email_nanti,
    penerima_rapat,
    waktu,
)


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
    services._simpan(rapat, by, fields, ganda=services._pesan_ganda())


def _undang(rapat: Rapat, opd: list[Opd], personil: list[Personil]) -> int:
    """Invite agencies and people not invited yet; returns how many were added."""
    ada_opd = set(rapat.undangan.filter(personil=None).values_list("opd_id", flat=True))
    ada_orang = set(rapat.undangan.exclude(personil=None).values_list("personil_id", flat=True))
    baru = [
        Undangan(daerah_id=rapat.daerah_id, rapat=rapat, opd=o) for o in opd if o.pk not in ada_opd
    ]
    baru += [
        Undangan(daerah_id=rapat.daerah_id, rapat=rapat, opd_id=p.opd_id, personil=p)
        for p in personil
        if p.pk not in ada_orang
    ]
    Undangan.objects.bulk_create(baru)
    return len(baru)


@dataclass(frozen=True)
class Pintasan:
    """Whom to invite at once: every member of the meeting's task force (``semua_anggota``),
    every agency head (``semua_kepala_opd``). Read when the meeting is saved, so whoever joined
    or left in the meantime is counted as of then."""

    semua_anggota: bool = False
    semua_kepala_opd: bool = False


def _dengan_pintasan(
    gugus_tugas: GugusTugas, pintasan: Pintasan, opd: Iterable[Opd], personil: Iterable[Personil]
) -> tuple[list[Opd], list[Personil]]:
    """The agencies and people chosen one by one, with those the shortcuts stand for, each
    once (someone chosen both ways gets one invitation): the people who hold a seat on the task
    force today, and every active agency with a head in the portal today (its head and
    operators are told, as for any invited agency; for a kecamatan's task force, the offices in
    that kecamatan). Refuses a shortcut that stands for nobody."""
    opd, personil = list(opd), list(personil)
    if pintasan.semua_anggota:
        kursi = gugus_tugas.anggota.aktif().values("personil_id")
        anggota = list(Personil.objects.filter(pk__in=kursi))
        if not anggota:
            raise ValidationError(
                {"semua_anggota": _("Gugus Tugas ini belum punya anggota; undang satu per satu.")}
            )
        personil += anggota
    if pintasan.semua_kepala_opd:
        berkepala = Opd.objects.aktif().berkepala().filter(daerah_id=gugus_tugas.daerah_id)
        if gugus_tugas.wilayah.tingkat != Wilayah.Tingkat.KABKOTA:
            # a kecamatan's task force: the offices of that kecamatan, not the whole city's
            berkepala = berkepala.filter(wilayah__in=Wilayah.objects.di_dalam(gugus_tugas.wilayah))
        berkepala = list(berkepala)
        if not berkepala:
            raise ValidationError(
                {"semua_kepala_opd": _("Belum ada kepala OPD yang tercatat di portal.")}
            )
        opd += berkepala
    return list({o.pk: o for o in opd}.values()), list({p.pk: p for p in personil}.values())


@transaction.atomic
def rapat_jadwalkan(
    *,
    gugus_tugas: GugusTugas,
    data: DataRapat,
    by: User,
    opd: list[Opd] = (),
    personil: list[Personil] = (),
    pintasan: Pintasan = Pintasan(),
    kabari: bool = True,
) -> Rapat:
    """Put a meeting on the calendar and invite agencies and people; everyone invited is told
    in the portal and by e-mail, with the calendar file, unless the meeting is already over (it
    is being recorded after the fact: an invitation would be noise). Refuses an end before the
    start, a meeting without place or link, without anyone invited, and the same meeting twice
    (a double submit). The ``pintasan`` invite whom they stand for (see _dengan_pintasan)."""
    _periksa(data)
    opd, personil = _dengan_pintasan(gugus_tugas, pintasan, opd, personil)
    if not (opd or personil):
        raise ValidationError(_("Undang sedikitnya satu OPD/lembaga atau satu orang."))
    sama = Rapat.objects.filter(gugus_tugas=gugus_tugas, judul=data.judul.strip(), mulai=data.mulai)
    if sama.exclude(status=Rapat.Status.DIBATALKAN).exists():
        raise ValidationError(services._pesan_ganda())
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
    _undang(rapat, opd, personil)
    if kabari and rapat.selesai > timezone.now():
        services._kabari_rapat(
            rapat,
            agencies_services.Teks.dari(
                gettext_noop("Undangan rapat: %(j)s, %(w)s"), j=rapat, w=waktu(rapat)
            ),
        )
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


@dataclass
class PerubahanRapat:
    """What a change of a meeting changes: its time or place (``pindah``), the invitations
    taken off (``lepas``, of all its ``undangan``), the agencies and people added."""

    pindah: bool
    undangan: list[Undangan]
    lepas: list[Undangan]
    tambah: list[Opd]
    tambah_orang: list[Personil]


def _perubahan(
    rapat: Rapat,
    data: DataRapat,
    opd: list[Opd] | None,
    personil: list[Personil] | None,
    pintasan: tuple[list[Opd], list[Personil]] = ([], []),
) -> PerubahanRapat:
    """``pintasan``: the agencies and people the shortcuts add; they are kept, never taken off."""
    undangan = list(rapat.undangan.all())
    ada_opd = {u.opd_id for u in undangan if u.personil_id is None}
    ada_orang = {u.personil_id for u in undangan if u.personil_id}
    semua_opd = {o.pk: o for o in [*(opd or ()), *pintasan[0]]}
    semua_orang = {p.pk: p for p in [*(personil or ()), *pintasan[1]]}
    return PerubahanRapat(
        pindah=(data.mulai, data.selesai, data.tempat.strip(), data.tautan_daring.strip())
        != (rapat.mulai, rapat.selesai, rapat.tempat, rapat.tautan_daring),
        undangan=undangan,
        lepas=_lepas_undangan(
            undangan,
            None if opd is None else list(semua_opd.values()),
            None if personil is None else list(semua_orang.values()),
        ),
        tambah=[o for pk, o in semua_opd.items() if pk not in ada_opd],
        tambah_orang=[p for pk, p in semua_orang.items() if pk not in ada_orang],
    )


def _periksa_perubahan(rapat: Rapat, ubah: PerubahanRapat) -> None:
    """A meeting held keeps its time, place and invitations; a meeting keeps someone invited."""
    diundang = ubah.tambah or ubah.tambah_orang
    if rapat.status == Rapat.Status.TERLAKSANA:
        if ubah.pindah:
            raise ValidationError(
                _("Rapat ini sudah terlaksana; waktu dan tempatnya tidak dapat diubah.")
            )
        if ubah.lepas or diundang:
            raise ValidationError(
                _("Rapat ini sudah terlaksana; daftar undangannya tidak dapat diubah.")
            )
    if len(ubah.lepas) == len(ubah.undangan) and not diundang:
        raise ValidationError(_("Undang sedikitnya satu OPD/lembaga atau satu orang."))


def _isi(rapat: Rapat, data: DataRapat, *, pindah: bool) -> None:
    rapat.judul, rapat.agenda = data.judul.strip(), data.agenda.strip()
    rapat.mulai, rapat.selesai = data.mulai, data.selesai
    rapat.tempat, rapat.tautan_daring = data.tempat.strip(), data.tautan_daring.strip()
    rapat.urutan_ics += 1  # calendars replace the old event
    if pindah:
        rapat.pengingat_terkirim = None  # reminded again at the new time


def _kabari_dilepas(rapat: Rapat, sebelum: tuple[list[User], list[str]]) -> None:
    """Tell those no longer invited (in the portal, and by e-mail with a cancellation so their
    calendars drop it): the recipients before the change who are not recipients any more."""
    sesudah = penerima_rapat(rapat)
    orang = [p for p in sebelum[0] if p not in sesudah[0]]
    tamu = [a for a in sebelum[1] if a not in sesudah[1]]
    judul = agencies_services.Teks.dari(
        gettext_noop("Rapat %(j)s, %(w)s tidak lagi mengundang Anda atau OPD Anda."),
        j=rapat,
        w=waktu(rapat),
    )
    agencies_services.notifikasi_kirim(
        penerima=orang, judul=judul, tautan=rapat.get_absolute_url(), email=False
    )
    _email_nanti(rapat, judul.indonesia(), alamat=_alamat(orang, tamu), batal=True)


@transaction.atomic
def rapat_ubah(
    *,
    rapat: Rapat,
    data: DataRapat,
    by: User,
    versi: int,
    opd: list[Opd] | None = None,
    personil: list[Personil] | None = None,
    pintasan: Pintasan = Pintasan(),
) -> Rapat:
    """Change a meeting and whom it invites (``opd``/``personil``: the agencies and people
    invited from now on; ``None`` leaves that kind as it is). When its time or place changes,
    everyone is told again and calendars replace the old event; agencies and people taken off
    are told the meeting no longer concerns them (and their calendars drop it); those added are
    invited. Refuses a cancelled meeting, moving a meeting already held, changing whom a held
    meeting invited, leaving nobody invited, a duplicate, and a stale form. The ``pintasan``
    add whom they stand for (see _dengan_pintasan)."""
    rapat = versi_lib.kunci(Rapat, rapat, versi)
    if rapat.status == Rapat.Status.DIBATALKAN:
        raise ValidationError(_("Rapat ini sudah dibatalkan."))
    _periksa(data)
    tambah_opd, tambah_orang = _dengan_pintasan(rapat.gugus_tugas, pintasan, (), ())
    ubah = _perubahan(rapat, data, opd, personil, (tambah_opd, tambah_orang))
    _periksa_perubahan(rapat, ubah)
    _isi(rapat, data, pindah=ubah.pindah)
    _simpan_rapat(rapat, by)
    sebelum = penerima_rapat(rapat) if ubah.lepas else None
    Undangan.objects.filter(pk__in=[u.pk for u in ubah.lepas]).delete()
    baru = _undang(rapat, ubah.tambah, ubah.tambah_orang)
    if sebelum is not None:
        _kabari_dilepas(rapat, sebelum)
    if ubah.pindah or baru:
        services._kabari_rapat(
            rapat,
            agencies_services.Teks.dari(
                gettext_noop("Rapat diubah: %(j)s, %(w)s"), j=rapat, w=waktu(rapat)
            ),
        )
    return rapat


@transaction.atomic
def rapat_batalkan(*, rapat: Rapat, by: User, alasan: str) -> Rapat:
    """Cancel a meeting with a reason; everyone invited is told and calendars mark it.
    Refuses a reason missing or too long, a meeting held or cancelled, and one whose decisions
    are already follow-ups (they would keep reminding their owners of a meeting that did not
    take place)."""
    rapat = versi_lib.kunci(Rapat, rapat, None)
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
    services._simpan(rapat, by, ["status", "alasan_batal", "urutan_ics"])
    services._kabari_rapat(
        rapat,
        agencies_services.Teks.dari(
            gettext_noop("Rapat dibatalkan: %(j)s (%(a)s)"), j=rapat, a=rapat.alasan_batal
        ),
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
    rapat = versi_lib.kunci(Rapat, rapat, versi)
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
    services._simpan(rapat, by, ["status"])
    return rapat


@transaction.atomic
def notulen_simpan(*, rapat: Rapat, notulen: str, by: User, versi: int, berkas=None) -> Rapat:
    """Keep the minutes of a meeting (text, and the signed file when there is one). Everything
    is checked before the file is stored, so a refusal leaves no file behind."""
    rapat = versi_lib.kunci(Rapat, rapat, versi)
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
            berkas_check.simpan_berkas_kolom(
                rapat, "notulen_berkas", berkas, "notulen", tersimpan, info=info
            )
            fields += ["notulen_berkas", "notulen_berkas_nama"]
        services._simpan(rapat, by, fields)
    return rapat
