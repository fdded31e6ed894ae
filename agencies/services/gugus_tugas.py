"""The task force: its forming, decrees, people, seats and their KHA training."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies.gugus_tugas import NAMA_PELATIHAN_KHA, SUB_TIM_BAKU
from agencies.models import (
    AnggotaGugusTugas,
    GugusTugas,
    Opd,
    PelatihanKha,
    Peran,
    Personil,
    SkGugusTugas,
    SubTim,
    User,
    Wilayah,
)
from agencies.services.bersama import _periksa_tanggal_lalu
from agencies.services.notifikasi import Teks, notifikasi_kirim, pengguna_dengan_peran
from kla_portal.berkas import periksa_berkas, simpan_dengan_berkas_kolom


@transaction.atomic
def gugus_tugas_buat(*, wilayah: Wilayah, by: User, nama: str = "") -> GugusTugas:
    """The task force of the kab/kota or of one kecamatan (or of the province, formed by its
    own people), with the standard sub-teams (Kelembagaan and the five clusters). Refuses a
    second one for the same area."""
    if wilayah.tingkat not in (
        Wilayah.Tingkat.PROVINSI,
        Wilayah.Tingkat.KABKOTA,
        Wilayah.Tingkat.KECAMATAN,
    ):
        raise ValidationError(
            {"wilayah": _("Gugus Tugas dibentuk di tingkat kabupaten/kota atau kecamatan.")}
        )
    kota = by.daerah_id
    if kota is None or kota not in (wilayah.pk, wilayah.induk_id):
        raise ValidationError(
            {"wilayah": _("%(w)s bukan wilayah kota yang dilayani portal ini.") % {"w": wilayah}}
        )
    sudah_ada = _("%(w)s sudah memiliki Gugus Tugas KLA.") % {"w": wilayah}
    if GugusTugas.objects.filter(wilayah=wilayah).exists():
        raise ValidationError(sudah_ada)
    gugus = GugusTugas(wilayah=wilayah, nama=nama.strip() or f"Gugus Tugas KLA {wilayah}")
    gugus._history_user = by
    try:
        with transaction.atomic():
            gugus.save()
    except IntegrityError:  # formed a moment ago by a second submit
        raise ValidationError(sudah_ada) from None
    SubTim.objects.bulk_create(
        SubTim(daerah_id=gugus.daerah_id, gugus_tugas=gugus, nama=sub, urutan=i)
        for i, sub in enumerate(SUB_TIM_BAKU, 1)
    )
    return gugus


@transaction.atomic
def sk_gugus_tugas_tambah(
    *,
    gugus_tugas: GugusTugas,
    nomor: str,
    tanggal: date,
    berlaku_mulai: date,
    by: User,
    berkas=None,
) -> SkGugusTugas:
    """Record a decree forming or revising the task force. The newest decree recorded until
    then is kept and marked as replaced by this one; this one is in force from its start date
    (SkGugusTugas.objects.berlaku), not before. Refuses a number already recorded and a decree
    that starts before the newest one."""
    nomor = nomor.strip()
    if gugus_tugas.sk.filter(nomor__iexact=nomor).exists():
        raise ValidationError({"nomor": _("SK %(n)s sudah dicatat.") % {"n": nomor}})
    if berlaku_mulai < tanggal:
        raise ValidationError({"berlaku_mulai": _("SK tidak berlaku sebelum ditandatangani.")})
    if berkas is not None:
        periksa_berkas(berkas)  # every check before anything is stored
    terakhir = gugus_tugas.sk.select_for_update().filter(diganti_oleh__isnull=True).first()
    if terakhir and berlaku_mulai < terakhir.berlaku_mulai:
        raise ValidationError(
            {
                "berlaku_mulai": _(
                    "SK terakhir yang dicatat (%(sk)s) berlaku mulai %(d)s; SK baru harus "
                    "berlaku sesudahnya."
                )
                % {"sk": terakhir, "d": date_format(terakhir.berlaku_mulai)}
            }
        )
    sk = SkGugusTugas(
        gugus_tugas=gugus_tugas,
        nomor=nomor,
        tanggal=tanggal,
        berlaku_mulai=berlaku_mulai,
        dibuat_oleh=by,
    )
    simpan_dengan_berkas_kolom(sk, by=by, kolom="berkas", berkas=berkas, nama_file="sk-gugus-tugas")
    if terakhir:
        terakhir.diganti_oleh = sk
        terakhir._history_user = by
        terakhir.save(update_fields=["diganti_oleh"])
    return sk


def personil_simpan(
    *,
    by: User,
    nama: str,
    opd: Opd,
    jabatan: str = "",
    email: str = "",
    telepon: str = "",
    user: User | None = None,
    personil: Personil | None = None,
) -> Personil:
    """Record a person of the task force (new, or corrected). Refuses a portal account ``by``
    may not link (User.objects.dapat_ditautkan_oleh: a kecamatan's operator links only
    accounts of their kecamatan) and one already linked to another person."""
    if user and not User.objects.dapat_ditautkan_oleh(by).filter(pk=user.pk).exists():
        raise ValidationError({"user": _("Anda tidak dapat menautkan akun %(u)s.") % {"u": user}})
    if user and Personil.objects.filter(user=user).exclude(pk=getattr(personil, "pk", None)):
        raise ValidationError({"user": _("Akun ini sudah terhubung dengan personil lain.")})
    personil = personil or Personil()
    personil.nama, personil.jabatan = nama.strip(), jabatan.strip()
    personil.opd, personil.user = opd, user
    personil.email, personil.telepon = email.strip(), telepon.strip()
    personil._history_user = by
    personil.save()
    return personil


@transaction.atomic
def anggota_tambah(
    *,
    gugus_tugas: GugusTugas,
    personil: Personil,
    unsur: str,
    by: User,
    jabatan: str = AnggotaGugusTugas.Jabatan.ANGGOTA,
    sub_tim: SubTim | None = None,
    sk: SkGugusTugas | None = None,
    mulai: date | None = None,
) -> AnggotaGugusTugas:
    """Give a person a seat on the task force. Refuses a second seat for the same person, a
    second chair, and a sub-team or decree of another task force."""
    if sub_tim and sub_tim.gugus_tugas_id != gugus_tugas.pk:
        raise ValidationError({"sub_tim": _("Sub-tim ini milik Gugus Tugas lain.")})
    if sk and sk.gugus_tugas_id != gugus_tugas.pk:
        raise ValidationError({"sk": _("SK ini milik Gugus Tugas lain.")})
    aktif = gugus_tugas.anggota.aktif()
    if jabatan == AnggotaGugusTugas.Jabatan.KETUA and aktif.filter(jabatan=jabatan).exists():
        raise ValidationError({"jabatan": _("Gugus Tugas ini sudah memiliki ketua.")})
    if aktif.filter(personil=personil).exists():
        raise ValidationError(
            _("%(p)s sudah menjadi anggota %(g)s.") % {"p": personil, "g": gugus_tugas}
        )
    anggota = AnggotaGugusTugas(
        gugus_tugas=gugus_tugas,
        personil=personil,
        jabatan=jabatan,
        unsur=unsur,
        sub_tim=sub_tim,
        sk=sk,
        mulai=mulai or timezone.localdate(),
    )
    anggota._history_user = by
    try:
        with transaction.atomic():
            anggota.save()
    except IntegrityError:  # the same seat saved a moment ago by a second submit
        raise ValidationError(
            _("%(p)s sudah menjadi anggota %(g)s.") % {"p": personil, "g": gugus_tugas}
        ) from None
    return anggota


@transaction.atomic
def anggota_baru_tambah(
    *,
    gugus_tugas: GugusTugas,
    nama: str,
    opd: Opd,
    unsur: str,
    by: User,
    jabatan_dinas: str = "",
    email: str = "",
    user: User | None = None,
    **kursi,
) -> AnggotaGugusTugas:
    """Record a new person and give them a seat, all or nothing: a refused seat (a second
    chair, a double submit) leaves no person behind. ``kursi``: as anggota_tambah."""
    personil = personil_simpan(
        nama=nama, jabatan=jabatan_dinas, opd=opd, email=email, user=user, by=by
    )
    return anggota_tambah(gugus_tugas=gugus_tugas, personil=personil, unsur=unsur, by=by, **kursi)


@transaction.atomic
def anggota_akhiri(
    *,
    anggota: AnggotaGugusTugas,
    by: User,
    alasan: str,
    selesai: date | None = None,
    kabari: bool = True,
) -> AnggotaGugusTugas:
    """End a seat on a day (today by default), keeping it in the history. When the person was
    trained in KHA and holds no other seat after that day (on this or another task force), the
    secretariat is told that their agency lost a trained person."""
    locked = AnggotaGugusTugas.objects.select_for_update(of=("self",)).select_related(
        "personil__opd"
    )
    locked = locked.get(pk=anggota.pk)
    if locked.selesai is not None:
        raise ValidationError(
            _("Keanggotaan ini sudah diakhiri pada %(d)s.") % {"d": date_format(locked.selesai)}
        )
    selesai = selesai or timezone.localdate()
    _periksa_tanggal_lalu(selesai, "selesai")
    if selesai < locked.mulai:
        raise ValidationError({"selesai": _("Tanggal berakhir tidak boleh sebelum tanggal mulai.")})
    if not alasan.strip():
        raise ValidationError({"alasan": _("Tuliskan alasan keanggotaan berakhir.")})
    locked.selesai, locked.alasan_selesai = selesai, alasan.strip()
    locked._history_user = by
    locked.save(update_fields=["selesai", "alasan_selesai"])
    masih = (
        AnggotaGugusTugas.objects.filter(personil=locked.personil)
        .exclude(pk=locked.pk)
        .filter(Q(selesai__isnull=True) | Q(selesai__gt=selesai))
    )
    if kabari and not masih.exists():
        personil_kepergian_kabari(personil=locked.personil, opd=locked.personil.opd, alasan=alasan)
    return locked


# Stored with the ended seat in the portal's own words, whatever language the person reads.
ALASAN_PINDAH = "Pindah kedudukan/sub-tim"


@transaction.atomic
def anggota_pindah(
    *,
    anggota: AnggotaGugusTugas,
    by: User,
    unsur: str,
    jabatan: str = AnggotaGugusTugas.Jabatan.ANGGOTA,
    sub_tim: SubTim | None = None,
    mulai: date | None = None,
) -> AnggotaGugusTugas:
    """Move a member to another position or sub-team of the same task force: the old seat ends
    the day before the new one starts (today by default), with the decree in force then. The
    person stays, so nobody is told a trained person left. Refuses what ending the old seat
    and adding the new one refuse."""
    mulai = mulai or timezone.localdate()
    lama = anggota_akhiri(
        anggota=anggota,
        by=by,
        alasan=ALASAN_PINDAH,
        selesai=max(mulai - timedelta(days=1), anggota.mulai),
        kabari=False,
    )
    return anggota_tambah(
        gugus_tugas=lama.gugus_tugas,
        personil=lama.personil,
        unsur=unsur,
        jabatan=jabatan,
        sub_tim=sub_tim,
        sk=lama.gugus_tugas.sk.berlaku(pada=mulai),
        mulai=mulai,
        by=by,
    )


def personil_kepergian_kabari(*, personil: Personil, opd: Opd, alasan: str) -> int:
    """Tell the secretariat that an agency lost a person trained in KHA (who rotates out, as
    the studies found, and whose successor is never trained). Nothing for untrained people."""
    if not personil.pelatihan.exists():
        return 0
    return notifikasi_kirim(
        penerima=pengguna_dengan_peran(peran=Peran.SEKRETARIAT),
        judul=Teks.dari(
            gettext_noop(
                "%(opd)s kehilangan satu orang terlatih KHA: %(nama)s (%(alasan)s). Usulkan "
                "penggantinya mengikuti pelatihan KHA."
            ),
            opd=opd.singkatan,
            nama=personil.nama,
            alasan=alasan.strip(),
        ),
        tautan=opd.get_absolute_url(),
    )


def pelatihan_catat(
    *,
    personil: Personil,
    tanggal: date,
    penyelenggara: str,
    by: User,
    nama: str = "",
    sertifikat=None,
) -> PelatihanKha:
    """Record a KHA training a person completed, with its certificate when there is one.
    Refuses a date in the future and the same training recorded twice."""
    _periksa_tanggal_lalu(tanggal, "tanggal")
    nama = nama.strip() or NAMA_PELATIHAN_KHA
    if personil.pelatihan.filter(tanggal=tanggal, nama__iexact=nama).exists():
        raise ValidationError(_("Pelatihan ini sudah dicatat untuk %(p)s.") % {"p": personil})
    if sertifikat is not None:
        periksa_berkas(sertifikat)  # every check before anything is stored
    pelatihan = PelatihanKha(
        personil=personil,
        nama=nama,
        tanggal=tanggal,
        penyelenggara=penyelenggara.strip(),
        dicatat_oleh=by,
    )
    simpan_dengan_berkas_kolom(
        pelatihan, by=by, kolom="sertifikat", berkas=sertifikat, nama_file="sertifikat-kha"
    )
    return pelatihan
