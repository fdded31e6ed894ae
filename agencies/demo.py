"""Demo data for Kota Serang: its regions, a realistic list of agencies, one account per role.

Run through ``python manage.py muat_demo``; safe to run again (nothing is duplicated). Demo
accounts carry ``is_demo`` and the pages say so, so nobody mistakes them for real data.
"""

import re
from dataclasses import dataclass

from agencies import services
from agencies.models import Keanggotaan, Opd, Peran, User, Wilayah

KODE_KOTA_SERANG = "36.73"
SANDI_DEMO = "demo12345"

J = Opd.Jenis
OPD_KOTA_SERANG = [
    ("Badan Perencanaan Pembangunan Daerah", "Bappeda", J.BADAN),
    (
        "Dinas Pemberdayaan Perempuan, Perlindungan Anak, "
        "Pengendalian Penduduk dan Keluarga Berencana",
        "DP3AP2KB",
        J.DINAS,
    ),
    ("Dinas Kesehatan", "Dinkes", J.DINAS),
    ("Dinas Pendidikan dan Kebudayaan", "Dindikbud", J.DINAS),
    ("Dinas Sosial", "Dinsos", J.DINAS),
    ("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", J.DINAS),
    ("Dinas Komunikasi, Informatika, Statistik dan Persandian", "Diskominfo", J.DINAS),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR", J.DINAS),
    ("Dinas Perumahan dan Kawasan Permukiman", "Disperkim", J.DINAS),
    ("Dinas Lingkungan Hidup", "DLH", J.DINAS),
    ("Dinas Perhubungan", "Dishub", J.DINAS),
    ("Dinas Pemuda, Olahraga dan Pariwisata", "Disporapar", J.DINAS),
    ("Dinas Perpustakaan dan Kearsipan", "Dispusip", J.DINAS),
    ("Dinas Tenaga Kerja", "Disnaker", J.DINAS),
    ("Dinas Koperasi, UKM, Perindustrian dan Perdagangan", "Diskoperindag", J.DINAS),
    ("Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD", J.BADAN),
    ("Badan Kesatuan Bangsa dan Politik", "Kesbangpol", J.BADAN),
    ("Badan Penanggulangan Bencana Daerah", "BPBD", J.BADAN),
    ("Inspektorat Daerah", "Inspektorat", J.SATUAN),
    ("Satuan Polisi Pamong Praja", "Satpol PP", J.SATUAN),
    ("Rumah Sakit Umum Daerah Kota Serang", "RSUD", J.SATUAN),
    ("Bagian Hukum Sekretariat Daerah", "Bagian Hukum", J.BAGIAN),
    ("Bagian Kesejahteraan Rakyat Sekretariat Daerah", "Bagian Kesra", J.BAGIAN),
    ("Kepolisian Resor Serang Kota", "Polresta", J.VERTIKAL),
    ("Kantor Kementerian Agama Kota Serang", "Kemenag", J.VERTIKAL),
    ("Pengadilan Agama Serang", "PA Serang", J.VERTIKAL),
    ("Badan Pusat Statistik Kota Serang", "BPS", J.VERTIKAL),
    ("Kejaksaan Negeri Serang", "Kejari", J.VERTIKAL),
    ("Badan Narkotika Nasional Kota Serang", "BNNK", J.VERTIKAL),
    ("Forum Anak Kota Serang", "Forum Anak", J.FORUM_ANAK),
    ("Tim Penggerak PKK Kota Serang", "TP PKK", J.MASYARAKAT),
    ("Forum Tanggung Jawab Sosial Perusahaan Kota Serang", "Forum CSR", J.DUNIA_USAHA),
    ("Persatuan Wartawan Indonesia Kota Serang", "PWI", J.MEDIA),
]


@dataclass(frozen=True)
class AkunDemo:
    username: str
    nama: str
    jabatan: str
    peran: str
    opd: str = ""  # short name of the agency
    wilayah: str = ""  # Kemendagri code of the kecamatan or kelurahan


AKUN_DEMO = [
    AkunDemo("admin", "Admin Portal", "Pengelola teknis portal", Peran.ADMIN),
    AkunDemo(
        "sekretariat",
        "Rina Marlina",
        "Kepala Bidang Pemenuhan Hak Anak",
        Peran.SEKRETARIAT,
        "DP3AP2KB",
    ),
    AkunDemo(
        "bappeda",
        "Agus Setiawan",
        "Kepala Bidang Pemerintahan dan Pembangunan Manusia",
        Peran.BAPPEDA,
        "Bappeda",
    ),
    AkunDemo("pimpinan", "Hj. Sri Wahyuni", "Sekretaris Daerah", Peran.PIMPINAN),
    AkunDemo(
        "kepala.dinkes", "dr. Hendra Gunawan", "Kepala Dinas Kesehatan", Peran.KEPALA_OPD, "Dinkes"
    ),
    AkunDemo(
        "operator.dinkes",
        "Siti Nurhaliza",
        "Pengelola Program Kesehatan Anak",
        Peran.OPERATOR_OPD,
        "Dinkes",
    ),
    AkunDemo(
        "operator.dinsos",
        "Budi Santoso",
        "Analis Rehabilitasi Sosial",
        Peran.OPERATOR_OPD,
        "Dinsos",
    ),
    AkunDemo("camat.serang", "Drs. Asep Saepudin", "Camat Serang", Peran.KEPALA_OPD, "Kec. Serang"),
    AkunDemo(
        "operator.kasemen",
        "Ahmad Fauzi",
        "Kepala Seksi Kesejahteraan Sosial",
        Peran.OPERATOR_WILAYAH,
        wilayah="36.73.02",
    ),
    AkunDemo(
        "operator.cipare",
        "Dewi Lestari",
        "Sekretaris Kelurahan Cipare",
        Peran.OPERATOR_WILAYAH,
        wilayah="36.73.01.1002",
    ),
]


def seed(*, stdout=None) -> list[AkunDemo]:
    """Load Kota Serang, its agencies and the demo accounts; returns the accounts made."""
    hasil = services.wilayah_muat(kode=KODE_KOTA_SERANG)
    admin = _akun(AKUN_DEMO[0], superuser=True)
    for nama, singkatan, jenis in OPD_KOTA_SERANG:
        if not Opd.objects.filter(singkatan__iexact=singkatan).exists():
            services.opd_buat(nama=nama, singkatan=singkatan, jenis=jenis, by=admin)
    for kecamatan in Wilayah.objects.di_dalam(hasil.kabkota).kecamatan():
        if not Opd.objects.filter(wilayah=kecamatan).exists():
            services.opd_buat(
                nama=f"Kecamatan {kecamatan.nama}",
                singkatan=f"Kec. {kecamatan.nama}",
                jenis=Opd.Jenis.KECAMATAN,
                wilayah=kecamatan,
                by=admin,
            )
    for akun in AKUN_DEMO:
        user = _akun(akun, superuser=akun.peran == Peran.ADMIN)
        opd = Opd.objects.get(singkatan=akun.opd) if akun.opd else None
        wilayah = Wilayah.objects.get(kode=akun.wilayah) if akun.wilayah else None
        if not Keanggotaan.objects.aktif().filter(user=user, peran=akun.peran).exists():
            services.keanggotaan_tambah(
                user=user, peran=akun.peran, opd=opd, wilayah=wilayah, by=admin
            )
    _kepala_tiap_opd(admin)
    if stdout:
        stdout.write(
            f"{hasil.kabkota.nama}: {hasil.kecamatan} kecamatan, "
            f"{hasil.desa_kelurahan} kelurahan/desa; {Opd.objects.count()} OPD; "
            f"{len(AKUN_DEMO)} akun demo."
        )
    return AKUN_DEMO


def _akun(akun: AkunDemo, *, superuser: bool) -> User:
    user, _created = User.objects.get_or_create(
        username=akun.username,
        defaults={"nama_lengkap": akun.nama, "jabatan": akun.jabatan, "is_demo": True},
    )
    user.set_password(SANDI_DEMO)
    user.is_staff = user.is_superuser = superuser
    user.wajib_ganti_sandi = False
    user.save()
    return user


# Left without a camat account on purpose: its operator's answer page shows why nothing can be
# sent to the camat yet, and whom to ask (clusters.alur).
KECAMATAN_TANPA_CAMAT = "36.73.02"  # Kasemen


def _kepala_tiap_opd(admin: User) -> None:
    """A head account for every agency and kecamatan office that has none (the admin cannot
    stand in: whoever sends an answer or report may not approve it), Kasemen's office apart."""
    berkepala = Keanggotaan.objects.aktif().filter(peran=Peran.KEPALA_OPD).values("opd_id")
    for opd in Opd.objects.exclude(pk__in=berkepala).select_related("wilayah").order_by("pk"):
        if opd.wilayah and opd.wilayah.kode == KECAMATAN_TANPA_CAMAT:
            continue
        if opd.jenis == Opd.Jenis.KECAMATAN and opd.wilayah:
            akun = AkunDemo(
                f"camat.{re.sub(r'[^a-z0-9]+', '', opd.wilayah.nama.lower())}",
                f"Camat {opd.wilayah.nama.title()}",
                f"Camat {opd.wilayah.nama.title()}",
                Peran.KEPALA_OPD,
            )
        else:
            akun = AkunDemo(
                f"kepala.{re.sub(r'[^a-z0-9]+', '', opd.singkatan.lower())}",
                f"Kepala {opd.nama}",
                f"Kepala {opd.nama}",
                Peran.KEPALA_OPD,
            )
        user = _akun(akun, superuser=False)
        services.keanggotaan_tambah(user=user, peran=Peran.KEPALA_OPD, opd=opd, by=admin)
