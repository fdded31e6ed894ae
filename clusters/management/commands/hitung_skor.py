from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from agencies.models import Wilayah
from clusters import scoring, services
from clusters.models import TahunEvaluasi


def _poin(value) -> str:
    return f"{Decimal(value):>10,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


class Command(BaseCommand):
    help = (
        "Hitung ulang skor satu tahun evaluasi sekarang (tanpa menunggu pekerja latar) dan "
        "cetak total per kelompok serta kategorinya."
    )

    def add_arguments(self, parser):
        parser.add_argument("tahun", type=int)
        parser.add_argument(
            "--kota", default="", help="kode kabupaten/kota yang dilayani (bawaan: yang pertama)"
        )

    def handle(self, *args, tahun: int, kota: str = "", **options):
        record = TahunEvaluasi.objects.filter(tahun=tahun).first()
        if record is None:
            raise CommandError(f"Tahun evaluasi {tahun} tidak ada.")
        dilayani = Wilayah.objects.dilayani()
        daerah = dilayani.filter(kode=kota).first() if kota else dilayani.order_by("pk").first()
        if daerah is None:
            raise CommandError(
                f"Kabupaten/kota {kota} tidak dilayani portal ini."
                if kota
                else "Belum ada kabupaten/kota yang dilayani: muat dahulu dengan load_wilayah."
            )
        snapshot = services.skor_hitung(tahun=record, daerah_id=daerah.pk)
        rincian = snapshot.rincian_skor
        lebar = max([len(g.nama) for g in rincian.kelompok] + [5])
        kolom = ("Maks.", "Mandiri", "Berbukti", "Verifikasi")
        self.stdout.write(f"Skor {record} {daerah.nama} ({snapshot.durasi_ms} ms)")
        self.stdout.write(" " * lebar + "".join(f" {k:>10}" for k in kolom))
        for nama, baris in [*((g.nama, g) for g in rincian.kelompok), ("TOTAL", rincian.total)]:
            angka = (baris.max, baris.mandiri, baris.berbukti, baris.verifikasi)
            self.stdout.write(f"{nama:<{lebar}}" + "".join(f" {_poin(a)}" for a in angka))
        kategori = {
            k: "belum berkategori" if v == scoring.BELUM else v
            for k, v in rincian.kategori_total.items()
        }
        self.stdout.write(
            f"Kategori: mandiri {kategori['mandiri']}, berbukti {kategori['berbukti']}, "
            f"terverifikasi {kategori['verifikasi']}."
        )
