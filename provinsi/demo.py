"""Demo data of the province of Banten: its accounts, and two more kab/kota with lighter data
beside Kota Serang, in different states of the province's verification.

- Kota Cilegon sent its 2024 year; the province accepted part of it (Madya on its verified
  total).
- Kabupaten Pandeglang sent its year; the province accepted every answer but one, which it
  returned with a reason. Without that answer Pandeglang sits just under Pratama: when its
  operator fixes it, its head approves, its secretariat verifies and the province accepts it,
  Pandeglang reaches Pratama and one city fewer stands between Banten and PROVILA.

Their answers are written in one go, already verified by their secretariats (a demo shortcut,
as for Kota Serang's 2023): what the demo shows is the province's step, which runs through the
real services (send, accept, return).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from agencies import services as agencies_services
from agencies.demo import AkunDemo, _akun
from agencies.models import Keanggotaan, Opd, Peran, User, Wilayah
from clusters import scoring
from clusters import services as clusters_services
from clusters.models import EvaluasiDaerah, Jawaban, Penugasan, Pertanyaan, TahunEvaluasi
from provinsi import services

KODE_PROVINSI = "36"
KOTA_SERANG, CILEGON, PANDEGLANG = "36.73", "36.72", "36.01"
# The verified total each lighter city's answers reach: Cilegon a Madya, Pandeglang just over
# the Pratama bound with its last answer (returned by the province), just under without it.
TARGET = {CILEGON: Decimal(640), PANDEGLANG: Decimal(500)}

AKUN_PROVINSI = [
    AkunDemo(
        "admin.provinsi",
        "Hj. Nurhayati",
        "Kepala DP3AKKB Provinsi Banten",
        Peran.ADMIN_PROVINSI,
        wilayah="Provinsi Banten",
    ),
    AkunDemo(
        "verifikator.provinsi",
        "Yusuf Maulana",
        "Tim Verifikasi KLA Provinsi Banten",
        Peran.VERIFIKATOR_PROVINSI,
        wilayah="Kota Serang, Kota Cilegon, Kab. Pandeglang",
    ),
    AkunDemo(
        "pimpinan.provinsi",
        "Drs. H. Ahmad Syafei",
        "Sekretaris Daerah Provinsi Banten",
        Peran.PIMPINAN_PROVINSI,
        wilayah="Provinsi Banten",
    ),
]


def _akun_kota(prefix: str, nama_kota: str) -> list[AkunDemo]:
    return [
        AkunDemo(
            f"sekretariat.{prefix}",
            f"Sekretariat KLA {nama_kota}",
            "Sekretariat Gugus Tugas",
            Peran.SEKRETARIAT,
            wilayah=nama_kota,
        ),
        AkunDemo(
            f"operator.{prefix}",
            f"Operator DP3A {nama_kota}",
            "Pengelola data KLA",
            Peran.OPERATOR_OPD,
            f"DP3A {nama_kota}",
        ),
        AkunDemo(
            f"kepala.{prefix}",
            f"Kepala DP3A {nama_kota}",
            "Kepala Dinas",
            Peran.KEPALA_OPD,
            f"DP3A {nama_kota}",
        ),
    ]


AKUN_KOTA = {
    CILEGON: _akun_kota("cilegon", "Kota Cilegon"),
    PANDEGLANG: _akun_kota("pandeglang", "Kab. Pandeglang"),
}


def seed(*, stdout=None) -> list[AkunDemo]:
    """Load the province's accounts and its two lighter cities; returns the accounts made."""
    admin = User.objects.get(username="admin")
    tahun = TahunEvaluasi.objects.get(tahun=2024)
    provinsi = Wilayah.objects.get(kode=KODE_PROVINSI)
    pengurus = _akun(AKUN_PROVINSI[0], superuser=False)
    _peran(pengurus, Peran.ADMIN_PROVINSI, admin, daerah=provinsi)
    # The province's own task force and meetings run on the city pages, as its secretariat.
    _peran(pengurus, Peran.SEKRETARIAT, admin, daerah=provinsi)
    _peran(
        _akun(AKUN_PROVINSI[2], superuser=False), Peran.PIMPINAN_PROVINSI, admin, daerah=provinsi
    )
    verifikator = _akun(AKUN_PROVINSI[1], superuser=False)
    baru = not EvaluasiDaerah.objects.filter(tahun=tahun).exclude(status_provinsi="belum").exists()
    for kode in (KOTA_SERANG, CILEGON, PANDEGLANG):
        kota = agencies_services.kabkota_layani(kode=kode).kabkota
        _peran(verifikator, Peran.VERIFIKATOR_PROVINSI, admin, daerah=provinsi, wilayah=kota)
    hari_ini = timezone.localdate()
    kota_serang = Wilayah.objects.get(kode=KOTA_SERANG)
    services.batas_atur(
        tahun=tahun, kota=kota_serang, batas=hari_ini + datetime.timedelta(days=30), by=pengurus
    )
    for kode in (CILEGON, PANDEGLANG):
        kota = Wilayah.objects.get(kode=kode)
        _kota(kota, tahun, admin)
        if baru:
            services.batas_atur(
                tahun=tahun, kota=kota, batas=hari_ini - datetime.timedelta(days=3), by=pengurus
            )
    if baru:
        _verifikasi(tahun, verifikator)
    for kode in (CILEGON, PANDEGLANG):
        clusters_services.skor_hitung(tahun=tahun, daerah_id=Wilayah.objects.get(kode=kode).pk)
    akun = [*AKUN_PROVINSI, *AKUN_KOTA[CILEGON], *AKUN_KOTA[PANDEGLANG]]
    if stdout:
        stdout.write(
            "Provinsi Banten: Kota Serang, Kota Cilegon (dikirim, sebagian diterima), "
            "Kab. Pandeglang (satu jawaban dikembalikan provinsi); "
            f"{len(akun)} akun provinsi dan kab/kota."
        )
    return akun


def _peran(
    user: User, peran: str, by: User, *, daerah: Wilayah, wilayah: Wilayah | None = None, opd=None
) -> None:
    if (
        not Keanggotaan.objects.aktif()
        .filter(user=user, peran=peran, daerah=daerah, wilayah=wilayah, opd=opd)
        .exists()
    ):
        agencies_services.keanggotaan_tambah(
            user=user, peran=peran, by=by, daerah=daerah, wilayah=wilayah, opd=opd
        )


def _kota(kota: Wilayah, tahun: TahunEvaluasi, admin: User) -> None:
    """A lighter city: its DP3A (lead of every question), accounts, and verified answers."""
    sekretariat, *staf = AKUN_KOTA[kota.kode]
    akun_sekretariat = _akun(sekretariat, superuser=False)
    _peran(akun_sekretariat, Peran.SEKRETARIAT, admin, daerah=kota)
    dp3a = Opd.objects.filter(daerah=kota, singkatan="DP3A").first() or agencies_services.opd_buat(
        nama=f"Dinas Pemberdayaan Perempuan dan Perlindungan Anak {kota.nama.title()}",
        singkatan="DP3A",
        jenis=Opd.Jenis.DINAS,
        by=akun_sekretariat,
    )
    for akun in staf:
        _peran(_akun(akun, superuser=False), akun.peran, admin, daerah=kota, opd=dp3a)
    clusters_services.sumber_data_siapkan(daerah_id=kota.pk)
    if Jawaban.objects.filter(daerah=kota, pertanyaan__tahun=tahun).exists():
        return
    pertanyaan = list(Pertanyaan.objects.filter(tahun=tahun).select_related("indikator"))
    Penugasan.objects.bulk_create(
        Penugasan(pertanyaan=p, opd=dp3a, utama=True, daerah=kota) for p in pertanyaan
    )
    penuh = _penuh_sampai(pertanyaan, TARGET[kota.kode])
    Jawaban.objects.bulk_create(_jawaban(p, dp3a, p.pk in penuh, admin) for p in pertanyaan)


def _penuh_sampai(pertanyaan: list[Pertanyaan], target: Decimal) -> list[int]:
    """The questions answered in full, in instrument order, until the capped total reaches
    ``target`` (the others get nothing): the last one is what takes it over."""
    sisa = {}
    total, penuh = Decimal(0), []
    for p in pertanyaan:
        if total >= target:
            break
        ruang = sisa.setdefault(p.indikator_id, p.indikator.nilai_max)
        tambah = min(p.nilai_max, ruang)
        if tambah <= 0:
            continue
        sisa[p.indikator_id] -= tambah
        total += tambah
        penuh.append(p.pk)
    return penuh


def _jawaban(p: Pertanyaan, opd: Opd, penuh: bool, admin: User) -> Jawaban:
    nilai = {
        Pertanyaan.CaraPenilaian.OPSI: {"fraksi": Decimal(1 if penuh else 0)},
        Pertanyaan.CaraPenilaian.CAKUPAN: {"cakupan_persen": Decimal(100 if penuh else 0)},
        Pertanyaan.CaraPenilaian.LANGSUNG: {"poin_langsung": p.nilai_max if penuh else Decimal(0)},
    }[p.cara_penilaian]
    poin = scoring.poin_pertanyaan(nilai_max=p.nilai_max, cara=p.cara_penilaian, **nilai)
    return Jawaban(
        pertanyaan=p,
        opd=opd,
        status=Jawaban.Status.TERVERIFIKASI,
        poin_opd=poin,
        poin_verifikator=poin,
        diubah_oleh=admin,
        **nilai,
    )


def _verifikasi(tahun: TahunEvaluasi, verifikator: User) -> None:
    """Both cities send their year; the province accepts half of Cilegon's answers, and every
    answer of Pandeglang's but the one that takes it over the Pratama bound, which it
    returns."""
    for kode in (CILEGON, PANDEGLANG):
        kota = Wilayah.objects.get(kode=kode)
        sekretariat = User.objects.get(username=AKUN_KOTA[kode][0].username)
        services.kirim_ke_provinsi(tahun=tahun, kota=kota, by=sekretariat)
        daftar = list(
            kota_vp(kota, tahun).order_by(
                "jawaban__pertanyaan__indikator__kelompok__urutan",
                "jawaban__pertanyaan__indikator__urutan",
                "jawaban__pertanyaan__urutan",
            )
        )
        if kode == CILEGON:
            terima, kembalikan = daftar[: len(daftar) // 2], []
        else:
            terakhir = max(
                (v for v in daftar if v.jawaban.poin_verifikator),
                key=lambda v: _urutan(v.jawaban.pertanyaan),
            )
            terima, kembalikan = [v for v in daftar if v != terakhir], [terakhir]
        for v in terima:
            services.verifikasi_provinsi(verifikasi=v, langkah="terima", by=verifikator, versi=None)
        for v in kembalikan:
            services.verifikasi_provinsi(
                verifikasi=v,
                langkah="kembalikan",
                by=verifikator,
                versi=None,
                alasan="Data dukung belum ada: lampirkan sertifikat atau SK yang berlaku.",
            )


def kota_vp(kota: Wilayah, tahun: TahunEvaluasi):
    from clusters.models import VerifikasiProvinsi

    return VerifikasiProvinsi.objects.filter(
        daerah=kota, jawaban__pertanyaan__tahun=tahun
    ).select_related("jawaban__pertanyaan__indikator__kelompok")


def _urutan(p: Pertanyaan) -> tuple:
    return (p.indikator.kelompok.urutan, p.indikator.urutan, p.urutan)
