"""Follow-ups: a meeting's decisions owned by an agency, their progress and evidence."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies import services as agencies_services
from agencies.models import Opd, Peran, User
from kla_portal import berkas as berkas_check
from kla_portal import versi as versi_lib
from koordinasi import services  # _simpan and the like are looked up there (its docstring)
from koordinasi.models import LampiranTindakLanjut, Rapat, TindakLanjut
from koordinasi.services.pemberitahuan import pengurus_opd


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
    rapat = versi_lib.kunci(Rapat, rapat, None)
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
    services._simpan(tindak, by, ganda=ganda)  # refused too if saved a moment ago
    if not kabari:
        return tindak
    agencies_services.notifikasi_kirim(
        penerima=pengurus_opd([opd.pk]),
        judul=agencies_services.Teks.dari(
            gettext_noop("Tindak lanjut rapat untuk %(o)s, tenggat %(t)s: %(k)s"),
            o=opd.singkatan,
            t=date_format(tenggat),
            k=keputusan,
        ),
        tautan=tindak.get_absolute_url(),
    )
    return tindak


def _periksa_buka(tindak: TindakLanjut, by: User, alasan: str) -> None:
    """Only the secretariat reopens a closed follow-up, and says why."""
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
        raise ValidationError({"alasan": _("Alasan paling panjang %(n)s karakter.") % {"n": maks}})


def _tanggal_selesai(
    tindak: TindakLanjut, *, hasil: str, ada_berkas: bool, selesai_pada: datetime.date | None
) -> datetime.date:
    """The completion date of a close (today when not given); refuses a close without
    evidence and a date in the future or before the meeting."""
    if not (hasil.strip() or ada_berkas or tindak.lampiran.exists()):
        raise ValidationError({"hasil": _("Tuliskan hasilnya atau lampirkan buktinya.")})
    selesai_pada = selesai_pada or timezone.localdate()
    if selesai_pada > timezone.localdate():
        raise ValidationError({"selesai_pada": _("Tanggal tidak boleh di masa depan.")})
    if selesai_pada < timezone.localtime(tindak.rapat.mulai).date():
        raise ValidationError({"selesai_pada": _("Tanggal tidak boleh sebelum rapat.")})
    return selesai_pada


def _kabari_perbarui(tindak: TindakLanjut, *, dibuka: bool, baru_selesai: bool) -> None:
    """A reopening tells the owner agency why; a close tells the secretariat."""
    if dibuka:
        agencies_services.notifikasi_kirim(
            penerima=pengurus_opd([tindak.opd_id]),
            judul=agencies_services.Teks.dari(
                gettext_noop("Sekretariat membuka kembali tindak lanjut %(o)s: %(k)s (%(a)s)"),
                o=tindak.opd.singkatan,
                k=tindak.keputusan,
                a=tindak.alasan_dibuka,
            ),
            tautan=tindak.get_absolute_url(),
        )
    if baru_selesai:
        agencies_services.notifikasi_kirim(
            penerima=agencies_services.pengguna_dengan_peran(peran=Peran.SEKRETARIAT),
            judul=agencies_services.Teks.dari(
                gettext_noop("%(o)s menyelesaikan tindak lanjut: %(k)s"),
                o=tindak.opd.singkatan,
                k=tindak.keputusan,
            ),
            tautan=tindak.get_absolute_url(),
        )


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
    tindak = versi_lib.kunci(TindakLanjut, tindak_lanjut, versi)
    if status not in TindakLanjut.Status.values:
        raise ValidationError({"status": _("Status tidak dikenal.")})
    for item in berkas:  # a refused file is told before anything else
        berkas_check.periksa_berkas(item)
    selesai = status == TindakLanjut.Status.SELESAI
    dibuka = tindak.status == TindakLanjut.Status.SELESAI and not selesai
    if dibuka:
        _periksa_buka(tindak, by, alasan)
        tindak.alasan_dibuka = alasan.strip()
    if selesai:
        selesai_pada = _tanggal_selesai(
            tindak, hasil=hasil, ada_berkas=bool(berkas), selesai_pada=selesai_pada
        )
    baru_selesai = selesai and tindak.status != TindakLanjut.Status.SELESAI
    tindak.status, tindak.hasil = status, hasil.strip()
    tindak.selesai_pada = selesai_pada if selesai else None
    services._simpan(tindak, by, ["status", "hasil", "selesai_pada", "alasan_dibuka"])
    berkas_check.simpan_lampiran_semua(
        lambda: LampiranTindakLanjut(tindak_lanjut=tindak), berkas, by
    )
    if dibuka or baru_selesai:
        # the notices about the follow-up so far are done: the owner's to-do is closed, or
        # open again under a new notice
        agencies_services.notifikasi_selesai(tautan=tindak.get_absolute_url())
    _kabari_perbarui(tindak, dibuka=dibuka, baru_selesai=baru_selesai and kabari)
    return tindak
