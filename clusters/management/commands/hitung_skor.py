from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

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

    def handle(self, *args, tahun: int, **options):
        record = TahunEvaluasi.objects.filter(tahun=tahun).first()
        if record is None:
            raise CommandError(f"Tahun evaluasi {tahun} tidak ada.")
        snapshot = services.skor_hitung(tahun=record)
        rincian = snapshot.rincian_skor
        lebar = max([len(g.nama) for g in rincian.kelompok] + [5])
        kolom = ("Maks.", "Mandiri", "Berbukti", "Verifikasi")
        self.stdout.write(f"Skor {record} ({snapshot.durasi_ms} ms)")
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
