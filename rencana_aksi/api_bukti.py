"""REST API of the evidence of RAD quarterly reports: list, upload, remove, download.

The same as the report page (rencana_aksi.views.realisasi): readers of the RAD only
(``rencana_aksi.lihat_rad``, else 403), the files of reports the person may read
(``Realisasi.objects.visible_to``; another agency's is a 404), changed only by an operator of
the action's lead agency (``rencana_aksi.lapor_realisasi``, else 403), through the page's
services (``bukti_tambah``, ``bukti_lepas``), with the checks every evidence file gets
(kla_portal.api_bukti). Registered in rencana_aksi.api.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiExample

from kla_portal import api_bukti
from kla_portal.api_bukti import BuktiDasarSerializer, DaftarBukti, SatuBukti
from rencana_aksi import services
from rencana_aksi.models import LampiranRealisasi, Realisasi

IZIN_BACA = "rencana_aksi.lihat_rad"
IZIN_UBAH = "rencana_aksi.lapor_realisasi"


class BuktiRealisasiSerializer(BuktiDasarSerializer):
    """An evidence file of a quarterly report (a removed one stays, for the history)."""

    URL_UNDUH = "bukti-realisasi-unduh"

    class Meta:
        model = LampiranRealisasi
        fields = [*BuktiDasarSerializer.DASAR, "realisasi", "dihapus", "unduh"]
        read_only_fields = fields


CONTOH = OpenApiExample(
    "Bukti realisasi",
    value={
        "id": 3,
        "nama": "Foto kegiatan TW II.jpg",
        "jenis": "image/jpeg",
        "ukuran": 402113,
        "sha256": "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
        "diunggah": "2024-07-10T10:02:00+07:00",
        "diunggah_oleh": {"id": 5, "nama": "Rina Operator Dinkes"},
        "aktif": True,
        "catatan": "",
        "realisasi": 41,
        "dihapus": None,
        "unduh": "https://kla.example.go.id/api/v1/rad/bukti/3/unduh/",
    },
    response_only=True,
)


@api_bukti.skema_daftar(BuktiRealisasiSerializer, CONTOH, "laporan triwulan")
class BuktiLaporanViewSet(DaftarBukti):
    """The evidence files of one quarterly report (``/rad/realisasi/{realisasi_id}/bukti/``)."""

    serializer_class = BuktiRealisasiSerializer
    izin = IZIN_BACA
    izin_ubah = IZIN_UBAH
    induk_kwarg = "realisasi_id"
    route_detail = "bukti-realisasi-detail"

    def induk_terlihat(self):
        return Realisasi.objects.visible_to(self.request.user).select_related("aksi")

    def lampiran_dari(self, induk):
        return LampiranRealisasi.objects.filter(realisasi=induk)

    def objek_izin(self, record):
        return record.aksi

    def tambah(self, induk, berkas):
        return services.bukti_tambah(realisasi=induk, berkas=berkas, by=self.request.user)


@api_bukti.skema_satu(CONTOH)
class BuktiRealisasiViewSet(SatuBukti):
    """One evidence file of a quarterly report (``/rad/bukti/{id}/``)."""

    serializer_class = BuktiRealisasiSerializer
    izin = IZIN_BACA
    izin_ubah = IZIN_UBAH

    def lampiran_terlihat(self):
        return LampiranRealisasi.objects.filter(
            realisasi__in=Realisasi.objects.visible_to(self.request.user)
        ).select_related("realisasi__aksi")

    def objek_izin(self, record):
        return record.realisasi.aksi

    def lepas(self, lampiran) -> None:
        services.bukti_lepas(lampiran=lampiran, by=self.request.user)


_daftar = BuktiLaporanViewSet.as_view({"get": "list", "post": "create"})

RUTE = [("rad/bukti", BuktiRealisasiViewSet, "bukti-realisasi")]
URLS = [path("rad/realisasi/<int:realisasi_id>/bukti/", _daftar, name="realisasi-bukti")]
