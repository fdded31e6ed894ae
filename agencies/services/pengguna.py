"""People and memberships: accounts, roles in an agency or area, passwords."""

from __future__ import annotations

import secrets
from datetime import date

from axes.utils import reset as axes_reset
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agencies.daerah import daerah_dari
from agencies.models import PERAN_OPD, Keanggotaan, Opd, Peran, Personil, User, Wilayah
from agencies.services.gugus_tugas import personil_kepergian_kabari


def _temporary_password() -> str:
    # Readable over the phone or WhatsApp: no 0/O or 1/l look-alikes.
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "-".join("".join(secrets.choice(alphabet) for _i in range(4)) for _j in range(3))


def _check_membership(*, user: User, peran: str, opd: Opd | None, wilayah: Wilayah | None) -> None:
    if peran == Peran.ADMIN and (opd or wilayah):
        raise ValidationError(
            _("Peran admin berlaku untuk seluruh portal; kosongkan OPD dan wilayah.")
        )
    if peran in PERAN_OPD and opd is None:
        raise ValidationError({"opd": _("Peran ini membutuhkan OPD.")})
    if peran == Peran.OPERATOR_WILAYAH:
        if wilayah is None or wilayah.tingkat not in (
            Wilayah.Tingkat.KECAMATAN,
            Wilayah.Tingkat.DESA_KELURAHAN,
        ):
            raise ValidationError(
                {"wilayah": _("Pilih kecamatan atau kelurahan/desa untuk operator wilayah.")}
            )
        if opd is not None:
            raise ValidationError(
                {"opd": _("Operator wilayah tidak terikat pada OPD; kosongkan OPD.")}
            )
    elif peran == Peran.VERIFIKATOR_PROVINSI:
        if wilayah is None or wilayah.tingkat != Wilayah.Tingkat.KABKOTA:
            raise ValidationError(
                {"wilayah": _("Pilih kabupaten/kota yang diverifikasi anggota tim ini.")}
            )
    elif wilayah is not None:
        raise ValidationError({"wilayah": _("Kecamatan/kelurahan hanya untuk operator wilayah.")})
    if opd is not None and not opd.aktif:
        raise ValidationError({"opd": _("OPD %(opd)s sudah tidak aktif.") % {"opd": opd}})
    duplicate = Keanggotaan.objects.aktif().filter(user=user, peran=peran, opd=opd, wilayah=wilayah)
    if duplicate.exists():
        raise ValidationError(_("%(user)s sudah memegang peran ini.") % {"user": user})


def keanggotaan_tambah(
    *,
    user: User,
    peran: str,
    by: User,
    opd: Opd | None = None,
    wilayah: Wilayah | None = None,
    mulai: date | None = None,
    daerah: Wilayah | None = None,
) -> Keanggotaan:
    """Give a person a role in an agency or area, or in the whole kab/kota (``daerah``, by
    default the one of the agency or area, else the one ``by`` acts for). Refuses a role they
    already hold there."""
    _check_membership(user=user, peran=peran, opd=opd, wilayah=wilayah)
    keanggotaan = Keanggotaan(
        daerah_id=daerah.pk if daerah else daerah_dari(opd or wilayah) or by.daerah_id,
        user=user,
        peran=peran,
        opd=opd,
        wilayah=wilayah,
        mulai=mulai or timezone.localdate(),
        dibuat_oleh=by,
    )
    keanggotaan._history_user = by
    try:
        with transaction.atomic():
            keanggotaan.save()
    except IntegrityError:  # the same role saved a moment ago by a second submit
        raise ValidationError(_("%(user)s sudah memegang peran ini.") % {"user": user}) from None
    user.__dict__.pop("keanggotaan_aktif", None)
    user.__dict__.pop("daerah", None)
    return keanggotaan


@transaction.atomic
def pengguna_buat(
    *,
    username: str,
    nama_lengkap: str,
    peran: str,
    by: User,
    email: str = "",
    jabatan: str = "",
    telepon: str = "",
    nip: str = "",
    opd: Opd | None = None,
    wilayah: Wilayah | None = None,
    daerah: Wilayah | None = None,
) -> tuple[User, str]:
    """Create an account with its first membership and a temporary password, returned once.

    The person must change the temporary password when they first log in.
    """
    username = username.strip().lower()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": _("Nama pengguna %(u)s sudah dipakai.") % {"u": username}}
        )
    user = User(
        username=username,
        nama_lengkap=nama_lengkap.strip(),
        email=email.strip(),
        jabatan=jabatan.strip(),
        telepon=telepon.strip(),
        nip=nip.strip(),
        wajib_ganti_sandi=True,
    )
    password = _temporary_password()
    user.set_password(password)
    user.save()
    keanggotaan_tambah(user=user, peran=peran, opd=opd, wilayah=wilayah, by=by, daerah=daerah)
    return user, password


@transaction.atomic
def keanggotaan_akhiri(
    *, keanggotaan: Keanggotaan, by: User, alasan: str, selesai: date | None = None
) -> Keanggotaan:
    """End a membership on a day (today by default), keeping it in the history.

    Refuses a membership already ended and an end before its start.
    """
    locked = Keanggotaan.objects.select_for_update().get(pk=keanggotaan.pk)
    if locked.selesai is not None:
        raise ValidationError(
            _("Keanggotaan ini sudah diakhiri pada %(d)s.") % {"d": date_format(locked.selesai)}
        )
    selesai = selesai or timezone.localdate()
    if selesai > timezone.localdate():
        raise ValidationError({"selesai": _("Tanggal berakhir tidak boleh di masa depan.")})
    if selesai < locked.mulai:
        raise ValidationError({"selesai": _("Tanggal berakhir tidak boleh sebelum tanggal mulai.")})
    if not alasan.strip():
        raise ValidationError({"alasan": _("Tuliskan alasan keanggotaan berakhir.")})
    locked.selesai = selesai
    locked.alasan_selesai = alasan.strip()
    locked._history_user = by
    locked.save(update_fields=["selesai", "alasan_selesai"])
    # A person trained in KHA who leaves the agency they sit for: the secretariat must know.
    personil = Personil.objects.filter(user_id=locked.user_id, opd_id=locked.opd_id).first()
    masih = Keanggotaan.objects.aktif().filter(user_id=locked.user_id, opd_id=locked.opd_id)
    if personil and locked.opd_id and not masih.exists():
        personil_kepergian_kabari(personil=personil, opd=locked.opd, alasan=alasan)
    return locked


def pengguna_sandi_atur_ulang(*, user: User, by: User) -> str:
    """Give a person a new temporary password, returned once; they must change it at login."""
    if not user.is_active:
        raise ValidationError(_("Akun %(user)s tidak aktif.") % {"user": user})
    password = _temporary_password()
    user.set_password(password)
    user.wajib_ganti_sandi = True
    user.save(update_fields=["password", "wajib_ganti_sandi"])
    # A person locked out after too many wrong passwords can use the new one at once.
    axes_reset(username=user.username)
    return password


def pengguna_sandi_diganti(*, user: User) -> None:
    """Clear the must-change flag once the person has chosen their own password."""
    if user.wajib_ganti_sandi:
        user.wajib_ganti_sandi = False
        user.save(update_fields=["wajib_ganti_sandi"])
