from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from agencies.models import User
from rencana_aksi import impor
from rencana_aksi.impor import tulis as impor_tulis
from rencana_aksi.models import PeriodeRad


class Command(BaseCommand):
    help = (
        "Periksa dan impor rencana aksi (aksi, target, pagu) atau realisasi triwulan RAD KLA "
        "dari berkas XLSX atau CSV."
    )

    def add_arguments(self, parser):
        parser.add_argument("berkas", type=Path)
        parser.add_argument(
            "--periode",
            type=int,
            metavar="TAHUN_MULAI",
            help="tahun mulai periode RAD, mis. 2025 (tanpa ini: periode yang memuat tahun "
            "ini, atau yang terbaru)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="hanya periksa dan laporkan; tidak menulis apa pun",
        )
        parser.add_argument(
            "--oleh",
            metavar="USERNAME",
            help="impor sebagai pengguna ini: hanya yang boleh ia impor, tercatat di riwayat "
            "atas namanya (tanpa ini: semua aksi dan laporan, tanpa nama)",
        )

    def handle(self, *args, berkas: Path, periode, dry_run: bool, oleh: str | None, **options):
        record = self._periode(periode)
        pengguna = None
        if oleh:
            pengguna = User.objects.filter(username=oleh, is_active=True).first()
            if pengguna is None:
                raise CommandError(f"Pengguna {oleh} tidak ditemukan atau tidak aktif.")
            if not pengguna.has_perm("rencana_aksi.impor_rad"):
                raise CommandError(f"{oleh} tidak berhak mengimpor RAD.")
        if not berkas.is_file():
            raise CommandError(f"Berkas {berkas} tidak ditemukan.")
        laporan = impor.periksa_berkas(
            berkas.name, berkas.read_bytes(), periode=record, pengguna=pengguna
        )
        self.stdout.write(laporan.as_text())
        if laporan.ada_galat:
            raise CommandError("Tidak diimpor: perbaiki galat di atas lalu jalankan lagi.")
        if dry_run:
            self.stdout.write("Pemeriksaan saja (--dry-run): tidak ada yang ditulis.")
            return
        try:
            hasil = impor_tulis.rad_impor(periode=record, laporan=laporan, by=pengguna)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Diimpor ke {record}. {hasil.as_text()}"))

    @staticmethod
    def _periode(tahun_mulai: int | None) -> PeriodeRad:
        if tahun_mulai is not None:
            record = PeriodeRad.objects.filter(tahun_mulai=tahun_mulai).first()
            if record is None:
                raise CommandError(f"Periode RAD yang mulai {tahun_mulai} belum ada.")
            return record
        tahun = timezone.localdate().year
        record = (
            PeriodeRad.objects.filter(tahun_mulai__lte=tahun, tahun_selesai__gte=tahun).first()
            or PeriodeRad.objects.first()  # ordered newest first
        )
        if record is None:
            raise CommandError("Belum ada periode RAD; buat dulu di portal (menu RAD KLA).")
        return record
