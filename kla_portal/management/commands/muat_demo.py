from django.core.management.base import BaseCommand

from agencies import demo as agencies_demo
from agencies.models import Peran
from clusters import demo as clusters_demo
from koordinasi import demo as koordinasi_demo
from provinsi import demo as provinsi_demo
from rencana_aksi import demo as rencana_aksi_demo


class Command(BaseCommand):
    help = (
        "Muat data demo Provinsi Banten: Kota Serang lengkap, Kota Cilegon dan Kab. Pandeglang "
        "(wilayah, OPD, akun demo). Aman dijalankan ulang."
    )

    def handle(self, *args, **options):
        # Each part says what it loads before it starts: the whole takes a minute or two.
        tahap = [
            ("wilayah Kota Serang, OPD dan akun demo", agencies_demo.seed),
            ("evaluasi KLA 2024: instrumen dan jawaban contoh", clusters_demo.seed),
            ("RAD KLA 2025–2029: aksi dan laporan triwulan contoh", rencana_aksi_demo.seed),
            ("Gugus Tugas, rapat, tindak lanjut dan fasilitas wilayah", koordinasi_demo.seed),
            ("Provinsi Banten: Kota Cilegon dan Kab. Pandeglang", provinsi_demo.seed),
        ]
        hasil = []
        for nomor, (apa, muat) in enumerate(tahap, start=1):
            self.stdout.write(f"[{nomor}/{len(tahap)}] Memuat {apa}…")
            self.stdout.flush()
            hasil.append(muat(stdout=self.stdout))
        akun = [*hasil[0], *hasil[-1]]
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Akun demo, kata sandi semuanya: {agencies_demo.SANDI_DEMO}")
        )
        for a in akun:
            unit = a.opd or a.wilayah or "seluruh kota"
            self.stdout.write(f"  {a.username:<22} {Peran(a.peran).label:<30} {unit}")
