from django.core.management.base import CommandError

from clusters import impor_jawaban, services
from clusters.models import TahunEvaluasi
from kla_portal.management.perintah_impor import PerintahImpor
from kla_portal.tabel import baca_tabel


class Command(PerintahImpor):
    help = "Periksa dan impor jawaban evaluasi KLA satu tahun dari berkas XLSX atau CSV."
    IZIN_OLEH = "clusters.impor_jawaban"
    OLEH_BANTUAN = (
        "impor sebagai pengguna ini: hanya pertanyaan yang boleh ia impor, tercatat "
        "di riwayat atas namanya (tanpa ini: semua pertanyaan, tanpa nama)"
    )
    OLEH_DITOLAK = "{oleh} tidak berhak mengimpor jawaban."
    PER_KOTA = True

    def add_arguments(self, parser):
        parser.add_argument("tahun", type=int)
        super().add_arguments(parser)

    def sasaran(self, *, tahun: int, **options) -> TahunEvaluasi:
        record = TahunEvaluasi.objects.filter(tahun=tahun).first()
        if record is None:
            raise CommandError(f"Tahun evaluasi {tahun} belum ada.")
        return record

    def periksa(self, record, nama, isi, pengguna):
        return impor_jawaban.periksa(
            baca_tabel(nama, isi), tahun=record, pengguna=pengguna, daerah_id=self.daerah_id
        )

    def tulis(self, record, laporan, pengguna):
        return record, services.jawaban_impor(tahun=record, laporan=laporan, by=pengguna)
