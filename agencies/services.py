"""Writes of the agencies app: loading regions, agencies, accounts and memberships.

Every function takes keyword arguments, runs in one transaction and refuses with a
``ValidationError`` in Indonesian when the change would be wrong, so nothing half-done is left.
"""

from __future__ import annotations

import csv
import functools
import gzip
import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from axes.utils import reset as axes_reset
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agencies.gugus_tugas import NAMA_PELATIHAN_KHA, SUB_TIM_BAKU
from agencies.models import (
    PERAN_OPD,
    AnggotaGugusTugas,
    Fasilitas,
    GugusTugas,
    JenisFasilitas,
    Keanggotaan,
    Notifikasi,
    Opd,
    PelatihanKha,
    Peran,
    Personil,
    SkGugusTugas,
    StatusFasilitas,
    SubTim,
    User,
    Wilayah,
)
from kla_portal.berkas import dibuang_bila_gagal, periksa_berkas, simpan_berkas

WILAYAH_CSV = Path(__file__).resolve().parent / "data" / "wilayah_kepmendagri_2025.csv.gz"
KODE_KABKOTA = re.compile(r"\d{2}\.\d{2}")


@dataclass(frozen=True)
class HasilMuatWilayah:
    kabkota: Wilayah
    kecamatan: int
    kelurahan: int
    desa: int
    baru: int

    @property
    def desa_kelurahan(self) -> int:
        return self.kelurahan + self.desa


def _tingkat(kode: str) -> int:
    return kode.count(".") + 1


@functools.lru_cache(maxsize=8)
def _baris_kabkota(kode: str) -> list[tuple[str, str]]:
    """(kode, nama) of the kab/kota, its province and everything below it, parents first."""
    provinsi = kode[:2]
    rows = []
    with gzip.open(WILAYAH_CSV, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            row_kode = row["kode"]
            if row_kode in (provinsi, kode) or row_kode.startswith(f"{kode}."):
                rows.append((row_kode, row["nama"].strip()))
    rows.sort(key=lambda row: (_tingkat(row[0]), row[0]))
    return rows


def wilayah_load(*, kode: str) -> HasilMuatWilayah:
    """Load one kab/kota with its province, kecamatan and desa/kelurahan from the Kemendagri list.

    Idempotent: regions already present are left as they are. Refuses a malformed code, a code
    that is not a kab/kota, and a code absent from the list.
    """
    kode = kode.strip()
    if not KODE_KABKOTA.fullmatch(kode):
        if re.fullmatch(r"\d{2}", kode):
            raise ValidationError(
                _("Kode %(kode)s adalah provinsi. Muat satu kabupaten/kota, misalnya 36.73.")
                % {"kode": kode}
            )
        raise ValidationError(
            _(
                "Kode %(kode)r tidak valid: gunakan kode kabupaten/kota Kemendagri PP.KK, "
                "misalnya 36.73."
            )
            % {"kode": kode}
        )
    rows = _baris_kabkota(kode)
    if not any(row_kode == kode for row_kode, _nama in rows):
        raise ValidationError(
            _("Kode %(kode)s tidak ada dalam daftar wilayah Kemendagri 2025.") % {"kode": kode}
        )

    with transaction.atomic():
        known = dict(
            Wilayah.objects.filter(kode__in=[row_kode for row_kode, _nama in rows]).values_list(
                "kode", "pk"
            )
        )
        baru = 0
        for tingkat in Wilayah.Tingkat.values:
            fresh = [
                Wilayah(
                    kode=row_kode,
                    nama=nama,
                    tingkat=tingkat,
                    induk_id=known.get(row_kode.rsplit(".", 1)[0]) if tingkat > 1 else None,
                )
                for row_kode, nama in rows
                if _tingkat(row_kode) == tingkat and row_kode not in known
            ]
            Wilayah.objects.bulk_create(fresh, batch_size=500)
            baru += len(fresh)
            if fresh:
                known.update(
                    Wilayah.objects.filter(kode__in=[w.kode for w in fresh]).values_list(
                        "kode", "pk"
                    )
                )
    bawah = [row_kode for row_kode, _nama in rows if _tingkat(row_kode) == 4]
    return HasilMuatWilayah(
        kabkota=Wilayah.objects.get(kode=kode),
        kecamatan=sum(1 for row_kode, _nama in rows if _tingkat(row_kode) == 3),
        kelurahan=sum(1 for row_kode in bawah if row_kode[9] == "1"),
        desa=sum(1 for row_kode in bawah if row_kode[9] != "1"),
        baru=baru,
    )


# --- Agencies -----------------------------------------------------------------------------


def _check_opd_wilayah(*, jenis: str, wilayah: Wilayah | None) -> None:
    if jenis == Opd.Jenis.KECAMATAN and (
        wilayah is None or wilayah.tingkat != Wilayah.Tingkat.KECAMATAN
    ):
        raise ValidationError({"wilayah": _("Pilih kecamatan yang dilayani OPD kecamatan ini.")})


def opd_create(
    *, nama: str, singkatan: str, jenis: str, by: User, wilayah: Wilayah | None = None
) -> Opd:
    """Register an agency. Refuses a short name already used (ignoring case)."""
    _check_opd_wilayah(jenis=jenis, wilayah=wilayah)
    if Opd.objects.filter(singkatan__iexact=singkatan.strip()).exists():
        raise ValidationError(
            {"singkatan": _("Singkatan %(s)s sudah dipakai OPD lain.") % {"s": singkatan}}
        )
    opd = Opd(nama=nama.strip(), singkatan=singkatan.strip(), jenis=jenis, wilayah=wilayah)
    opd._history_user = by
    opd.save()
    return opd


def opd_update(*, opd: Opd, by: User, **fields) -> Opd:
    """Change an agency's name, short name, kind, area or active flag."""
    singkatan = fields.get("singkatan", opd.singkatan).strip()
    if Opd.objects.filter(singkatan__iexact=singkatan).exclude(pk=opd.pk).exists():
        raise ValidationError(
            {"singkatan": _("Singkatan %(s)s sudah dipakai OPD lain.") % {"s": singkatan}}
        )
    _check_opd_wilayah(
        jenis=fields.get("jenis", opd.jenis), wilayah=fields.get("wilayah", opd.wilayah)
    )
    for name, value in fields.items():
        setattr(opd, name, value.strip() if isinstance(value, str) else value)
    opd._history_user = by
    opd.save()
    return opd


# --- People and memberships ---------------------------------------------------------------


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
    elif wilayah is not None:
        raise ValidationError({"wilayah": _("Kecamatan/kelurahan hanya untuk operator wilayah.")})
    if opd is not None and not opd.aktif:
        raise ValidationError({"opd": _("OPD %(opd)s sudah tidak aktif.") % {"opd": opd}})
    duplicate = Keanggotaan.objects.aktif().filter(user=user, peran=peran, opd=opd, wilayah=wilayah)
    if duplicate.exists():
        raise ValidationError(_("%(user)s sudah memegang peran ini.") % {"user": user})


def keanggotaan_add(
    *,
    user: User,
    peran: str,
    by: User,
    opd: Opd | None = None,
    wilayah: Wilayah | None = None,
    mulai: date | None = None,
) -> Keanggotaan:
    """Give a person a role in an agency or area. Refuses a role they already hold there."""
    _check_membership(user=user, peran=peran, opd=opd, wilayah=wilayah)
    keanggotaan = Keanggotaan(
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
    return keanggotaan


@transaction.atomic
def user_create(
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
    keanggotaan_add(user=user, peran=peran, opd=opd, wilayah=wilayah, by=by)
    return user, password


@transaction.atomic
def keanggotaan_end(
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
        kabari_terlatih_pergi(personil=personil, opd=locked.opd, alasan=alasan)
    return locked


def user_reset_password(*, user: User, by: User) -> str:
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


def user_password_changed(*, user: User) -> None:
    """Clear the must-change flag once the person has chosen their own password."""
    if user.wajib_ganti_sandi:
        user.wajib_ganti_sandi = False
        user.save(update_fields=["wajib_ganti_sandi"])


# --- Notifications ------------------------------------------------------------------------


JUDUL_MAKS = 255


def judul_satu_baris(judul: str) -> str:
    """A notice's title as a notification and an e-mail subject hold it: a reason typed over
    several lines, or a long one, must not break the subject or the title's column. One line,
    cut to fit (the whole text is on the linked page)."""
    judul = " ".join(judul.split())
    if len(judul) > JUDUL_MAKS:
        judul = judul[: JUDUL_MAKS - 1].rstrip() + "…"
    return judul


def notifikasi_kirim(*, penerima, judul: str, tautan: str = "", email: bool = True) -> int:
    """Tell people something in the portal and, after the transaction commits, by e-mail."""
    judul = judul_satu_baris(judul)
    people = [user for user in dict.fromkeys(penerima) if user.is_active]
    Notifikasi.objects.bulk_create(
        Notifikasi(penerima=u, judul=judul, tautan=tautan) for u in people
    )
    addresses = [u.email for u in people if u.email]
    if email and addresses:
        body = f"{judul}\n\n{settings.KLA_URL}{tautan}" if tautan else judul

        def send():
            send_mass_mail(
                [(f"[Portal KLA] {judul}", body, None, [address]) for address in addresses],
                fail_silently=True,
            )

        transaction.on_commit(send)
    return len(people)


def notifikasi_baca(*, notifikasi: Notifikasi) -> None:
    if notifikasi.dibaca is None:
        notifikasi.dibaca = timezone.now()
        notifikasi.save(update_fields=["dibaca"])


def notifikasi_baca_semua(*, user: User) -> int:
    return user.notifikasi.belum_dibaca().update(dibaca=timezone.now())


def pengguna_dengan_peran(*, peran: str, opd: Opd | None = None, wilayah: Wilayah | None = None):
    """People holding a role today in an agency or an area."""
    memberships = Keanggotaan.objects.aktif().filter(peran=peran)
    if opd is not None:
        memberships = memberships.filter(opd=opd)
    if wilayah is not None:
        memberships = memberships.filter(wilayah=wilayah)
    return User.objects.filter(is_active=True, keanggotaan__in=memberships).distinct()


# --- The task force -----------------------------------------------------------------------


def _periksa_tanggal_lalu(tanggal: date, field: str) -> None:
    if tanggal > timezone.localdate():
        raise ValidationError({field: _("Tanggal tidak boleh di masa depan.")})


def _simpan_berkas(instance, field: str, berkas, nama_file: str, tersimpan: list) -> None:
    """Store an upload (checked before) in ``field`` (with ``<field>_nama``), noting it in
    ``tersimpan`` (kla_portal.berkas.dibuang_bila_gagal) so a failed save removes it again."""
    info = periksa_berkas(berkas)
    setattr(instance, f"{field}_nama", info.nama)
    simpan_berkas(getattr(instance, field), f"{nama_file}.{info.ekstensi}", berkas)
    tersimpan.append(getattr(instance, field))


@transaction.atomic
def gugus_tugas_buat(*, wilayah: Wilayah, by: User, nama: str = "") -> GugusTugas:
    """The task force of the kab/kota or of one kecamatan, with the standard sub-teams
    (Kelembagaan and the five clusters). Refuses a second one for the same area."""
    if wilayah.tingkat not in (Wilayah.Tingkat.KABKOTA, Wilayah.Tingkat.KECAMATAN):
        raise ValidationError(
            {"wilayah": _("Gugus Tugas dibentuk di tingkat kabupaten/kota atau kecamatan.")}
        )
    kota = Wilayah.objects.kabkota_dilayani()
    if kota is None or kota.pk not in (wilayah.pk, wilayah.induk_id):
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
        SubTim(gugus_tugas=gugus, nama=sub, urutan=i) for i, sub in enumerate(SUB_TIM_BAKU, 1)
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
    sk._history_user = by
    with dibuang_bila_gagal() as tersimpan:
        if berkas is not None:
            _simpan_berkas(sk, "berkas", berkas, "sk-gugus-tugas", tersimpan)
        sk.save()
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
        kabari_terlatih_pergi(personil=locked.personil, opd=locked.personil.opd, alasan=alasan)
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


def kabari_terlatih_pergi(*, personil: Personil, opd: Opd, alasan: str) -> int:
    """Tell the secretariat that an agency lost a person trained in KHA (who rotates out, as
    the studies found, and whose successor is never trained). Nothing for untrained people."""
    if not personil.pelatihan.exists():
        return 0
    return notifikasi_kirim(
        penerima=pengguna_dengan_peran(peran=Peran.SEKRETARIAT),
        judul=_(
            "%(opd)s kehilangan satu orang terlatih KHA: %(nama)s (%(alasan)s). Usulkan "
            "penggantinya mengikuti pelatihan KHA."
        )
        % {"opd": opd.singkatan, "nama": personil.nama, "alasan": alasan.strip()},
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
    pelatihan._history_user = by
    with dibuang_bila_gagal() as tersimpan:
        if sertifikat is not None:
            _simpan_berkas(pelatihan, "sertifikat", sertifikat, "sertifikat-kha", tersimpan)
        pelatihan.save()
    return pelatihan


# --- Sub-district facilities --------------------------------------------------------------

GAMBAR = {"image/jpeg", "image/png"}


@transaction.atomic
def fasilitas_simpan(
    *,
    wilayah: Wilayah,
    jenis: JenisFasilitas,
    status: int,
    by: User,
    versi: int,
    nomor_sk: str = "",
    tanggal_sk: date | None = None,
    keterangan: str = "",
    berkas_sk=None,
    foto=None,
) -> Fasilitas:
    """Record a unit's state for one kind of facility (creating its row on first save).

    ``versi`` is the version the form was built from (0 for a new row): a form built from an
    older version is refused, since someone saved in between. Refuses a kind not counted at the
    unit's level, a decreed or standardised state without its decree number, a decree dated in
    the future and a photo that is not a JPG or PNG.
    """
    if not jenis.berlaku_untuk(wilayah.tingkat):
        raise ValidationError(
            _("%(j)s tidak dicatat untuk %(w)s.") % {"j": jenis.nama, "w": wilayah.jenis.lower()}
        )
    fasilitas = (
        Fasilitas.objects.select_for_update(of=("self",))
        .select_related("diubah_oleh")
        .filter(wilayah=wilayah, jenis=jenis)
        .first()
    ) or Fasilitas(wilayah=wilayah, jenis=jenis, versi=0)
    if versi != fasilitas.versi:
        raise ValidationError(
            _(
                "Data %(j)s %(w)s sudah diubah oleh %(nama)s setelah Anda membuka halaman. Tidak "
                "ada yang disimpan: muat ulang halaman lalu ulangi."
            )
            % {"j": jenis.singkatan, "w": wilayah, "nama": fasilitas.diubah_oleh or _("orang lain")}
        )
    if status >= StatusFasilitas.DITETAPKAN and not nomor_sk.strip():
        raise ValidationError({"nomor_sk": _("Tuliskan nomor SK untuk status ini.")})
    if tanggal_sk:
        _periksa_tanggal_lalu(tanggal_sk, "tanggal_sk")
    # Every file is checked before any is stored: a refusal leaves nothing in storage.
    if berkas_sk is not None:
        periksa_berkas(berkas_sk)
    if foto is not None and periksa_berkas(foto).jenis not in GAMBAR:
        raise ValidationError({"foto": _("Foto harus berupa JPG atau PNG.")})
    fasilitas.status = status
    fasilitas.nomor_sk, fasilitas.tanggal_sk = nomor_sk.strip(), tanggal_sk
    fasilitas.keterangan = keterangan.strip()
    fasilitas.versi += 1
    fasilitas.diubah_oleh = by
    fasilitas._history_user = by
    with dibuang_bila_gagal() as tersimpan:
        if berkas_sk is not None:
            _simpan_berkas(fasilitas, "berkas_sk", berkas_sk, "sk-fasilitas", tersimpan)
        if foto is not None:
            _simpan_berkas(fasilitas, "foto", foto, "foto-fasilitas", tersimpan)
        try:
            with transaction.atomic():
                fasilitas.save()
        except IntegrityError:  # a first save of the same unit and kind a moment ago
            raise ValidationError(
                _(
                    "Data %(j)s %(w)s baru saja disimpan orang lain. Tidak ada yang disimpan: "
                    "muat ulang halaman lalu ulangi."
                )
                % {"j": jenis.singkatan, "w": wilayah}
            ) from None
    return fasilitas
