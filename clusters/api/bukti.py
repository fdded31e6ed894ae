"""REST API of evidence files (data dukung) of answers: list, upload, replace, remove, download.

The same as the question page (clusters.views.jawaban): the files of an answer the person may
read (``Jawaban.objects.visible_to``; another's is a 404), changed only by who may answer it
(``clusters.isi_jawaban``, else 403), through the same services (``lampiran_tambah``,
``lampiran_ganti``, ``lampiran_lepas``), so the same checks hold: the kind read from the
content, the size limit, active PDF parts cut out, a sent or verified answer locked, nothing
stored on a refusal. A file over the limit is a 413, a file of a kind not accepted (a program
named .pdf, HTML, SVG) a 415, every other refusal a 400, each with the page's message.
Downloads are the page's own response (kla_portal.berkas.respons_unduh): the checked kind,
the original name, nosniff and a sandbox. See kla_portal.api for what every endpoint shares.
"""

from __future__ import annotations

import filetype
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from clusters import services
from clusters.models import Jawaban, Lampiran
from clusters.serializers.bukti import BuktiSerializer, UnggahBuktiSerializer
from kla_portal import berkas as berkas_check
from kla_portal.api import ApiViewSet

IZIN_UBAH = "clusters.isi_jawaban"


class TerlaluBesar(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "berkas_terlalu_besar"


class JenisDitolak(exceptions.APIException):
    status_code = status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
    default_code = "jenis_berkas_ditolak"


def _jenis_diterima(berkas) -> bool:
    berkas.seek(0)
    kind = filetype.guess(berkas.read(8192))
    berkas.seek(0)
    return kind is not None and kind.mime in berkas_check.DITERIMA


def periksa_status(berkas) -> None:
    """Give the two refusals that have their own status their status: a file over the limit
    (413) and a file of a kind not accepted (415), with the page's message (the very checks of
    kla_portal.berkas). The service checks the file again, fully, before it stores it."""
    try:
        berkas_check.periksa_ukuran(berkas)
    except DjangoValidationError as error:
        raise TerlaluBesar(" ".join(error.messages)) from None
    if berkas.size and not _jenis_diterima(berkas):
        try:
            berkas_check.periksa_berkas(berkas)
        except DjangoValidationError as error:
            raise JenisDitolak(" ".join(error.messages)) from None


def _berkas_dari(request):
    serializer = UnggahBuktiSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    berkas = serializer.validated_data["berkas"]
    periksa_status(berkas)
    return berkas


def _dibuat(view, lampiran: Lampiran) -> Response:
    alamat = view.request.build_absolute_uri(reverse("bukti-detail", args=[lampiran.pk]))
    data = view.get_serializer(lampiran).data
    return Response(data, status=status.HTTP_201_CREATED, headers={"Location": alamat})


def _dengan_pengunggah(queryset):
    return queryset.select_related("diunggah_oleh").order_by("diunggah", "pk")


CONTOH = OpenApiExample(
    "Data dukung",
    value={
        "id": 12,
        "jawaban": 7,
        "nama": "SK Gugus Tugas 2024.pdf",
        "jenis": "application/pdf",
        "ukuran": 184320,
        "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "diunggah": "2024-03-04T09:15:00+07:00",
        "diunggah_oleh": {"id": 5, "nama": "Rina Operator Dinkes"},
        "aktif": True,
        "diganti_oleh": None,
        "dihapus": None,
        "unduh": "https://kla.example.go.id/api/v1/bukti/12/unduh/",
    },
    response_only=True,
)
PENOLAKAN = {
    400: OpenApiResponse(description="Ditolak (jawaban terkunci, PDF rusak, berkas kosong)."),
    403: OpenApiResponse(description="Boleh membaca jawaban ini, tetapi tidak mengubahnya."),
    404: OpenApiResponse(description="Jawaban tidak ada atau bukan bagian Anda."),
    413: OpenApiResponse(description="Berkas melebihi batas ukuran unggahan."),
    415: OpenApiResponse(description="Isi berkas bukan PDF, JPG, PNG, XLSX atau DOCX."),
}
UNGGAH = {"multipart/form-data": UnggahBuktiSerializer}


@extend_schema_view(
    list=extend_schema(
        summary="Data dukung sebuah jawaban",
        parameters=[
            OpenApiParameter(
                "semua",
                OpenApiTypes.BOOL,
                description="Sertakan berkas yang sudah diganti atau dilepas (riwayat).",
            )
        ],
        examples=[CONTOH],
    ),
    create=extend_schema(
        summary="Unggah data dukung",
        description=(
            "Satu berkas per permintaan (multipart, kolom `berkas`), diperiksa seperti di "
            "halaman. Kirim `Idempotency-Key` agar pengulangan tidak menyimpan dua kali."
        ),
        request=UNGGAH,
        responses={201: BuktiSerializer, **PENOLAKAN},
        examples=[CONTOH],
    ),
)
class BuktiJawabanViewSet(mixins.ListModelMixin, ApiViewSet):
    """The evidence files of one answer (``/jawaban/{jawaban_id}/bukti/``)."""

    serializer_class = BuktiSerializer
    parser_classes = [MultiPartParser, FormParser]
    filter_backends: list = []

    def jawaban(self) -> Jawaban:
        if not hasattr(self, "_jawaban"):
            self._jawaban = get_object_or_404(
                Jawaban.objects.visible_to(self.request.user).select_related(
                    "pertanyaan", "wilayah"
                ),
                pk=self.kwargs["jawaban_id"],
            )
        return self._jawaban

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Lampiran.objects.none()
        lampiran = Lampiran.objects.filter(jawaban=self.jawaban())
        if self.request.query_params.get("semua", "").lower() not in ("1", "true", "ya"):
            lampiran = lampiran.aktif()
        return _dengan_pengunggah(lampiran)

    def create(self, request, *args, **kwargs):
        jawaban = self.jawaban()
        if not request.user.has_perm(IZIN_UBAH, jawaban):
            raise PermissionDenied
        lampiran = services.lampiran_tambah(
            pertanyaan=jawaban.pertanyaan,
            wilayah=jawaban.wilayah,
            by=request.user,
            berkas=_berkas_dari(request),
        )
        return _dibuat(self, lampiran)


BERKAS = OpenApiResponse(
    response=OpenApiTypes.BINARY,
    description=(
        "Isi berkas. PDF dan gambar dibuka di peramban (inline), jenis lain diunduh "
        "(attachment); selalu dengan X-Content-Type-Options: nosniff dan "
        "Content-Security-Policy: sandbox."
    ),
)


@extend_schema_view(
    retrieve=extend_schema(summary="Keterangan satu data dukung", examples=[CONTOH]),
    destroy=extend_schema(
        summary="Lepas data dukung dari jawaban",
        description="Berkas tetap tercatat di riwayat, seperti tombol Lepas di halaman.",
        responses={204: None, **PENOLAKAN},
    ),
    unduh=extend_schema(
        summary="Unduh berkas",
        responses={(200, jenis): BERKAS for jenis in berkas_check.DITERIMA}
        | {404: OpenApiResponse(description="Tidak ada atau bukan bagian Anda.")},
    ),
    ganti=extend_schema(
        summary="Ganti berkas",
        description="Berkas baru menggantikan yang lama; yang lama tetap di riwayat.",
        request=UNGGAH,
        responses={201: BuktiSerializer, **PENOLAKAN},
        examples=[CONTOH],
    ),
)
class BuktiViewSet(mixins.RetrieveModelMixin, ApiViewSet):
    """One evidence file of an answer the person may read (``/bukti/{id}/``)."""

    serializer_class = BuktiSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Lampiran.objects.none()
        return _dengan_pengunggah(
            Lampiran.objects.filter(jawaban__in=Jawaban.objects.visible_to(self.request.user))
        ).select_related("jawaban__pertanyaan", "jawaban__wilayah")

    def get_parsers(self):
        if getattr(self, "action", None) == "ganti":
            return [MultiPartParser(), FormParser()]
        return super().get_parsers()

    def perform_content_negotiation(self, request, force=False):
        # A download answers with the file whatever the client accepts (Accept: application/pdf).
        return super().perform_content_negotiation(request, force=force or self.action == "unduh")

    def _untuk_diubah(self) -> Lampiran:
        lampiran = self.get_object()
        if not self.request.user.has_perm(IZIN_UBAH, lampiran.jawaban):
            raise PermissionDenied
        return lampiran

    def destroy(self, request, *args, **kwargs):
        services.lampiran_lepas(lampiran=self._untuk_diubah(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["get"])
    def unduh(self, request, *args, **kwargs):
        """The page's download: permission checked, streamed, sandboxed."""
        return berkas_check.respons_unduh(self.get_object())

    @action(detail=True, methods=["post"])
    def ganti(self, request, *args, **kwargs):
        lampiran = self._untuk_diubah()
        baru = services.lampiran_ganti(
            lampiran=lampiran, by=request.user, berkas=_berkas_dari(request)
        )
        return _dibuat(self, baru)


_daftar = BuktiJawabanViewSet.as_view({"get": "list", "post": "create"})

RUTE = [("bukti", BuktiViewSet, "bukti")]
URLS = [path("jawaban/<int:jawaban_id>/bukti/", _daftar, name="jawaban-bukti")]
