from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from clusters.models import TahunEvaluasi
from laporan import bundel


class Command(BaseCommand):
    help = (
        "Buat bundel evaluasi satu tahun sekarang, tanpa pekerja latar: PDF lengkap dengan data "
        "dukung, atau (--zip) ringkasan PDF dan data dukung per pertanyaan."
    )

    def add_arguments(self, parser):
        parser.add_argument("tahun", type=int)
        parser.add_argument("--out", required=True, help="Berkas tujuan, misalnya bundel.pdf")
        parser.add_argument(
            "--zip", action="store_true", help="ZIP: ringkasan PDF dan data dukung asli"
        )

    def handle(self, *args, tahun: int, out: str, zip: bool, **options):
        record = TahunEvaluasi.objects.filter(tahun=tahun).first()
        if record is None:
            raise CommandError(f"Tahun evaluasi {tahun} tidak ada.")
        if not record.pertanyaan.exists():
            raise CommandError(f"Tahun evaluasi {tahun} belum memiliki instrumen.")
        tujuan = Path(out).expanduser().resolve()
        if not tujuan.parent.is_dir():
            raise CommandError(f"Folder {tujuan.parent} tidak ada.")
        terakhir = {"persen": -1}

        def lapor(persen: int, langkah: str) -> None:
            if persen // 5 != terakhir["persen"] // 5:  # a line every 5%
                terakhir["persen"] = persen
                self.stdout.write(f"{persen:3d}%  {langkah}")

        bangun = bundel.bangun_zip if zip else bundel.bangun_pdf
        hasil = bangun(record, tujuan=tujuan, lapor=lapor)
        self.stdout.write(
            self.style.SUCCESS(
                f"Bundel {tahun} tersimpan di {tujuan}: {hasil.halaman} halaman PDF, "
                f"{filesizeformat(tujuan.stat().st_size)}, {len(hasil.bukti)} data dukung."
            )
        )
        for b in hasil.tidak_disisipkan:
            self.stdout.write(f"  tidak disisipkan: {b.lampiran.nama_asli} ({b.alasan})")
