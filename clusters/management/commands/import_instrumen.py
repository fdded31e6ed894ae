from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction

from agencies.models import User
from clusters import instrumen, services
from clusters.models import SumberData, TahunEvaluasi
from kla_portal.management.perintah_impor import PerintahImpor


class Command(PerintahImpor):
    help = "Periksa dan impor instrumen evaluasi KLA satu tahun dari berkas CSV atau XLSX."

    def add_arguments(self, parser):
        parser.add_argument("tahun", type=int)
        super().add_arguments(parser)

    def sasaran(self, *, tahun: int, **options) -> int:
        return tahun

    def periksa(self, tahun, nama, isi, pengguna):
        rows = instrumen.baca_tabel(nama, isi)
        return instrumen.periksa(rows, nama_dikenal=SumberData.objects.nama_terpetakan())

    def bisa_diimpor(self, laporan) -> bool:
        return laporan.bisa_diimpor

    def teks(self, tahun, laporan) -> str:
        return laporan.as_text(tahun)

    def tulis(self, tahun, laporan, pengguna):
        by = User.objects.filter(is_superuser=True).order_by("pk").first()
        with transaction.atomic():
            record = TahunEvaluasi.objects.filter(tahun=tahun).first()
            if record is None:
                # A new year is made as the web form makes it: with its category bands.
                try:
                    record = services.tahun_buat(tahun=tahun, by=by)
                except ValidationError as error:
                    raise CommandError(error.messages[0]) from None
                self.stdout.write(f"{record} dibuat, dengan kategori bakunya.")
            return record, services.instrumen_impor(tahun=record, laporan=laporan, by=by)
