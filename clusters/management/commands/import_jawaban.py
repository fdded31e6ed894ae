from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agencies.models import User
from clusters import impor_jawaban, services
from clusters.models import TahunEvaluasi
from kla_portal.tabel import baca_tabel


class Command(BaseCommand):
    help = "Periksa dan impor jawaban evaluasi KLA satu tahun dari berkas XLSX atau CSV."

    def add_arguments(self, parser):
        parser.add_argument("tahun", type=int)
        parser.add_argument("berkas", type=Path)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="hanya periksa dan laporkan; tidak menulis apa pun",
        )
        parser.add_argument(
            "--oleh",
            metavar="USERNAME",
            help="impor sebagai pengguna ini: hanya pertanyaan yang boleh ia impor, tercatat "
            "di riwayat atas namanya (tanpa ini: semua pertanyaan, tanpa nama)",
        )

    def handle(self, *args, tahun: int, berkas: Path, dry_run: bool, oleh: str | None, **options):
        record = TahunEvaluasi.objects.filter(tahun=tahun).first()
        if record is None:
            raise CommandError(f"Tahun evaluasi {tahun} belum ada.")
        pengguna = None
        if oleh:
            pengguna = User.objects.filter(username=oleh, is_active=True).first()
            if pengguna is None:
                raise CommandError(f"Pengguna {oleh} tidak ditemukan atau tidak aktif.")
            if not pengguna.has_perm("clusters.impor_jawaban"):
                raise CommandError(f"{oleh} tidak berhak mengimpor jawaban.")
        if not berkas.is_file():
            raise CommandError(f"Berkas {berkas} tidak ditemukan.")
        try:
            rows = baca_tabel(berkas.name, berkas.read_bytes())
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        laporan = impor_jawaban.periksa(rows, tahun=record, pengguna=pengguna)
        self.stdout.write(laporan.as_text())
        if laporan.ada_galat:
            raise CommandError("Tidak diimpor: perbaiki galat di atas lalu jalankan lagi.")
        if dry_run:
            self.stdout.write("Pemeriksaan saja (--dry-run): tidak ada yang ditulis.")
            return
        try:
            hasil = services.jawaban_impor(tahun=record, laporan=laporan, by=pengguna)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Diimpor ke {record}. {hasil.as_text()}"))
