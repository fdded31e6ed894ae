from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agencies.models import User
from clusters import instrumen, services
from clusters.models import SumberData, TahunEvaluasi


class Command(BaseCommand):
    help = "Periksa dan impor instrumen evaluasi KLA satu tahun dari berkas CSV atau XLSX."

    def add_arguments(self, parser):
        parser.add_argument("tahun", type=int)
        parser.add_argument("berkas", type=Path)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="hanya periksa dan laporkan; tidak menulis apa pun",
        )

    def handle(self, *args, tahun: int, berkas: Path, dry_run: bool, **options):
        if not berkas.is_file():
            raise CommandError(f"Berkas {berkas} tidak ditemukan.")
        try:
            rows = instrumen.baca_tabel(berkas.name, berkas.read_bytes())
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        dikenal = SumberData.objects.nama_terpetakan()
        laporan = instrumen.periksa(rows, nama_dikenal=dikenal)
        self.stdout.write(laporan.as_text(tahun))
        if not laporan.bisa_diimpor:
            raise CommandError("Tidak diimpor: perbaiki galat di atas lalu jalankan lagi.")
        if dry_run:
            self.stdout.write("Pemeriksaan saja (--dry-run): tidak ada yang ditulis.")
            return
        by = User.objects.filter(is_superuser=True).order_by("pk").first()
        with transaction.atomic():
            record = TahunEvaluasi.objects.filter(tahun=tahun).first()
            if record is None:
                # A new year is made as the web form makes it: with its category bands.
                try:
                    record = services.tahun_create(tahun=tahun, by=by)
                except ValidationError as error:
                    raise CommandError(error.messages[0]) from None
                self.stdout.write(f"{record} dibuat, dengan kategori bakunya.")
            hasil = services.instrumen_import(tahun=record, laporan=laporan, by=by)
        self.stdout.write(self.style.SUCCESS(f"Diimpor ke {record}. {hasil.as_text()}"))
