"""The province's work on its kab/kota (DOMAIN: the evaluation chain).

The province serves a kab/kota and gives it its first secretariat account; assigns its
verification team, each member to the cities they verify; sets each city's deadline to send
its year, and extends it with a reason. A city's secretariat sends its verified year; the
province's verifiers then accept each answer (at the city's points or their own) or return it
with a reason, which sends it back through the city's own workflow (clusters.alur) until the
city verifies it again. Every step is kept in the records' history.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history

from agencies import services as agencies_services
from agencies.models import Keanggotaan, Peran, User, Wilayah
from agencies.services import Teks
from agencies.services.wilayah import kabkota_di_provinsi
from clusters import alur, scoring
from clusters import services as clusters_services
from clusters.models import EvaluasiDaerah, Jawaban, TahunEvaluasi, VerifikasiProvinsi
from clusters.services.skor import skor_perlu_dihitung
from kla_portal import versi as versi_lib

Status = VerifikasiProvinsi.Status


def provinsi_dari(user) -> Wilayah | None:
    """The province ``user`` works for: their membership's; for the installation's operator,
    the province of the first kab/kota served."""
    daerah = user.daerah
    if daerah is not None and daerah.tingkat == Wilayah.Tingkat.PROVINSI:
        return daerah
    if user.is_superuser and daerah is not None:
        return daerah.induk if daerah.tingkat == Wilayah.Tingkat.KABKOTA else None
    return None


def kota_provinsi(provinsi: Wilayah):
    """The kab/kota of the province this installation serves, by code."""
    return Wilayah.objects.dilayani().filter(induk=provinsi).order_by("kode")


def kota_belum_dilayani(provinsi: Wilayah) -> list[tuple[str, str]]:
    """The province's kab/kota in the Kemendagri list not served yet: what may be added."""
    dilayani = set(kota_provinsi(provinsi).values_list("kode", flat=True))
    return [
        (kode, nama) for kode, nama in kabkota_di_provinsi(provinsi.kode) if kode not in dilayani
    ]


@transaction.atomic
def kota_tambah(
    *, provinsi: Wilayah, kode: str, username: str, nama_lengkap: str, by: User
) -> tuple[Wilayah, User, str]:
    """Serve a kab/kota of the province with its regions, give it the instrument's data-source
    names to map, and create its first secretariat account; returns the city, the account and
    its temporary password (shown once)."""
    if kode not in dict(kota_belum_dilayani(provinsi)):
        raise ValidationError(
            {"kode": _("Pilih kabupaten/kota %(p)s yang belum dilayani portal.") % {"p": provinsi}}
        )
    kota = agencies_services.kabkota_layani(kode=kode).kabkota
    clusters_services.sumber_data_siapkan(daerah_id=kota.pk)
    user, sandi = agencies_services.pengguna_buat(
        username=username,
        nama_lengkap=nama_lengkap,
        peran=Peran.SEKRETARIAT,
        by=by,
        daerah=kota,
    )
    return kota, user, sandi


@transaction.atomic
def verifikator_tugaskan(
    *, provinsi: Wilayah, kota: Wilayah, by: User, user: User | None = None, **akun
) -> tuple[User, str]:
    """Assign a member of the province's verification team to a kab/kota: an existing account
    of the province (``user``), or a new one (``akun``: username, nama_lengkap); returns the
    account and, for a new one, its temporary password."""
    if kota.induk_id != provinsi.pk or kota.dilayani_sejak is None:
        raise ValidationError({"kota": _("Kabupaten/kota ini tidak dilayani provinsi Anda.")})
    sandi = ""
    if user is None:
        user, sandi = agencies_services.pengguna_buat(
            **akun, peran=Peran.VERIFIKATOR_PROVINSI, wilayah=kota, daerah=provinsi, by=by
        )
        return user, sandi
    if provinsi.pk not in user.daerah_ids():
        raise ValidationError({"user": _("Akun ini bukan akun provinsi Anda.")})
    agencies_services.keanggotaan_tambah(
        user=user, peran=Peran.VERIFIKATOR_PROVINSI, wilayah=kota, daerah=provinsi, by=by
    )
    return user, sandi


def _evaluasi(tahun: TahunEvaluasi, kota: Wilayah) -> EvaluasiDaerah:
    """The city's round of the year, locked (made when it is not yet)."""
    EvaluasiDaerah.objects.get_or_create(tahun=tahun, daerah=kota)
    return EvaluasiDaerah.objects.select_for_update().get(tahun=tahun, daerah=kota)


@transaction.atomic
def batas_atur(
    *, tahun: TahunEvaluasi, kota: Wilayah, batas: datetime.date, by: User, alasan: str = ""
) -> EvaluasiDaerah:
    """Set the day by which the city sends its year; moving a set day later is an extension
    and needs its reason."""
    evaluasi = _evaluasi(tahun, kota)
    if evaluasi.batas_kirim and batas > evaluasi.batas_kirim and not alasan.strip():
        raise ValidationError(
            {"alasan": _("Tuliskan alasan perpanjangan batas %(kota)s.") % {"kota": kota}}
        )
    evaluasi.batas_kirim = batas
    evaluasi.alasan_batas = alasan.strip()
    evaluasi._history_user = by
    evaluasi.save(update_fields=["batas_kirim", "alasan_batas"])
    return evaluasi


def hitung_jawaban(tahun: TahunEvaluasi, kota_id: int) -> dict[str, int]:
    """The city's city-level answers of the year in one aggregate: all of them (``semua``),
    those its secretariat has not verified (``belum``), and per province status."""
    return Jawaban.objects.filter(
        daerah_id=kota_id, pertanyaan__tahun=tahun, wilayah=None
    ).aggregate(
        semua=Count("pk"),
        belum=Count("pk", filter=~Q(status=alur.Status.TERVERIFIKASI)),
        **{s: Count("pk", filter=Q(verifikasi_provinsi__status=s)) for s in Status.values},
    )


def alasan_belum_dapat_dikirim(angka: dict[str, int]) -> str:
    """Why the city cannot send its year yet (``angka`` of hitung_jawaban): no answer, or
    answers its secretariat has not verified."""
    semua, belum = angka["semua"], angka["belum"]
    if not semua:
        return _("Belum ada jawaban yang dapat dikirim ke provinsi.")
    if belum:
        return _(
            "%(n)s dari %(semua)s jawaban belum diverifikasi Sekretariat. Verifikasi atau "
            "kembalikan semuanya dahulu, lalu kirim ke provinsi."
        ) % {"n": belum, "semua": semua}
    return ""


@transaction.atomic
def kirim_ke_provinsi(*, tahun: TahunEvaluasi, kota: Wilayah, by: User) -> EvaluasiDaerah:
    """The city's secretariat sends its verified year: every city-level answer waits for the
    province, and the verifiers assigned to the city are told."""
    evaluasi = _evaluasi(tahun, kota)
    if evaluasi.status_provinsi != EvaluasiDaerah.StatusProvinsi.BELUM:
        raise ValidationError(
            _("%(tahun)s sudah dikirim ke provinsi pada %(waktu)s.")
            % {
                "tahun": tahun,
                "waktu": date_format(
                    timezone.localtime(evaluasi.dikirim_provinsi), "DATETIME_FORMAT"
                ),
            }
        )
    alasan = alasan_belum_dapat_dikirim(hitung_jawaban(tahun, kota.pk))
    if alasan:
        raise ValidationError(alasan)
    evaluasi.status_provinsi = EvaluasiDaerah.StatusProvinsi.DIKIRIM
    evaluasi.dikirim_provinsi = timezone.now()
    evaluasi.dikirim_oleh = by
    evaluasi._history_user = by
    evaluasi.save(update_fields=["status_provinsi", "dikirim_provinsi", "dikirim_oleh"])
    jawaban = Jawaban.objects.filter(daerah=kota, pertanyaan__tahun=tahun, wilayah=None)
    bulk_create_with_history(
        [
            VerifikasiProvinsi(jawaban_id=pk, daerah=kota, diubah_oleh=by)
            for pk in jawaban.exclude(verifikasi_provinsi__isnull=False).values_list(
                "pk", flat=True
            )
        ],
        VerifikasiProvinsi,
        default_user=by,
    )
    agencies_services.notifikasi_kirim(
        penerima=verifikator_kota(kota),
        judul=Teks.dari(
            gettext_noop("%(kota)s mengirim evaluasi %(tahun)s untuk diverifikasi provinsi"),
            kota=str(kota),
            tahun=str(tahun.tahun),
        ),
        tautan=reverse("provinsi:verifikasi", args=[tahun.tahun, kota.pk]),
    )
    return evaluasi


def verifikator_kota(kota: Wilayah):
    """The active accounts of the province's team assigned to the city."""
    tim = Keanggotaan.objects.aktif().filter(peran=Peran.VERIFIKATOR_PROVINSI, wilayah=kota)
    return User.objects.filter(is_active=True, keanggotaan__in=tim).distinct()


@transaction.atomic
def verifikasi_provinsi(
    *,
    verifikasi: VerifikasiProvinsi,
    langkah: str,
    by: User,
    versi: int | None,
    poin: Decimal | None = None,
    alasan: str = "",
) -> VerifikasiProvinsi:
    """Accept an answer for the province (``terima``: at the city's verified points, or at
    ``poin``) or return it to the city (``kembalikan``, with ``alasan``). Refuses an answer not
    waiting for the province (a double submit, a stale page)."""
    verifikasi = versi_lib.kunci(
        VerifikasiProvinsi.objects.select_related("jawaban__pertanyaan__tahun"),
        verifikasi,
        versi,
        berlaku=lambda v: v.status == Status.MENUNGGU,
    )
    jawaban = verifikasi.jawaban
    if verifikasi.status != Status.MENUNGGU:
        raise ValidationError(
            _(
                "%(jawaban)s tidak menunggu verifikasi provinsi (status: %(status)s). "
                "Muat ulang halaman."
            )
            % {"jawaban": jawaban, "status": verifikasi.get_status_display()}
        )
    if langkah == "terima":
        poin = jawaban.poin_verifikator if poin is None else poin
        salah = scoring.salah_poin(poin, jawaban.pertanyaan.nilai_max) if poin is not None else ""
        if poin is None or salah:
            raise ValidationError({"poin": salah or _("Isi poin provinsi.")})
        verifikasi.status, verifikasi.poin, verifikasi.alasan = Status.DITERIMA, poin, ""
    elif langkah == "kembalikan":
        if not alasan.strip():
            raise ValidationError(
                {"alasan": _("Tuliskan alasannya agar kota tahu apa yang harus diperbaiki.")}
            )
        clusters_services.jawaban_kembalikan_provinsi(jawaban=jawaban, by=by, alasan=alasan)
        verifikasi.status, verifikasi.poin, verifikasi.alasan = (
            Status.DIKEMBALIKAN,
            None,
            alasan.strip(),
        )
    else:
        raise ValidationError(_("Langkah tidak dikenal."))
    versi_lib.simpan(verifikasi, by, ["status", "poin", "alasan"])
    _tandai_selesai(jawaban.pertanyaan.tahun, jawaban.daerah_id, by)
    skor_perlu_dihitung(tahun_id=jawaban.pertanyaan.tahun_id, daerah_id=jawaban.daerah_id)
    return verifikasi


def _tandai_selesai(tahun: TahunEvaluasi, kota_id: int, by: User) -> None:
    """The city's year is done for the province once every answer is accepted."""
    sisa = VerifikasiProvinsi.objects.filter(
        daerah_id=kota_id, jawaban__pertanyaan__tahun=tahun
    ).exclude(status=Status.DITERIMA)
    selesai = not sisa.exists()
    evaluasi = EvaluasiDaerah.objects.select_for_update().get(tahun=tahun, daerah_id=kota_id)
    status = (
        EvaluasiDaerah.StatusProvinsi.SELESAI if selesai else EvaluasiDaerah.StatusProvinsi.DIKIRIM
    )
    if evaluasi.status_provinsi != status:
        evaluasi.status_provinsi = status
        evaluasi._history_user = by
        evaluasi.save(update_fields=["status_provinsi"])
