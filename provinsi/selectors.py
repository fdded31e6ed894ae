"""What the province's pages and a city's score page read of the province's step."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from clusters.models import EvaluasiDaerah, Lampiran, TahunEvaluasi, VerifikasiProvinsi
from provinsi import services


@dataclass(frozen=True)
class KeadaanKota:
    """A city's year at the province, as its score page shows it: the round (None before the
    province set a deadline or the city sent it), its answers per province status, and why it
    cannot be sent yet (empty when it can, or once sent)."""

    evaluasi: EvaluasiDaerah | None
    per_status: dict
    alasan_belum: str

    @property
    def dikembalikan(self) -> int:
        return self.per_status.get(VerifikasiProvinsi.Status.DIKEMBALIKAN, 0)

    @property
    def terkirim(self) -> bool:
        return bool(self.evaluasi and self.evaluasi.dikirim_provinsi)

    def __repr__(self) -> str:  # the score page's ETag (kla_portal.bersyarat) reads repr()
        return repr(self.kunci())

    def kunci(self) -> tuple:
        """What the page's ETag needs of it."""
        e = self.evaluasi
        return (
            e and (e.status_provinsi, e.dikirim_provinsi, e.batas_kirim, e.alasan_batas),
            sorted(self.per_status.items()),
            self.alasan_belum,
        )


def keadaan_kota(tahun: TahunEvaluasi, kota_id: int) -> KeadaanKota:
    """Two queries: the round, and the answers counted (services.hitung_jawaban)."""
    evaluasi = EvaluasiDaerah.objects.filter(tahun=tahun, daerah_id=kota_id).first()
    angka = services.hitung_jawaban(tahun, kota_id)
    per_status = {s: angka[s] for s in VerifikasiProvinsi.Status.values if angka[s]}
    terkirim = evaluasi is not None and evaluasi.dikirim_provinsi is not None
    alasan = "" if terkirim else services.alasan_belum_dapat_dikirim(angka)
    return KeadaanKota(evaluasi, per_status, alasan)


def daftar_verifikasi(tahun: TahunEvaluasi, kota_id: int, status: str):
    """A city's answers at the province, with what a verifier reads beside each: the question,
    the lead agency, the city's points and reason, the current evidence."""
    daftar = VerifikasiProvinsi.objects.filter(daerah_id=kota_id, jawaban__pertanyaan__tahun=tahun)
    if status:
        daftar = daftar.filter(status=status)
    return (
        daftar.select_related("jawaban__pertanyaan__indikator", "jawaban__opd", "diubah_oleh")
        .prefetch_related(
            Prefetch("jawaban__lampiran", queryset=Lampiran.objects.aktif().order_by("pk"))
        )
        .order_by(
            "jawaban__pertanyaan__indikator__kelompok__urutan",
            "jawaban__pertanyaan__indikator__urutan",
            "jawaban__pertanyaan__urutan",
            "pk",
        )
    )
