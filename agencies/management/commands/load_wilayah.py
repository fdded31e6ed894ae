from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agencies.services import kabkota_layani, wilayah_muat


class Command(BaseCommand):
    help = (
        "Muat satu kabupaten/kota (kode Kemendagri PP.KK) dengan kecamatan dan kelurahan/desanya."
    )

    def add_arguments(self, parser):
        parser.add_argument("kode", help="kode kabupaten/kota, misalnya 36.73 untuk Kota Serang")
        parser.add_argument(
            "--layani",
            action="store_true",
            help="layani juga kabupaten/kota ini (provinsi yang menampung kabupaten/kotanya)",
        )

    def handle(self, *args, kode: str, layani: bool = False, **options):
        try:
            hasil = (kabkota_layani if layani else wilayah_muat)(kode=kode)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        self.stdout.write(
            f"{hasil.kabkota.nama} ({hasil.kabkota.kode}): {hasil.kecamatan} kecamatan, "
            f"{hasil.desa_kelurahan} kelurahan/desa "
            f"({hasil.kelurahan} kelurahan, {hasil.desa} desa)."
        )
        if hasil.kabkota.dilayani_sejak:
            self.stdout.write(f"{hasil.kabkota.nama} dilayani portal ini.")
        if hasil.baru:
            self.stdout.write(self.style.SUCCESS(f"{hasil.baru} wilayah baru dimuat."))
        else:
            self.stdout.write("Semua wilayah ini sudah ada; tidak ada yang berubah.")
