from django.core.management.base import BaseCommand

from agencies import demo as agencies_demo
from agencies.models import Peran
from clusters import demo as clusters_demo
from koordinasi import demo as koordinasi_demo
from rencana_aksi import demo as rencana_aksi_demo


class Command(BaseCommand):
    help = "Muat data demo Kota Serang (wilayah, OPD, akun demo). Aman dijalankan ulang."

    def handle(self, *args, **options):
        akun = agencies_demo.seed(stdout=self.stdout)
        clusters_demo.seed(stdout=self.stdout)
        rencana_aksi_demo.seed(stdout=self.stdout)
        koordinasi_demo.seed(stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Akun demo, kata sandi semuanya: {agencies_demo.SANDI_DEMO}")
        )
        for a in akun:
            unit = a.opd or a.wilayah or "seluruh kota"
            self.stdout.write(f"  {a.username:<18} {Peran(a.peran).label:<30} {unit}")
