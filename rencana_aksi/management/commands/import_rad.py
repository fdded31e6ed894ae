from django.core.management.base import CommandError
from django.utils import timezone

from kla_portal.management.perintah_impor import PerintahImpor
from rencana_aksi import impor
from rencana_aksi.impor import tulis as impor_tulis
from rencana_aksi.models import PeriodeRad


class Command(PerintahImpor):
    help = (
        "Periksa dan impor rencana aksi (aksi, target, pagu) atau realisasi triwulan RAD KLA "
        "dari berkas XLSX atau CSV."
    )
    IZIN_OLEH = "rencana_aksi.impor_rad"
    OLEH_BANTUAN = (
        "impor sebagai pengguna ini: hanya yang boleh ia impor, tercatat di riwayat "
        "atas namanya (tanpa ini: semua aksi dan laporan, tanpa nama)"
    )
    OLEH_DITOLAK = "{oleh} tidak berhak mengimpor RAD."
    PER_KOTA = True

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--periode",
            type=int,
            metavar="TAHUN_MULAI",
            help="tahun mulai periode RAD, mis. 2025 (tanpa ini: periode yang memuat tahun "
            "ini, atau yang terbaru)",
        )

    def sasaran(self, *, periode, **options) -> PeriodeRad:
        return self._periode(periode, self.daerah_id)

    def periksa(self, record, nama, isi, pengguna):
        return impor.periksa_berkas(nama, isi, periode=record, pengguna=pengguna)

    def tulis(self, record, laporan, pengguna):
        return record, impor_tulis.rad_impor(periode=record, laporan=laporan, by=pengguna)

    @staticmethod
    def _periode(tahun_mulai: int | None, daerah_id: int) -> PeriodeRad:
        """The city's plan starting in ``tahun_mulai``, else the one under way, else its
        newest."""
        sekota = PeriodeRad.objects.filter(daerah_id=daerah_id)
        if tahun_mulai is not None:
            record = sekota.filter(tahun_mulai=tahun_mulai).first()
            if record is None:
                raise CommandError(f"Periode RAD yang mulai {tahun_mulai} belum ada.")
            return record
        tahun = timezone.localdate().year
        record = (
            sekota.filter(tahun_mulai__lte=tahun, tahun_selesai__gte=tahun).first()
            or sekota.first()  # ordered newest first
        )
        if record is None:
            raise CommandError("Belum ada periode RAD; buat dulu di portal (menu RAD KLA).")
        return record
