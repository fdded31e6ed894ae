"""Evidence files (kla_portal.models.Lampiran) in the REST API, whichever record they belong to:
the one upload check, storage and download of the pages (kla_portal.berkas), as endpoints.

An app describes its kind by subclassing the two viewsets: ``DaftarBukti`` (the files of one
record: list, upload) and ``SatuBukti`` (one file: metadata, remove, download), naming the
records the person may read, the permission that changes them and the services that add and
remove a file. Then, as on the pages: another's record or file is a 404, a reader who may not
change it a 403, a file over the limit a 413 and a file of a kind not accepted (a program named
.pdf, HTML, SVG) a 415 with the page's message, every other refusal of the service a 400;
nothing is stored on a refusal. A download is the page's own response
(kla_portal.berkas.respons_unduh): the checked kind, the original name, nosniff, a sandbox.
"""

from __future__ import annotations

import filetype
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from kla_portal import berkas as berkas_check
from kla_portal.api import ApiViewSet

# --- Refusals with their own status ------------------------------------------------------------


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


# --- Serializers -------------------------------------------------------------------------------


class UnggahBuktiSerializer(serializers.Serializer):
    """One file per request (multipart/form-data, field ``berkas``)."""

    # An empty file is refused by the page's check, with its message (kla_portal.berkas).
    berkas = serializers.FileField(
        allow_empty_file=True,
        help_text=_("PDF, JPG, PNG, XLSX atau DOCX; jenisnya dibaca dari isi berkas."),
    )


def berkas_dari(request):
    """The uploaded file of a request, refused with 400/413/415 before the service sees it."""
    serializer = UnggahBuktiSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    berkas = serializer.validated_data["berkas"]
    periksa_status(berkas)
    return berkas


class PengunggahSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    nama = serializers.CharField(source="nama_lengkap", read_only=True)


class BuktiDasarSerializer(serializers.ModelSerializer):
    """What every evidence file shows: its name, kind and size as read when it was checked
    (the kind from the content, never from the name), its SHA-256, who uploaded it, whether it
    is current (a replaced or removed file stays, for the history) and where to download it.
    A child names its model, its parent field and ``URL_UNDUH`` (the download's route name)."""

    URL_UNDUH = ""
    DASAR = [
        "id", "nama", "jenis", "ukuran", "sha256", "diunggah", "diunggah_oleh", "aktif", "catatan"
    ]  # fmt: skip

    nama = serializers.CharField(source="nama_asli", read_only=True)
    jenis = serializers.CharField(read_only=True, help_text=_("Jenis MIME, dibaca dari isinya."))
    ukuran = serializers.IntegerField(read_only=True, help_text=_("Ukuran dalam bita."))
    sha256 = serializers.CharField(
        read_only=True, help_text=_("SHA-256 isi berkas (heksadesimal).")
    )
    diunggah_oleh = PengunggahSerializer(read_only=True)
    aktif = serializers.SerializerMethodField()
    catatan = serializers.SerializerMethodField(
        help_text=_(
            "Hanya pada jawaban unggahan: apa yang dibuang dari PDF saat diperiksa (skrip, "
            "lampiran tersembunyi). Kosong bila tidak ada."
        )
    )
    unduh = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_aktif(self, lampiran) -> bool:
        return getattr(lampiran, "diganti_oleh_id", None) is None and lampiran.dihapus is None

    def get_catatan(self, lampiran) -> str:
        return self.context.get("catatan", "")

    @extend_schema_field(OpenApiTypes.URI)
    def get_unduh(self, lampiran) -> str:
        alamat = reverse(self.URL_UNDUH, args=[lampiran.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(alamat) if request else alamat


UNGGAHAN = [MultiPartParser, FormParser]  # the parsers of an upload (else a 415)


# --- Schema ------------------------------------------------------------------------------------

PENOLAKAN = {
    400: OpenApiResponse(description="Ditolak: terkunci, PDF rusak, berkas kosong."),
    403: OpenApiResponse(description="Boleh membaca, tetapi tidak mengubahnya."),
    404: OpenApiResponse(description="Tidak ada atau bukan bagian Anda."),
    413: OpenApiResponse(description="Berkas melebihi batas ukuran unggahan."),
    415: OpenApiResponse(description="Isi berkas bukan PDF, JPG, PNG, XLSX atau DOCX."),
}
UNGGAH = {"multipart/form-data": UnggahBuktiSerializer}
BERKAS = OpenApiResponse(
    response=OpenApiTypes.BINARY,
    description=(
        "Isi berkas. PDF dan gambar dibuka di peramban (inline), jenis lain diunduh "
        "(attachment); selalu dengan X-Content-Type-Options: nosniff dan "
        "Content-Security-Policy: sandbox."
    ),
)


def skema_daftar(serializer, contoh: OpenApiExample, induk: str):
    """The documentation of a DaftarBukti (``induk``: what the files belong to)."""
    return extend_schema_view(
        list=extend_schema(
            summary=f"Data dukung {induk}",
            parameters=[
                OpenApiParameter(
                    "semua",
                    OpenApiTypes.BOOL,
                    description="Sertakan berkas yang sudah diganti atau dilepas (riwayat).",
                )
            ],
            examples=[contoh],
        ),
        create=extend_schema(
            summary=f"Unggah data dukung {induk}",
            description=(
                "Satu berkas per permintaan (multipart, kolom `berkas`), diperiksa seperti di "
                "halaman. Kirim `Idempotency-Key` agar pengulangan tidak menyimpan dua kali."
            ),
            request=UNGGAH,
            responses={201: serializer, **PENOLAKAN},
            examples=[contoh],
        ),
    )


def skema_satu(contoh: OpenApiExample):
    """The documentation of a SatuBukti."""
    return extend_schema_view(
        retrieve=extend_schema(summary="Keterangan satu data dukung", examples=[contoh]),
        destroy=extend_schema(
            summary="Lepas data dukung",
            description="Berkas tetap tercatat di riwayat, seperti tombol Lepas di halaman.",
            responses={204: None, **PENOLAKAN},
        ),
        unduh=extend_schema(
            summary="Unduh berkas",
            responses={(200, jenis): BERKAS for jenis in berkas_check.DITERIMA}
            | {404: OpenApiResponse(description="Tidak ada atau bukan bagian Anda.")},
        ),
    )


# --- Viewsets ----------------------------------------------------------------------------------


class _Bukti(ApiViewSet):
    """What both share: the app's read permission (a 403, as the page's), no filters."""

    izin_baca: str | None = None  # needed to read at all, as the page's view asks
    izin_ubah: str = ""  # on ``objek_izin``: upload, replace, remove
    filter_backends: list = []

    def check_permissions(self, request):
        super().check_permissions(request)
        if self.izin_baca and not request.user.has_perm(self.izin_baca):
            self.permission_denied(request)

    def objek_izin(self, record):
        """What ``izin_ubah`` is checked on, given the parent record (or a file)."""
        raise NotImplementedError

    def periksa_ubah(self, record) -> None:
        if not self.request.user.has_perm(self.izin_ubah, self.objek_izin(record)):
            raise PermissionDenied

    def dibuat(self, lampiran, berkas, route: str) -> Response:
        """The answer to an upload: the new file, with what the check cut out of it (the
        page tells it as a message: kla_portal.middleware.CatatanUnggahanMiddleware)."""
        alamat = self.request.build_absolute_uri(reverse(route, args=[lampiran.pk]))
        serializer = self.get_serializer(lampiran)
        serializer.context["catatan"] = getattr(berkas, "catatan_keamanan", "")
        data = serializer.data
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": alamat})


class DaftarBukti(mixins.ListModelMixin, _Bukti):
    """The files of one record (``/<induk>/{<induk_kwarg>}/bukti/``): list (current files, all
    with ``?semua=true``) and upload."""

    induk_kwarg = ""
    route_detail = ""  # the route name of one file (the Location of an upload)
    parser_classes = UNGGAHAN

    def induk_terlihat(self):
        """The parent records the person may read (the page's visible_to)."""
        raise NotImplementedError

    def lampiran_dari(self, induk):
        raise NotImplementedError

    def aktif(self, lampiran):
        return lampiran.filter(dihapus__isnull=True)

    def tambah(self, induk, berkas):
        """Store the file through the page's service; returns the new file."""
        raise NotImplementedError

    def induk(self):
        if not hasattr(self, "_induk"):
            self._induk = get_object_or_404(self.induk_terlihat(), pk=self.kwargs[self.induk_kwarg])
        return self._induk

    def get_queryset(self):
        model = self.get_serializer_class().Meta.model
        if getattr(self, "swagger_fake_view", False):
            return model.objects.none()
        lampiran = self.lampiran_dari(self.induk())
        if self.request.query_params.get("semua", "").lower() not in ("1", "true", "ya"):
            lampiran = self.aktif(lampiran)
        return lampiran.select_related("diunggah_oleh").order_by("diunggah", "pk")

    def create(self, request, *args, **kwargs):
        induk = self.induk()
        self.periksa_ubah(induk)
        berkas = berkas_dari(request)
        return self.dibuat(self.tambah(induk, berkas), berkas, self.route_detail)


class SatuBukti(mixins.RetrieveModelMixin, _Bukti):
    """One file of a record the person may read (``/<prefix>/{id}/``): metadata, remove
    (it stays in the history), download (``unduh/``)."""

    def lampiran_terlihat(self):
        """The files of the records the person may read."""
        raise NotImplementedError

    def lepas(self, lampiran) -> None:
        raise NotImplementedError

    def get_queryset(self):
        model = self.get_serializer_class().Meta.model
        if getattr(self, "swagger_fake_view", False):
            return model.objects.none()
        return self.lampiran_terlihat().select_related("diunggah_oleh")

    def perform_content_negotiation(self, request, force=False):
        # A download answers with the file whatever the client accepts (Accept: application/pdf).
        return super().perform_content_negotiation(request, force=force or self.action == "unduh")

    def untuk_diubah(self):
        lampiran = self.get_object()
        self.periksa_ubah(lampiran)
        return lampiran

    def destroy(self, request, *args, **kwargs):
        self.lepas(self.untuk_diubah())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["get"])
    def unduh(self, request, *args, **kwargs):
        """The page's download: permission checked, streamed, sandboxed."""
        return berkas_check.respons_unduh(self.get_object())
