"""Demo data for the RAD KLA of Kota Serang 2025–2029: the plan with its Perwal, the city's
APBD, about 150 actions of the city's agencies across every cluster, and the quarterly reports
of every quarter that has started, in every state a real year shows.

Everything is written through rencana_aksi.services, so histories, versions and notifications
are what the portal would have made itself. Seeded: every run on an empty database gives the
same picture; a plan that already has actions is left as it is.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from agencies.models import Notifikasi, Opd, Peran, User, Wilayah
from agencies.services import pengguna_dengan_peran
from clusters.demo import contoh_pdf
from rencana_aksi import services
from rencana_aksi.models import Aksi, Klaster, PeriodeRad, Realisasi, SumberDana, batas_lapor
from rencana_aksi.services import DataAksi

TAHUN_MULAI = 2025
DASAR_HUKUM = (
    "Peraturan Wali Kota Serang Nomor 12 Tahun 2025 tentang Rencana Aksi Daerah "
    "Kota Layak Anak Tahun 2025–2029"
)
# The city's total APBD per year (Rp): realised 2025, set 2026, projected after.
APBD = {
    2025: Decimal("1654318250000"),
    2026: Decimal("1712946800000"),
    2027: Decimal("1768500000000"),
    2028: Decimal("1826000000000"),
    2029: Decimal("1884000000000"),
}
JUTA = Decimal(1_000_000)

# Kepmendagri 050-5889/2021 nomenclature used by the actions below (programme, kegiatan).
PROGRAM = {
    "1.01.02": "Program Pengelolaan Pendidikan",
    "1.02.02": "Program Pemenuhan Upaya Kesehatan Perorangan dan Upaya Kesehatan Masyarakat",
    "1.02.03": "Program Peningkatan Kapasitas Sumber Daya Manusia Kesehatan",
    "1.02.05": "Program Pemberdayaan Masyarakat Bidang Kesehatan",
    "1.03.03": "Program Pengelolaan dan Pengembangan Sistem Penyediaan Air Minum",
    "1.03.05": "Program Pengelolaan dan Pengembangan Sistem Air Limbah",
    "1.03.10": "Program Penyelenggaraan Jalan",
    "1.04.04": "Program Peningkatan Prasarana, Sarana dan Utilitas Umum (PSU)",
    "1.05.02": "Program Peningkatan Ketenteraman dan Ketertiban Umum",
    "1.05.03": "Program Penanggulangan Bencana",
    "1.06.04": "Program Rehabilitasi Sosial",
    "1.06.06": "Program Penanganan Bencana",
    "2.07.05": "Program Hubungan Industrial",
    "2.08.05": "Program Peningkatan Kualitas Keluarga",
    "2.08.06": "Program Pengelolaan Sistem Data Gender dan Anak",
    "2.08.07": "Program Pemenuhan Hak Anak (PHA)",
    "2.08.08": "Program Perlindungan Khusus Anak",
    "2.11.09": "Program Peningkatan Pendidikan, Pelatihan dan Penyuluhan Lingkungan Hidup",
    "2.12.02": "Program Pendaftaran Penduduk",
    "2.12.03": "Program Pencatatan Sipil",
    "2.14.04": "Program Pemberdayaan dan Peningkatan Keluarga Sejahtera (KS)",
    "2.15.02": "Program Penyelenggaraan Lalu Lintas dan Angkutan Jalan (LLAJ)",
    "2.16.02": "Program Informasi dan Komunikasi Publik",
    "2.19.03": "Program Pengembangan Kapasitas Daya Saing Keolahragaan",
    "2.22.02": "Program Pengembangan Kebudayaan",
    "2.23.02": "Program Pembinaan Perpustakaan",
    "3.26.02": "Program Peningkatan Daya Tarik Destinasi Pariwisata",
    "4.01.02": "Program Pemerintahan dan Kesejahteraan Rakyat",
    "5.01.02": "Program Perencanaan, Pengendalian dan Evaluasi Pembangunan Daerah",
    "7.01.02": "Program Penyelenggaraan Pemerintahan dan Pelayanan Publik",
    "7.01.04": "Program Pemberdayaan Masyarakat Desa dan Kelurahan",
    "8.01.05": "Program Pembinaan dan Pengembangan Ketahanan Ekonomi, Sosial, dan Budaya",
}
KEGIATAN = {
    "1.01.02.2.01": "Pengelolaan Pendidikan Sekolah Dasar",
    "1.01.02.2.02": "Pengelolaan Pendidikan Sekolah Menengah Pertama",
    "1.01.02.2.03": "Pengelolaan Pendidikan Anak Usia Dini (PAUD)",
    "1.01.02.2.04": "Pengelolaan Pendidikan Nonformal/Kesetaraan",
    "1.02.02.2.01": "Penyediaan Fasilitas Pelayanan Kesehatan untuk UKM dan UKP Kewenangan "
    "Daerah Kabupaten/Kota",
    "1.02.02.2.02": "Penyediaan Layanan Kesehatan untuk UKM dan UKP Rujukan Tingkat Daerah "
    "Kabupaten/Kota",
    "1.02.03.2.02": "Pengembangan Mutu dan Peningkatan Kompetensi Teknis Sumber Daya Manusia "
    "Kesehatan Tingkat Daerah Kabupaten/Kota",
    "1.02.05.2.01": "Advokasi, Pemberdayaan, Kemitraan, Peningkatan Peran serta Masyarakat dan "
    "Lintas Sektor Tingkat Daerah Kabupaten/Kota",
    "1.03.03.2.01": "Pengelolaan dan Pengembangan Sistem Penyediaan Air Minum (SPAM) di Daerah "
    "Kabupaten/Kota",
    "1.03.05.2.01": "Pengelolaan dan Pengembangan Sistem Air Limbah Domestik dalam Daerah "
    "Kabupaten/Kota",
    "1.03.10.2.01": "Penyelenggaraan Jalan Kabupaten/Kota",
    "1.04.04.2.01": "Penyelenggaraan Prasarana, Sarana dan Utilitas Umum di Perumahan",
    "1.05.02.2.01": "Penanganan Gangguan Ketenteraman dan Ketertiban Umum dalam 1 (Satu) Daerah "
    "Kabupaten/Kota",
    "1.05.03.2.02": "Pelayanan Pencegahan dan Kesiapsiagaan terhadap Bencana",
    "1.06.04.2.01": "Rehabilitasi Sosial Dasar Penyandang Disabilitas Terlantar, Anak Terlantar, "
    "Lanjut Usia Terlantar, serta Gelandangan Pengemis di Luar Panti Sosial",
    "1.06.04.2.02": "Rehabilitasi Sosial Penyandang Masalah Kesejahteraan Sosial (PMKS) Lainnya "
    "Bukan Korban HIV/AIDS dan NAPZA di Luar Panti Sosial",
    "1.06.06.2.01": "Penanganan Korban Bencana Alam dan Sosial Kabupaten/Kota",
    "2.07.05.2.02": "Pencegahan Perselisihan Hubungan Industrial, Mogok Kerja dan Penutupan "
    "Perusahaan",
    "2.08.05.2.02": "Penyediaan Layanan bagi Keluarga dalam Meningkatkan Kualitas Keluarga",
    "2.08.06.2.01": "Pengumpulan, Pengolahan Analisis dan Penyajian Data Gender dan Anak dalam "
    "Kelembagaan Data di Tingkat Daerah Kabupaten/Kota",
    "2.08.07.2.01": "Pelembagaan Pemenuhan Hak Anak (PHA) pada Lembaga Pemerintah, "
    "Nonpemerintah, dan Dunia Usaha Kewenangan Kabupaten/Kota",
    "2.08.07.2.02": "Penguatan dan Pengembangan Lembaga Penyedia Layanan Peningkatan Kualitas "
    "Hidup Anak Kewenangan Kabupaten/Kota",
    "2.08.08.2.01": "Pencegahan Kekerasan terhadap Anak yang Melibatkan para Pihak Lingkup "
    "Daerah Kabupaten/Kota",
    "2.08.08.2.02": "Penyediaan Layanan bagi Anak yang Memerlukan Perlindungan Khusus yang "
    "Memerlukan Koordinasi Tingkat Daerah Kabupaten/Kota",
    "2.11.09.2.01": "Penyelenggaraan Pendidikan, Pelatihan, dan Penyuluhan Lingkungan Hidup "
    "untuk Lembaga Kemasyarakatan Tingkat Daerah Kabupaten/Kota",
    "2.12.02.2.01": "Pelayanan Pendaftaran Penduduk",
    "2.12.03.2.01": "Pelayanan Pencatatan Sipil",
    "2.14.04.2.01": "Pelaksanaan Pembangunan Keluarga melalui Pembinaan Ketahanan dan "
    "Kesejahteraan Keluarga",
    "2.15.02.2.02": "Penyediaan Perlengkapan Jalan di Jalan Kabupaten/Kota",
    "2.16.02.2.01": "Pengelolaan Informasi dan Komunikasi Publik Pemerintah Daerah Kabupaten/Kota",
    "2.19.03.2.02": "Penyelenggaraan Kejuaraan Olahraga Tingkat Daerah Kabupaten/Kota",
    "2.22.02.2.01": "Pengelolaan Kesenian Tradisional",
    "2.23.02.2.01": "Pengelolaan Perpustakaan Tingkat Daerah Kabupaten/Kota",
    "2.23.02.2.02": "Pembudayaan Gemar Membaca Tingkat Daerah Kabupaten/Kota",
    "3.26.02.2.01": "Pengelolaan Daya Tarik Wisata Kabupaten/Kota",
    "4.01.02.2.02": "Pelaksanaan Kebijakan Kesejahteraan Rakyat",
    "4.01.02.2.03": "Fasilitasi dan Koordinasi Hukum",
    "5.01.02.2.01": "Penyusunan Perencanaan dan Pendanaan",
    "5.01.02.2.02": "Analisis Data dan Informasi Perencanaan Pembangunan Daerah",
    "7.01.02.2.01": "Koordinasi Penyelenggaraan Kegiatan Pemerintahan di Tingkat Kecamatan",
    "7.01.04.2.01": "Pemberdayaan Masyarakat Desa dan Kelurahan",
}


@dataclass(frozen=True)
class Contoh:
    """One action of the demo plan. ``opd`` is the lead agency's short name, or ``KEC`` for a
    kecamatan office (the action is then repeated for each kecamatan, ``{kec}`` in its name)."""

    klaster: str
    indikator: tuple[str, ...]
    opd: str
    pendukung: tuple[str, ...]
    sub_kode: str
    sub_nama: str
    nama: str
    ik: str
    satuan: str
    target: tuple[int | float, ...]
    pagu: int  # million rupiah in the first year
    sumber: str = SumberDana.APBD


K = Klaster
KL, K1, K2, K3, K4, K5, KD = (
    K.KELEMBAGAAN,
    K.KLASTER_1,
    K.KLASTER_2,
    K.KLASTER_3,
    K.KLASTER_4,
    K.KLASTER_5,
    K.KELANA_DEKELA,
)
APBN, DAK, CSR = SumberDana.APBN, SumberDana.DAK, SumberDana.CSR
SETIAP_TAHUN = (1, 1, 1, 1, 1)

# fmt: off
KOTA = [
    # --- Kelembagaan ---------------------------------------------------------------------
    Contoh(KL, ("Indikator 1",), "Bagian Hukum", ("DP3AP2KB",), "4.01.02.2.03.0001",
           "Fasilitasi Penyusunan Perundang-undangan",
           "Penyusunan Rancangan Peraturan Daerah tentang Penyelenggaraan Kota Layak Anak",
           "Raperda KLA dibahas bersama DPRD", "dokumen", SETIAP_TAHUN, 85),
    Contoh(KL, ("Indikator 1", "Indikator 17"), "Bagian Hukum", ("Dinkes", "Satpol PP"),
           "4.01.02.2.03.0001", "Fasilitasi Penyusunan Perundang-undangan",
           "Penyusunan Peraturan Wali Kota tentang Kawasan Tanpa Rokok",
           "Perwal KTR ditetapkan dan disosialisasikan", "dokumen", SETIAP_TAHUN, 40),
    Contoh(KL, ("Indikator 2",), "DP3AP2KB", ("Bappeda",), "2.08.07.2.01.0002",
           "Koordinasi dan Sinkronisasi Pelembagaan Pemenuhan Hak Anak",
           "Rapat koordinasi bulanan Gugus Tugas KLA",
           "Rakor gugus tugas terlaksana dengan notulen", "kegiatan", (12, 12, 12, 12, 12), 85),
    Contoh(KL, ("Indikator 2",), "DP3AP2KB", ("Bappeda", "Kesbangpol"), "2.08.07.2.01.0002",
           "Koordinasi dan Sinkronisasi Pelembagaan Pemenuhan Hak Anak",
           "Pelatihan Konvensi Hak Anak (KHA) bagi anggota Gugus Tugas KLA",
           "Anggota gugus tugas terlatih KHA", "orang", (40, 50, 60, 60, 60), 120),
    Contoh(KL, ("Indikator 2",), "DP3AP2KB", ("BPS", "Bappeda"), "2.08.06.2.01.0001",
           "Pengumpulan, Pengolahan, Analisis dan Penyajian Data Gender dan Anak",
           "Penyusunan profil anak Kota Serang", "Profil anak terbit", "dokumen",
           SETIAP_TAHUN, 95),
    Contoh(KL, ("Indikator 2",), "Bappeda", ("DP3AP2KB",), "5.01.02.2.01.0005",
           "Koordinasi Penyusunan Dokumen Perencanaan Pembangunan Daerah",
           "Pengintegrasian RAD KLA ke dalam RKPD dan Renja OPD",
           "Renja OPD yang memuat aksi RAD KLA", "OPD", (15, 18, 20, 22, 24), 60),
    Contoh(KL, ("Indikator 2",), "Bappeda", ("DP3AP2KB", "Inspektorat"), "5.01.02.2.02.0001",
           "Analisis Data dan Informasi Pemerintahan dan Pembangunan Manusia",
           "Pemantauan dan evaluasi triwulanan RAD KLA", "Laporan pemantauan triwulanan",
           "laporan", (4, 4, 4, 4, 4), 45),
    Contoh(KL, ("Indikator 2", "Indikator 5"), "Diskominfo", ("DP3AP2KB",), "2.16.02.2.01.0002",
           "Pengelolaan Konten dan Perencanaan Media Komunikasi Publik",
           "Pengembangan portal data KLA terpadu", "Modul portal yang berjalan", "modul",
           (2, 3, 4, 4, 5), 150),
    Contoh(KL, ("Indikator 3",), "DP3AP2KB", ("Forum CSR", "Diskoperindag"),
           "2.08.07.2.01.0001", "Advokasi Kebijakan dan Pendampingan Pemenuhan Hak Anak",
           "Pembinaan perusahaan ramah anak bersama APSAI",
           "Perusahaan yang menerapkan prinsip ramah anak", "perusahaan", (5, 8, 10, 12, 15), 70),
    Contoh(KL, ("Indikator 3",), "Diskominfo", ("PWI", "DP3AP2KB"), "2.16.02.2.01.0002",
           "Pengelolaan Konten dan Perencanaan Media Komunikasi Publik",
           "Pelatihan jurnalistik ramah anak bagi media lokal",
           "Jurnalis terlatih pemberitaan ramah anak", "orang", (20, 25, 30, 30, 30), 40),
    Contoh(KL, ("Indikator 3",), "Forum CSR", ("DP3AP2KB", "Bappeda"), "", "",
           "Program tanggung jawab sosial perusahaan untuk pemenuhan hak anak",
           "Program CSR untuk anak yang disepakati", "program", (3, 4, 5, 5, 6), 400, CSR),
    Contoh(KL, ("Indikator 3", "Indikator 20"), "Bagian Kesra", ("Kemenag",),
           "4.01.02.2.02.0004", "Fasilitasi Pengembangan Kehidupan Beragama",
           "Pembinaan rumah ibadah ramah anak", "Rumah ibadah ramah anak", "rumah ibadah",
           (6, 12, 18, 24, 30), 55),
    Contoh(KL, ("Indikator 3",), "DP3AP2KB", ("TP PKK",), "2.08.07.2.01.0001",
           "Advokasi Kebijakan dan Pendampingan Pemenuhan Hak Anak",
           "Pelibatan kader PKK dalam sosialisasi hak anak di kelurahan",
           "Kelurahan yang disosialisasi", "kelurahan", (20, 35, 50, 67, 67), 65),
    # --- Klaster I -------------------------------------------------------------------------
    Contoh(K1, ("Indikator 4",), "Disdukcapil", ("Dinkes", "RSUD"), "2.12.03.2.01.0001",
           "Pelayanan Pencatatan Sipil",
           "Layanan akta kelahiran terpadu di rumah sakit dan puskesmas",
           "Cakupan kepemilikan akta kelahiran anak", "persen", (93, 95, 96, 97, 98), 180),
    Contoh(K1, ("Indikator 4",), "Disdukcapil", ("Dindikbud",), "2.12.02.2.01.0003",
           "Penerbitan Dokumen Pendaftaran Penduduk", "Penerbitan Kartu Identitas Anak (KIA)",
           "Anak yang memiliki KIA", "anak", (15000, 20000, 25000, 30000, 35000), 140),
    Contoh(K1, ("Indikator 5",), "Dispusip", ("Dindikbud",), "2.23.02.2.02.0002",
           "Pengembangan Literasi Berbasis Inklusi Sosial",
           "Layanan perpustakaan keliling ke sekolah dan kelurahan",
           "Kunjungan perpustakaan keliling", "kunjungan", (96, 120, 144, 144, 160), 110),
    Contoh(K1, ("Indikator 5",), "Diskominfo", ("DP3AP2KB", "Dispusip"), "2.16.02.2.01.0001",
           "Pengelolaan Informasi dan Komunikasi Publik",
           "Pojok informasi layak anak (ILA) di ruang publik", "Titik ILA tersedia", "titik",
           (5, 10, 15, 20, 25), 75),
    Contoh(K1, ("Indikator 5",), "Dispusip", (), "2.23.02.2.01.0002",
           "Pengembangan Koleksi Perpustakaan", "Penambahan koleksi bacaan anak",
           "Eksemplar buku anak yang ditambahkan", "eksemplar", (2000, 2500, 3000, 3000, 3500),
           160),
    Contoh(K1, ("Indikator 6",), "DP3AP2KB", ("Forum Anak",), "2.08.07.2.02.0001",
           "Penyediaan Layanan Peningkatan Kualitas Hidup Anak",
           "Pembinaan Forum Anak Kota Serang sebagai pelopor dan pelapor",
           "Anggota forum anak terlatih", "anak", (60, 80, 100, 100, 120), 130),
    Contoh(K1, ("Indikator 6",), "Bappeda", ("Forum Anak", "DP3AP2KB"), "5.01.02.2.01.0002",
           "Koordinasi Penyusunan Dokumen RKPD", "Musrenbang anak tingkat kota",
           "Usulan anak yang masuk RKPD", "usulan", (10, 12, 15, 15, 15), 45),
    Contoh(K1, ("Indikator 6",), "DP3AP2KB", ("Forum Anak",), "2.08.07.2.02.0001",
           "Penyediaan Layanan Peningkatan Kualitas Hidup Anak",
           "Kongres anak dan penyampaian suara anak kepada Wali Kota",
           "Kongres anak terlaksana", "kegiatan", SETIAP_TAHUN, 60),
    # --- Klaster II ------------------------------------------------------------------------
    Contoh(K2, ("Indikator 7",), "DP3AP2KB", ("Kemenag", "Dindikbud"), "2.14.04.2.01.0003",
           "Pembinaan Pusat Informasi dan Konseling Remaja (PIK-R)",
           "Pembinaan PIK Remaja untuk pencegahan perkawinan anak", "PIK-R aktif", "PIK-R",
           (20, 25, 30, 35, 40), 90),
    Contoh(K2, ("Indikator 7",), "PA Serang", ("DP3AP2KB",), "", "",
           "Asesmen psikologis pada permohonan dispensasi kawin",
           "Permohonan dispensasi kawin yang diasesmen", "persen", (60, 75, 90, 100, 100), 25,
           APBN),
    Contoh(K2, ("Indikator 7",), "Kemenag", ("DP3AP2KB",), "", "",
           "Bimbingan Remaja Usia Sekolah (BRUS) tentang pencegahan perkawinan anak",
           "Sekolah/madrasah yang mendapat BRUS", "sekolah", (10, 15, 20, 25, 30), 35, APBN),
    Contoh(K2, ("Indikator 8",), "DP3AP2KB", ("Dinsos", "TP PKK"), "2.08.05.2.02.0001",
           "Penguatan Pusat Pembelajaran Keluarga (PUSPAGA)",
           "Layanan konsultasi keluarga di PUSPAGA Kota Serang", "Keluarga yang dilayani",
           "keluarga", (300, 400, 500, 550, 600), 210),
    Contoh(K2, ("Indikator 8",), "DP3AP2KB", (), "2.08.05.2.02.0001",
           "Penguatan Pusat Pembelajaran Keluarga (PUSPAGA)",
           "Sertifikasi konselor dan psikolog PUSPAGA", "Konselor tersertifikasi", "orang",
           (2, 4, 6, 6, 8), 80),
    Contoh(K2, ("Indikator 9",), "Dindikbud", ("Dinkes", "DP3AP2KB", "TP PKK"),
           "1.01.02.2.03.0009", "Pembinaan PAUD Holistik Integratif",
           "Pengembangan layanan PAUD Holistik Integratif (PAUD-HI)",
           "Lembaga PAUD yang menerapkan PAUD-HI", "lembaga", (30, 45, 60, 75, 90), 250),
    Contoh(K2, ("Indikator 9",), "Dindikbud", (), "1.01.02.2.03.0006",
           "Penyaluran Bantuan Operasional Penyelenggaraan PAUD",
           "Bantuan Operasional Penyelenggaraan (BOP) PAUD", "Lembaga PAUD penerima BOP",
           "lembaga", (310, 315, 320, 325, 330), 6500, DAK),
    Contoh(K2, ("Indikator 10",), "Dinsos", ("DP3AP2KB",), "1.06.04.2.02.0001",
           "Pemberian Layanan Rehabilitasi Sosial di Luar Panti",
           "Standardisasi Lembaga Kesejahteraan Sosial Anak (LKSA)",
           "LKSA terakreditasi", "LKSA", (2, 4, 6, 8, 10), 95),
    Contoh(K2, ("Indikator 10",), "Dinsos", ("DP3AP2KB",), "1.06.04.2.02.0002",
           "Pemberian Layanan Pengasuhan Sementara",
           "Pengasuhan berbasis keluarga dan keluarga asuh", "Anak dalam pengasuhan keluarga",
           "anak", (20, 25, 30, 30, 35), 120),
    Contoh(K2, ("Indikator 11",), "Disperkim", ("Forum CSR", "DP3AP2KB"), "1.04.04.2.01.0003",
           "Penyediaan Prasarana, Sarana dan Utilitas Umum",
           "Pembangunan Ruang Bermain Ramah Anak (RBRA) di taman kota",
           "RBRA terbangun dan terstandar", "unit", (2, 2, 3, 3, 3), 1800),
    Contoh(K2, ("Indikator 11",), "Dishub", ("Dindikbud", "Polresta"), "2.15.02.2.02.0001",
           "Pengadaan Rambu-Rambu Lalu Lintas",
           "Zona Selamat Sekolah (ZoSS) dan Rute Aman Selamat Sekolah (RASS)",
           "Sekolah dengan ZoSS", "sekolah", (6, 8, 10, 12, 14), 650),
    Contoh(K2, ("Indikator 11",), "DPUPR", ("Dishub",), "1.03.10.2.01.0033",
           "Pembangunan Trotoar", "Trotoar ramah anak dan disabilitas di koridor sekolah",
           "Panjang trotoar terbangun", "meter", (800, 1000, 1200, 1200, 1500), 2400),
    Contoh(K2, ("Indikator 11", "Indikator 14"), "Dinkes", ("DP3AP2KB",),
           "1.02.05.2.01.0001", "Peningkatan Upaya Promosi Kesehatan, Advokasi, Kemitraan dan "
           "Pemberdayaan Masyarakat", "Penyediaan ruang laktasi di kantor dan ruang publik",
           "Ruang laktasi tersedia", "ruang", (10, 15, 20, 25, 30), 150),
    # --- Klaster III -----------------------------------------------------------------------
    Contoh(K3, ("Indikator 12",), "Dinkes", ("RSUD",), "1.02.02.2.02.0002",
           "Pengelolaan Pelayanan Kesehatan Ibu Bersalin",
           "Persalinan ditolong tenaga kesehatan di fasilitas kesehatan",
           "Persalinan di fasilitas kesehatan", "persen", (96, 97, 98, 99, 99), 420),
    Contoh(K3, ("Indikator 12",), "Dinkes", ("TP PKK",), "1.02.02.2.02.0001",
           "Pengelolaan Pelayanan Kesehatan Ibu Hamil", "Kelas ibu hamil di puskesmas",
           "Kelas ibu hamil terlaksana", "kelas", (64, 64, 80, 80, 96), 180),
    Contoh(K3, ("Indikator 13",), "Dinkes", ("TP PKK", "DP3AP2KB"), "1.02.02.2.02.0016",
           "Pengelolaan Pelayanan Kesehatan Gizi Masyarakat",
           "Pemberian makanan tambahan bagi balita gizi kurang",
           "Balita gizi kurang yang menerima PMT", "balita", (900, 900, 850, 800, 750), 950),
    Contoh(K3, ("Indikator 13",), "Dinkes", ("TP PKK",), "1.02.02.2.02.0004",
           "Pengelolaan Pelayanan Kesehatan Balita",
           "Pemantauan pertumbuhan balita di posyandu", "Balita ditimbang (D/S)", "persen",
           (85, 88, 90, 92, 95), 300),
    Contoh(K3, ("Indikator 14",), "Dinkes", ("DP3AP2KB", "TP PKK"), "1.02.02.2.02.0004",
           "Pengelolaan Pelayanan Kesehatan Balita",
           "Konseling PMBA dan ASI eksklusif oleh kader posyandu",
           "Kader terlatih konseling PMBA", "kader", (200, 300, 400, 450, 500), 160),
    Contoh(K3, ("Indikator 14",), "Dinkes", ("RSUD",), "1.02.02.2.02.0003",
           "Pengelolaan Pelayanan Kesehatan Bayi Baru Lahir",
           "Inisiasi menyusu dini dan kunjungan neonatal lengkap",
           "Bayi baru lahir mendapat IMD", "persen", (90, 92, 94, 95, 96), 140),
    Contoh(K3, ("Indikator 15",), "Dinkes", (), "1.02.03.2.02.0001",
           "Peningkatan Kompetensi dan Kualifikasi Sumber Daya Manusia Kesehatan",
           "Pelatihan petugas Puskesmas Ramah Anak", "Petugas puskesmas terlatih", "orang",
           (32, 48, 64, 64, 80), 110),
    Contoh(K3, ("Indikator 15",), "RSUD", ("Dinkes",), "1.02.02.2.01.0014",
           "Pengadaan Alat Kesehatan/Alat Penunjang Medik Fasilitas Pelayanan Kesehatan",
           "Ruang tunggu dan ruang rawat anak yang ramah anak di RSUD",
           "Ruang layanan anak terstandar", "ruang", (2, 3, 4, 4, 5), 750),
    Contoh(K3, ("Indikator 16",), "DPUPR", ("Dindikbud",), "1.03.05.2.01.0010",
           "Pembangunan Sistem Pengelolaan Air Limbah Domestik",
           "Toilet terpisah laki-laki dan perempuan di sekolah dasar",
           "Sekolah dengan sanitasi layak", "sekolah", (10, 12, 15, 15, 18), 900, DAK),
    Contoh(K3, ("Indikator 16",), "DPUPR", ("Disperkim",), "1.03.03.2.01.0011",
           "Perluasan Sambungan Rumah (SR) SPAM",
           "Sambungan air minum bagi keluarga berbalita di permukiman kumuh",
           "Sambungan rumah terpasang", "sambungan", (300, 400, 500, 500, 600), 1200),
    Contoh(K3, ("Indikator 17",), "Dinkes", ("Satpol PP", "Dindikbud"), "1.02.02.2.02.0017",
           "Pengelolaan Pelayanan Kesehatan Lingkungan",
           "Pengawasan Kawasan Tanpa Rokok di sekolah dan fasilitas kesehatan",
           "Lokasi KTR yang diawasi", "lokasi", (50, 80, 110, 140, 170), 75),
    Contoh(K3, ("Indikator 17",), "Satpol PP", ("Dinkes",), "1.05.02.2.01.0003",
           "Penegakan Peraturan Daerah",
           "Penertiban iklan, promosi dan sponsor rokok di sekitar sekolah",
           "Titik iklan rokok yang ditertibkan", "titik", (40, 60, 80, 100, 120), 90),
    Contoh(K3, ("Indikator 17",), "Dinkes", ("Dindikbud",), "1.02.02.2.02.0020",
           "Pengelolaan Pelayanan Kesehatan Usia Produktif",
           "Layanan upaya berhenti merokok bagi remaja", "Remaja yang dilayani", "remaja",
           (150, 200, 250, 300, 350), 45),
    # --- Klaster IV ------------------------------------------------------------------------
    Contoh(K4, ("Indikator 18",), "Dindikbud", ("Dinsos", "Kemenag"), "1.01.02.2.04.0003",
           "Pembinaan Pendidikan Kesetaraan",
           "Pendampingan anak tidak sekolah kembali ke sekolah atau kesetaraan",
           "Anak tidak sekolah yang kembali belajar", "anak", (150, 200, 250, 250, 300), 220),
    Contoh(K4, ("Indikator 18",), "Dindikbud", ("Dinsos",), "1.01.02.2.02.0011",
           "Penyediaan Pendidik dan Tenaga Kependidikan bagi Satuan Pendidikan",
           "Bantuan seragam dan perlengkapan sekolah bagi siswa dari keluarga miskin",
           "Siswa penerima bantuan", "siswa", (2000, 2200, 2400, 2500, 2600), 1500),
    Contoh(K4, ("Indikator 19",), "Dindikbud", ("DP3AP2KB",), "1.01.02.2.01.0029",
           "Pembinaan Sekolah Ramah Anak Jenjang SD",
           "Pendampingan Sekolah Ramah Anak (SRA) jenjang SD", "SD yang ditetapkan SRA",
           "sekolah", (20, 35, 50, 70, 90), 180),
    Contoh(K4, ("Indikator 19",), "Dindikbud", ("DP3AP2KB",), "1.01.02.2.02.0029",
           "Pembinaan Sekolah Ramah Anak Jenjang SMP",
           "Pendampingan Sekolah Ramah Anak (SRA) jenjang SMP", "SMP yang ditetapkan SRA",
           "sekolah", (8, 14, 20, 26, 32), 120),
    Contoh(K4, ("Indikator 19",), "Kemenag", ("DP3AP2KB",), "", "",
           "Pengembangan madrasah ramah anak", "Madrasah ramah anak", "madrasah",
           (5, 10, 15, 20, 25), 40, APBN),
    Contoh(K4, ("Indikator 19",), "DLH", ("Dindikbud",), "2.11.09.2.01.0002",
           "Pembinaan Sekolah Adiwiyata", "Pembinaan sekolah Adiwiyata",
           "Sekolah Adiwiyata tingkat kota", "sekolah", (10, 12, 15, 18, 20), 85),
    Contoh(K4, ("Indikator 20",), "Disporapar", ("Dindikbud", "Forum Anak"),
           "2.19.03.2.02.0001", "Penyelenggaraan Kejuaraan Olahraga",
           "Festival olahraga anak dan permainan tradisional", "Festival terlaksana",
           "kegiatan", (2, 2, 3, 3, 3), 150),
    Contoh(K4, ("Indikator 20",), "Dindikbud", ("Forum Anak",), "2.22.02.2.01.0002",
           "Pembinaan Kesenian Masyarakat Pendukung",
           "Sanggar seni budaya anak: debus, rampak bedug dan tari tradisional",
           "Sanggar anak yang dibina", "sanggar", (6, 8, 10, 12, 12), 95),
    Contoh(K4, ("Indikator 20",), "Disporapar", (), "3.26.02.2.01.0002",
           "Pembangunan Sarana dan Prasarana Daya Tarik Wisata",
           "Area bermain ramah anak di destinasi wisata Banten Lama",
           "Destinasi dengan area bermain anak", "destinasi", (2, 3, 4, 5, 6), 300),
    Contoh(K4, ("Indikator 20", "Indikator 9"), "Dispusip", ("TP PKK",), "2.23.02.2.02.0001",
           "Sosialisasi Budaya Baca dan Literasi",
           "Kelas mendongeng dan literasi untuk anak usia dini", "Kelas terlaksana", "kelas",
           (24, 36, 48, 48, 48), 60),
    # --- Klaster V -------------------------------------------------------------------------
    Contoh(K5, ("Indikator 21 A",), "DP3AP2KB", ("Dindikbud", "Kemenag"), "2.08.08.2.01.0001",
           "Koordinasi dan Sinkronisasi Pencegahan Kekerasan terhadap Anak",
           "Sosialisasi pencegahan kekerasan dan perundungan di sekolah",
           "Sekolah yang disosialisasi", "sekolah", (30, 40, 50, 60, 70), 140),
    Contoh(K5, ("Indikator 21 B",), "DP3AP2KB", ("Polresta", "Dinkes", "Dinsos"),
           "2.08.08.2.02.0001", "Penyediaan Layanan bagi Anak yang Memerlukan Perlindungan "
           "Khusus", "Layanan UPTD PPA: penjangkauan, pendampingan hukum dan psikologis",
           "Kasus anak ditangani sesuai standar layanan", "persen", (100, 100, 100, 100, 100),
           480),
    Contoh(K5, ("Indikator 21 B",), "Dinkes", ("RSUD", "DP3AP2KB"), "1.02.02.2.02.0025",
           "Pelayanan Kesehatan Penyakit Menular dan Tidak Menular",
           "Pemeriksaan kesehatan dan visum gratis bagi anak korban kekerasan",
           "Anak korban yang diperiksa tanpa biaya", "persen", (100, 100, 100, 100, 100), 60),
    Contoh(K5, ("Indikator 21 C",), "Disnaker", ("Dinsos", "Satpol PP"), "2.07.05.2.02.0003",
           "Pencegahan Pekerja Anak",
           "Pendataan dan penarikan pekerja anak dari bentuk pekerjaan terburuk",
           "Pekerja anak yang ditarik", "anak", (30, 40, 50, 50, 50), 70),
    Contoh(K5, ("Indikator 21 C", "Indikator 23 B"), "Dinsos", ("Satpol PP", "DP3AP2KB"),
           "1.06.04.2.01.0004", "Pemberian Layanan Rehabilitasi Sosial Anak Jalanan",
           "Penjangkauan dan rehabilitasi sosial anak jalanan", "Anak jalanan yang dijangkau",
           "anak", (60, 60, 60, 60, 60), 150),
    Contoh(K5, ("Indikator 22 A",), "BNNK", ("Dindikbud", "Kemenag"), "", "",
           "Penyuluhan P4GN di SMP, SMA dan madrasah", "Sekolah yang mendapat penyuluhan",
           "sekolah", (20, 25, 30, 30, 35), 45, APBN),
    Contoh(K5, ("Indikator 22 A",), "Dinkes", ("RSUD",), "1.02.02.2.02.0012",
           "Pengelolaan Pelayanan Kesehatan Orang dengan Risiko Terinfeksi HIV",
           "Tes HIV pada ibu hamil dan layanan bagi anak dengan HIV",
           "Ibu hamil yang dites HIV", "persen", (95, 97, 98, 99, 100), 130),
    Contoh(K5, ("Indikator 22 B",), "BPBD", ("Dindikbud",), "1.05.03.2.02.0002",
           "Sosialisasi, Komunikasi, Informasi dan Edukasi Rawan Bencana",
           "Satuan Pendidikan Aman Bencana (SPAB)", "Sekolah yang menerapkan SPAB", "sekolah",
           (5, 8, 10, 12, 15), 110),
    Contoh(K5, ("Indikator 22 B",), "Dinsos", ("BPBD", "DP3AP2KB"), "1.06.06.2.01.0004",
           "Penyediaan Makanan, Sandang dan Layanan Psikososial bagi Korban Bencana",
           "Layanan dukungan psikososial anak di pengungsian",
           "Kejadian bencana dengan layanan psikososial anak", "persen",
           (100, 100, 100, 100, 100), 60),
    Contoh(K5, ("Indikator 23 A",), "Dinsos", ("Dinkes",), "1.06.04.2.01.0001",
           "Rehabilitasi Sosial Dasar Penyandang Disabilitas Terlantar",
           "Asistensi rehabilitasi sosial anak penyandang disabilitas (ATENSI)",
           "Anak disabilitas yang didampingi", "anak", (80, 90, 100, 110, 120), 180),
    Contoh(K5, ("Indikator 23 A",), "Dindikbud", ("Dinsos",), "1.01.02.2.01.0030",
           "Penyelenggaraan Pendidikan Inklusif",
           "Guru pendamping khusus di sekolah penyelenggara pendidikan inklusif",
           "Sekolah inklusif dengan guru pendamping", "sekolah", (10, 15, 20, 25, 30), 260),
    Contoh(K5, ("Indikator 24 A",), "Polresta", ("Kejari", "Dinsos", "DP3AP2KB"), "", "",
           "Penyelesaian perkara anak berhadapan dengan hukum melalui diversi (penyidikan)",
           "Perkara ABH yang diselesaikan dengan diversi", "persen", (70, 75, 80, 85, 90), 30,
           APBN),
    Contoh(K5, ("Indikator 24 A",), "Kejari", ("Dinsos",), "", "",
           "Diversi dan keadilan restoratif perkara anak di tingkat penuntutan",
           "Perkara anak yang diselesaikan dengan diversi", "persen", (70, 75, 80, 85, 90), 25,
           APBN),
    Contoh(K5, ("Indikator 24 B",), "Kesbangpol", ("Dindikbud", "Kemenag"),
           "8.01.05.2.01.0002", "Pencegahan Radikalisme dan Terorisme",
           "Pencegahan paham radikal di kalangan pelajar", "Kegiatan di sekolah", "kegiatan",
           (4, 4, 6, 6, 6), 70),
    Contoh(K5, ("Indikator 24 B",), "Dinsos", ("Kesbangpol", "DP3AP2KB"), "1.06.04.2.02.0005",
           "Pemberian Layanan Reintegrasi Sosial",
           "Pendampingan anak dari keluarga terpapar jaringan terorisme",
           "Anak yang didampingi", "anak", (5, 5, 5, 5, 5), 35),
]

# Repeated for each of the six kecamatan of Kota Serang.
PER_KECAMATAN = [
    Contoh(KD, ("Indikator 25",), "KEC", ("DP3AP2KB",), "7.01.02.2.01.0001",
           "Koordinasi Penyelenggaraan Kegiatan Pemerintahan di Tingkat Kecamatan",
           "Pembentukan dan rapat berkala Gugus Tugas KLA Kecamatan {kec}",
           "Rapat gugus tugas kecamatan", "kegiatan", (4, 4, 4, 4, 4), 20),
    Contoh(KD, ("Indikator 26",), "KEC", ("DP3AP2KB",), "7.01.04.2.01.0002",
           "Pemberdayaan Lembaga Kemasyarakatan Kelurahan",
           "Pendampingan kelurahan menuju Kelurahan Layak Anak di Kecamatan {kec}",
           "Kelurahan yang didampingi", "kelurahan", (3, 5, 7, 9, 11), 25),
    Contoh(K1, ("Indikator 6", "Indikator 25"), "KEC", ("DP3AP2KB", "Forum Anak"),
           "7.01.04.2.01.0002", "Pemberdayaan Lembaga Kemasyarakatan Kelurahan",
           "Pembinaan Forum Anak Kecamatan {kec}", "Pertemuan forum anak kecamatan",
           "kegiatan", (4, 6, 6, 8, 8), 15),
    Contoh(K1, ("Indikator 6",), "KEC", ("Bappeda", "Forum Anak"), "7.01.02.2.01.0003",
           "Koordinasi Perencanaan Pembangunan Tingkat Kecamatan",
           "Musrenbang anak Kecamatan {kec}", "Musrenbang anak terlaksana", "kegiatan",
           SETIAP_TAHUN, 12),
    Contoh(K1, ("Indikator 4",), "Disdukcapil", ("KEC",), "2.12.03.2.01.0002",
           "Pelayanan Pencatatan Sipil Jemput Bola",
           "Pelayanan akta kelahiran jemput bola di Kecamatan {kec}", "Akta kelahiran terbit",
           "akta", (400, 450, 500, 500, 550), 30),
    Contoh(K2, ("Indikator 9",), "Dindikbud", ("KEC", "Dinkes"), "1.01.02.2.03.0009",
           "Pembinaan PAUD Holistik Integratif",
           "Pembinaan pos PAUD dan posyandu terintegrasi di Kecamatan {kec}",
           "Pos PAUD terintegrasi posyandu", "pos", (4, 6, 8, 10, 12), 40),
    Contoh(K2, ("Indikator 11", "Indikator 26"), "KEC", ("Disperkim",), "7.01.04.2.01.0004",
           "Pembangunan Sarana dan Prasarana Kelurahan",
           "Ruang bermain ramah anak di kelurahan Kecamatan {kec}", "RBRA kelurahan", "unit",
           (1, 2, 2, 3, 3), 150),
    Contoh(K3, ("Indikator 15",), "Dinkes", ("KEC",), "1.02.02.2.01.0020",
           "Pengembangan Puskesmas", "Standardisasi Puskesmas Ramah Anak di Kecamatan {kec}",
           "Puskesmas memenuhi standar ramah anak", "puskesmas", (1, 2, 2, 3, 3), 85),
    Contoh(K3, ("Indikator 13",), "KEC", ("Dinkes", "TP PKK"), "7.01.04.2.01.0003",
           "Fasilitasi Penurunan Stunting", "Rembuk stunting dan posyandu aktif di Kecamatan {kec}",
           "Posyandu aktif", "posyandu", (30, 35, 40, 45, 50), 25),
    Contoh(K3, ("Indikator 17",), "KEC", ("Dinkes", "Satpol PP"), "7.01.02.2.01.0004",
           "Penegakan Peraturan Daerah Tingkat Kecamatan",
           "Deklarasi Kawasan Tanpa Rokok di RW se-Kecamatan {kec}", "RW yang mendeklarasikan KTR",
           "RW", (10, 20, 30, 40, 50), 10),
    Contoh(K4, ("Indikator 19",), "Dindikbud", ("KEC", "DP3AP2KB"), "1.01.02.2.01.0029",
           "Pembinaan Sekolah Ramah Anak Jenjang SD",
           "Pendampingan SRA bagi SD negeri di Kecamatan {kec}", "SD yang didampingi",
           "sekolah", (4, 6, 8, 10, 12), 30),
    Contoh(K4, ("Indikator 5", "Indikator 20"), "Dispusip", ("KEC",), "2.23.02.2.02.0003",
           "Pengembangan Taman Bacaan Masyarakat",
           "Pojok baca anak di kantor kelurahan Kecamatan {kec}", "Pojok baca tersedia", "unit",
           (2, 4, 6, 8, 10), 20),
    Contoh(K5, ("Indikator 21 A", "Indikator 26"), "KEC", ("DP3AP2KB",), "7.01.04.2.01.0002",
           "Pemberdayaan Lembaga Kemasyarakatan Kelurahan",
           "Pembentukan PATBM di kelurahan Kecamatan {kec}", "Kelurahan dengan PATBM",
           "kelurahan", (2, 4, 6, 8, 11), 18),
]

# fmt: on

KODE_KLASTER = {KL: "KL", K1: "K1", K2: "K2", K3: "K3", K4: "K4", K5: "K5", KD: "KD"}
# One action postponed and one cancelled after the first year: nothing is expected of them since.
TUNDA = {"K4.09": Aksi.Status.DITUNDA, "K3.10": Aksi.Status.DIBATALKAN}
# Cumulative share of the yearly target reached by the end of each quarter, and share of the
# ceiling spent in each quarter, for an action on pace.
LAJU_CAPAIAN = {1: Decimal("0.20"), 2: Decimal("0.45"), 3: Decimal("0.70"), 4: Decimal(1)}
LAJU_SERAP = {1: Decimal("0.12"), 2: Decimal("0.25"), 3: Decimal("0.28"), 4: Decimal("0.30")}
# What becomes of the report of the last quarter that has ended, per action (weights).
NASIB = [
    ("diterima", 52),
    ("menunggu_bappeda", 12),
    ("menunggu_kepala", 8),
    ("dikembalikan_bappeda", 7),
    ("dikembalikan_kepala", 2),
    ("draf", 7),
    ("tidak_lapor", 8),
    ("tidak_lapor_dua", 4),
]
NARASI = [
    "Kegiatan terlaksana sesuai jadwal; dokumentasi dan daftar hadir terlampir.",
    "Pelaksanaan bersama kelurahan dan kader; sebagian anggaran menunggu pencairan SP2D.",
    "Kegiatan berjalan, kendala pada pengadaan barang yang mundur dari jadwal e-katalog.",
    "Sasaran tercapai di sebagian besar lokasi; sisanya dijadwalkan triwulan berikutnya.",
    "Koordinasi lintas OPD sudah dilakukan; pelaksanaan lapangan dimulai bulan ketiga.",
]
ALASAN_BAPPEDA = [
    "Capaian triwulan ini lebih kecil dari triwulan lalu; capaian bersifat kumulatif, "
    "perbaiki angkanya.",
    "Bukti kegiatan belum dilampirkan (daftar hadir, foto berkoordinat, atau SPJ).",
    "Serapan anggaran tidak sesuai realisasi di SIPD; cocokkan dengan data BPKAD.",
    "Uraian belum menjelaskan kendala dan rencana tindak lanjut triwulan berikutnya.",
]
ALASAN_KEPALA = [
    "Angka serapan belum sesuai SP2D; sesuaikan dengan data keuangan dinas.",
    "Lampirkan foto kegiatan dan daftar hadir sebelum dikirim.",
]


def daftar_contoh(kecamatan: list[str]) -> list[tuple[str, Contoh, str]]:
    """(code, example, kecamatan name or "") for every action of the demo plan, in order."""
    nomor: dict[str, int] = {}
    hasil = []

    def tambah(contoh: Contoh, kec: str) -> None:
        awalan = KODE_KLASTER[contoh.klaster]
        nomor[awalan] = nomor.get(awalan, 0) + 1
        hasil.append((f"{awalan}.{nomor[awalan]:02d}", contoh, kec))

    for contoh in KOTA:
        tambah(contoh, "")
    for contoh in PER_KECAMATAN:
        for kec in kecamatan:
            tambah(contoh, kec)
    return hasil


def _bulat(nilai: Decimal, satuan: str) -> Decimal:
    langkah = Decimal("0.1") if satuan == "persen" else Decimal(1)
    return nilai.quantize(langkah, ROUND_HALF_UP)


def seed(*, stdout=None) -> PeriodeRad:
    admin = User.objects.get(username="admin")
    periode = PeriodeRad.objects.filter(tahun_mulai=TAHUN_MULAI).first()
    if periode is None:
        judul = f"{DASAR_HUKUM} (lampiran: matriks RAD KLA)"
        periode = services.periode_buat(
            tahun_mulai=TAHUN_MULAI,
            by=admin,
            dasar_hukum="Peraturan Wali Kota Serang Nomor 12 Tahun 2025",
            tanggal_penetapan=datetime.date(2025, 3, 17),
            dokumen=ContentFile(contoh_pdf(judul), name="perwal-12-2025-rad-kla.pdf"),
        )
    for tahun, total in APBD.items():
        services.anggaran_daerah_atur(tahun=tahun, total=total, by=admin)
    if periode.aksi.exists():
        return periode
    with transaction.atomic():
        aksi = _aksi(periode, admin)
        jumlah = _laporan(aksi, admin)
    if stdout:
        stdout.write(
            f"{periode}: {len(aksi)} aksi, {jumlah} laporan triwulan contoh dalam semua status."
        )
    return periode


def _aksi(periode: PeriodeRad, admin: User) -> list[Aksi]:
    opd = {o.singkatan: o for o in Opd.objects.filter(daerah=periode.daerah_id)}
    kecamatan = list(Wilayah.objects.kecamatan().filter(kode__startswith="36.73.").order_by("kode"))
    rng = random.Random(2025)
    hasil = []
    for kode, c, kec in daftar_contoh([k.nama for k in kecamatan]):

        def cari(nama: str, kec=kec) -> Opd:
            return opd[f"Kec. {kec}"] if nama == "KEC" else opd[nama]

        kegiatan_kode = c.sub_kode.rsplit(".", 1)[0] if c.sub_kode else ""
        program_kode = kegiatan_kode.rsplit(".", 2)[0] if kegiatan_kode else ""
        naik = Decimal(1) + Decimal(rng.randint(3, 9)) / 100
        target = {}
        for i, tahun in enumerate(periode.tahun_list):
            pagu = (Decimal(c.pagu) * naik**i).quantize(Decimal("0.1")) * JUTA
            target[tahun] = (Decimal(str(c.target[i])), pagu, c.sumber)
        data = DataAksi(
            kode=kode,
            nama=c.nama.format(kec=kec),
            klaster=c.klaster,
            indikator_kinerja=c.ik,
            satuan=c.satuan,
            opd_utama=cari(c.opd),
            opd_pendukung=[cari(n) for n in c.pendukung],
            indikator_kla=list(c.indikator),
            program=PROGRAM.get(program_kode, ""),
            program_kode=program_kode,
            kegiatan=KEGIATAN.get(kegiatan_kode, ""),
            kegiatan_kode=kegiatan_kode,
            sub_kegiatan=c.sub_nama,
            sub_kegiatan_kode=c.sub_kode,
            baseline=_bulat(Decimal(str(c.target[0])) * Decimal("0.8"), c.satuan),
            status=TUNDA.get(kode, Aksi.Status.BERJALAN),
            target=target,
        )
        record, _changed = services.aksi_simpan(periode=periode, data=data, by=admin)
        hasil.append(record)
    return hasil


class _Orang:
    """The demo account holding a role in an agency, or the admin acting for it (read once)."""

    def __init__(self, admin: User):
        self.admin, self.cache = admin, {}

    def __call__(self, peran: str, opd: Opd) -> User:
        if (peran, opd.pk) not in self.cache:
            self.cache[peran, opd.pk] = (
                pengguna_dengan_peran(peran=peran, opd=opd).first() or self.admin
            )
        return self.cache[peran, opd.pk]


def _laporan(daftar: list[Aksi], admin: User) -> int:
    """Reports of every quarter that has started: the past ones mostly sent and accepted, the
    last ended quarter in every state, the current quarter as drafts here and there."""
    rng = random.Random(2026)
    hari_ini = timezone.localdate()
    sekarang = (hari_ini.year, (hari_ini.month - 1) // 3 + 1)
    bappeda = User.objects.filter(username="bappeda").first() or admin
    orang = _Orang(admin)
    nasib_list = [n for n, bobot in NASIB for _i in range(bobot)]
    kuartal = [
        (t, tw) for t in daftar[0].periode.tahun_list for tw in (1, 2, 3, 4) if (t, tw) <= sekarang
    ]
    terakhir_selesai = kuartal[-2] if len(kuartal) > 1 else (0, 0)
    lama: dict[tuple[int, int], list[Realisasi]] = {}
    jumlah = 0
    for aksi in daftar:
        operator = orang(Peran.OPERATOR_OPD, aksi.opd_utama)
        kepala = orang(Peran.KEPALA_OPD, aksi.opd_utama)
        nasib = rng.choice(nasib_list)
        lambat = rng.random() < 0.13  # behind pace this year: "berisiko"
        target = {t.tahun: t for t in aksi.target.all()}
        for t, tw in kuartal:
            if aksi.status != Aksi.Status.BERJALAN and t > kuartal[0][0]:
                break  # postponed or cancelled after its first year
            keadaan = _keadaan((t, tw), sekarang, terakhir_selesai, kuartal, nasib, rng)
            if keadaan is None:
                continue
            nilai = _nilai(aksi, target[t], (t, tw), lambat and t == sekarang[0], rng)
            jumlah += 1
            if (t, tw) < terakhir_selesai:
                lama.setdefault((t, tw), []).append(
                    Realisasi(daerah_id=aksi.daerah_id, aksi=aksi, tahun=t, triwulan=tw, **nilai)
                )
                continue
            if kepala in (admin, operator):  # nobody else could approve: it is not sent
                keadaan = "draf"
            _satu(aksi, t, tw, keadaan, nilai, operator, kepala, bappeda, rng)
    _riwayat(lama, bappeda)
    _notifikasi_lama_dibaca(bappeda)
    return jumlah


def _keadaan(kapan, sekarang, terakhir_selesai, kuartal, nasib: str, rng) -> str | None:
    """Where one quarter's report stands, or None when it was never written."""
    if kapan == sekarang:
        return "draf" if rng.random() < 0.25 else None
    if kapan == terakhir_selesai:
        keadaan = nasib
    elif nasib == "tidak_lapor_dua" and kapan == kuartal[-3]:
        return None
    elif rng.random() < 0.015:
        return None  # a forgotten quarter long ago: stays late
    else:
        keadaan = "diterima"
    return None if keadaan in ("tidak_lapor", "tidak_lapor_dua") else keadaan


def _nilai(aksi: Aksi, target, kapan, lambat: bool, rng) -> dict:
    """The figures of one quarter's report: on pace, or behind it when ``lambat``."""
    _tahun, tw = kapan
    persen = rng.randint(30, 55) if lambat else rng.randint(92, 112)
    capaian = target.target * Decimal(persen) / 100
    if aksi.satuan == "persen":  # a coverage: where it stands, not a running sum
        capaian = min(capaian * (Decimal("0.85") + LAJU_CAPAIAN[tw] * 15 / 100), Decimal(100))
    else:
        capaian *= LAJU_CAPAIAN[tw]
    serap = target.pagu * LAJU_SERAP[tw] * Decimal(rng.randint(70, 100)) / 100
    return {
        "capaian": _bulat(capaian, aksi.satuan),
        "anggaran": serap.quantize(Decimal(1000)),
        "narasi": rng.choice(NARASI),
    }


def _satu(aksi, tahun, tw, keadaan, nilai, operator, kepala, bappeda, rng) -> Realisasi:
    """One report of a recent quarter, through every step of the workflow it has reached."""
    r = services.realisasi_simpan(
        aksi=aksi, tahun=tahun, triwulan=tw, by=operator, versi=0, **nilai
    )
    if rng.random() < 0.5:
        judul = f"Bukti {aksi.kode} {tahun} TW {tw}: {aksi.nama[:50]}"
        berkas = ContentFile(contoh_pdf(judul), name=f"bukti-{aksi.kode}-{tahun}-tw{tw}.pdf")
        services.bukti_tambah(realisasi=r, berkas=berkas, by=operator)
    if keadaan == "draf":
        return r
    r = services.realisasi_kirim(realisasi=r, by=operator)
    if keadaan == "menunggu_kepala":
        return r
    if keadaan == "dikembalikan_kepala":
        return services.realisasi_tolak(realisasi=r, by=kepala, alasan=rng.choice(ALASAN_KEPALA))
    r = services.realisasi_setujui(realisasi=r, by=kepala)
    if keadaan == "menunggu_bappeda":
        return r
    if keadaan == "dikembalikan_bappeda":
        return services.realisasi_kembalikan(
            realisasi=r, by=bappeda, alasan=rng.choice(ALASAN_BAPPEDA)
        )
    return services.realisasi_tinjau(realisasi=r, by=bappeda)


def _riwayat(lama: dict[tuple[int, int], list[Realisasi]], bappeda: User) -> None:
    """Older quarters, sent and accepted long ago, written in bulk with one history record each
    (a demo shortcut: the workflow of quarters already closed is history, not something to
    show, and walking a thousand reports through four steps takes half a minute)."""
    for (tahun, tw), daftar in lama.items():
        diterima = timezone.make_aware(
            datetime.datetime.combine(batas_lapor(tahun, tw), datetime.time(10))
        )
        for r in daftar:
            r.status, r.versi, r.diubah_oleh = Realisasi.Status.TERVERIFIKASI, 4, bappeda
            r.dikirim = diterima - datetime.timedelta(days=12)
        bulk_create_with_history(daftar, Realisasi, default_user=bappeda, default_date=diterima)


def _notifikasi_lama_dibaca(bappeda: User) -> None:
    # A demo shortcut: a year of reports made in one go would leave Bappeda a thousand unread
    # notices; those of reports already accepted are marked read, the waiting ones stay.
    menunggu = {
        r.get_absolute_url()
        for r in Realisasi.objects.filter(status=Realisasi.Status.MENUNGGU_VERIFIKASI).only(
            "aksi_id", "tahun", "triwulan"
        )
    }
    Notifikasi.objects.filter(
        penerima=bappeda, tautan__startswith="/rad/", dibaca__isnull=True
    ).exclude(tautan__in=menunggu).update(dibaca=timezone.now())
