from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agencies.services import wilayah_muat


class Command(BaseCommand):
    help = (
        "Muat satu kabupaten/kota (kode Kemendagri PP.KK) dengan kecamatan dan kelurahan/desanya."
    )

    def add_arguments(self, parser):
        parser.add_argument("kode", help="kode kabupaten/kota, misalnya 36.73 untuk Kota Serang")

    def handle(self, *args, kode: str, **options):
        try:
            hasil = wilayah_muat(kode=kode)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        self.stdout.write(
            f"{hasil.kabkota.nama} ({hasil.kabkota.kode}): {hasil.kecamatan} kecamatan, "
            f"{hasil.desa_kelurahan} kelurahan/desa "
            f"({hasil.kelurahan} kelurahan, {hasil.desa} desa)."
        )
        if hasil.baru:
            self.stdout.write(self.style.SUCCESS(f"{hasil.baru} wilayah baru dimuat."))
        else:
            self.stdout.write("Semua wilayah ini sudah ada; tidak ada yang berubah.")
