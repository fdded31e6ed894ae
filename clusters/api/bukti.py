"""REST API of evidence files (data dukung) of answers: list, upload, replace, remove, download.

The same as the question page (clusters.views.jawaban): the files of an answer the person may
read (``Jawaban.objects.visible_to``; another's is a 404), changed only by who may answer it
(``clusters.isi_jawaban``, else 403), through the same services (``lampiran_tambah``,
``lampiran_ganti``, ``lampiran_lepas``), so the same checks hold: the kind read from the
content, the size limit, active PDF parts cut out, a sent or verified answer locked, nothing
stored on a refusal (413 too large, 415 a kind not accepted, 400 otherwise). What every
evidence endpoint shares is in kla_portal.api_bukti; what every endpoint shares, kla_portal.api.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.decorators import action

from clusters import services
from clusters.models import Jawaban, Lampiran
from clusters.serializers.bukti import BuktiSerializer
from kla_portal import api_bukti
from kla_portal.api_bukti import DaftarBukti, SatuBukti, berkas_dari

IZIN_UBAH = "clusters.isi_jawaban"

CONTOH = OpenApiExample(
    "Data dukung",
    value={
        "id": 12,
        "nama": "SK Gugus Tugas 2024.pdf",
        "jenis": "application/pdf",
        "ukuran": 184320,
        "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "diunggah": "2024-03-04T09:15:00+07:00",
        "diunggah_oleh": {"id": 5, "nama": "Rina Operator Dinkes"},
        "aktif": True,
        "catatan": "",
        "jawaban": 7,
        "diganti_oleh": None,
        "dihapus": None,
        "unduh": "https://kla.example.go.id/api/v1/bukti/12/unduh/",
    },
    response_only=True,
)


@api_bukti.skema_daftar(BuktiSerializer, CONTOH, "jawaban")
class BuktiJawabanViewSet(DaftarBukti):
    """The evidence files of one answer (``/jawaban/{jawaban_id}/bukti/``)."""

    serializer_class = BuktiSerializer
    izin_ubah = IZIN_UBAH
    induk_kwarg = "jawaban_id"
    route_detail = "bukti-detail"

    def induk_terlihat(self):
        return Jawaban.objects.visible_to(self.request.user).select_related("pertanyaan", "wilayah")

    def lampiran_dari(self, induk):
        return Lampiran.objects.filter(jawaban=induk)

    def aktif(self, lampiran):
        return lampiran.aktif()

    def objek_izin(self, record):
        return record

    def tambah(self, induk, berkas):
        # The evidence-only save of the page's upload (jawaban_simpan with files runs the same
        # check and storage: kla_portal.berkas.simpan_lampiran_semua).
        return services.lampiran_tambah(
            pertanyaan=induk.pertanyaan, wilayah=induk.wilayah, by=self.request.user, berkas=berkas
        )


@api_bukti.skema_satu(CONTOH)
class BuktiViewSet(SatuBukti):
    """One evidence file of an answer the person may read (``/bukti/{id}/``)."""

    serializer_class = BuktiSerializer
    izin_ubah = IZIN_UBAH

    def lampiran_terlihat(self):
        return Lampiran.objects.filter(
            jawaban__in=Jawaban.objects.visible_to(self.request.user)
        ).select_related("jawaban__pertanyaan", "jawaban__wilayah")

    def objek_izin(self, record):
        return record.jawaban

    def lepas(self, lampiran) -> None:
        services.lampiran_lepas(lampiran=lampiran, by=self.request.user)

    @extend_schema(
        summary="Ganti berkas",
        description="Berkas baru menggantikan yang lama; yang lama tetap di riwayat.",
        request=api_bukti.UNGGAH,
        responses={201: BuktiSerializer, **api_bukti.PENOLAKAN},
        examples=[CONTOH],
    )
    @action(detail=True, methods=["post"], parser_classes=api_bukti.UNGGAHAN)
    def ganti(self, request, *args, **kwargs):
        lampiran = self.untuk_diubah()
        berkas = berkas_dari(request)
        baru = services.lampiran_ganti(lampiran=lampiran, by=request.user, berkas=berkas)
        return self.dibuat(baru, berkas, "bukti-detail")


_daftar = BuktiJawabanViewSet.as_view({"get": "list", "post": "create"})

RUTE = [("bukti", BuktiViewSet, "bukti")]
URLS = [path("jawaban/<int:jawaban_id>/bukti/", _daftar, name="jawaban-bukti")]
