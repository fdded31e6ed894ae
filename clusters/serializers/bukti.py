"""Evidence files (data dukung) in the API: what is stored about each file, and an upload."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clusters.models import Lampiran


class PengunggahSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    nama = serializers.CharField(source="nama_lengkap", read_only=True)


class BuktiSerializer(serializers.ModelSerializer):
    """An evidence file as the page lists it: its name, kind and size as read when it was
    checked (the kind from the content, never from the name), its SHA-256, who uploaded it,
    and whether it is current (a replaced or removed file stays, for the history)."""

    nama = serializers.CharField(source="nama_asli", read_only=True)
    jenis = serializers.CharField(read_only=True, help_text=_("Jenis MIME, dibaca dari isinya."))
    ukuran = serializers.IntegerField(read_only=True, help_text=_("Ukuran dalam bita."))
    sha256 = serializers.CharField(
        read_only=True, help_text=_("SHA-256 isi berkas (heksadesimal).")
    )
    diunggah_oleh = PengunggahSerializer(read_only=True)
    aktif = serializers.SerializerMethodField()
    unduh = serializers.SerializerMethodField()

    class Meta:
        model = Lampiran
        fields = [
            "id",
            "jawaban",
            "nama",
            "jenis",
            "ukuran",
            "sha256",
            "diunggah",
            "diunggah_oleh",
            "aktif",
            "diganti_oleh",
            "dihapus",
            "unduh",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_aktif(self, lampiran: Lampiran) -> bool:
        return lampiran.diganti_oleh_id is None and lampiran.dihapus is None

    @extend_schema_field(OpenApiTypes.URI)
    def get_unduh(self, lampiran: Lampiran) -> str:
        alamat = reverse("bukti-unduh", args=[lampiran.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(alamat) if request else alamat


class UnggahBuktiSerializer(serializers.Serializer):
    """One file per request (multipart/form-data, field ``berkas``)."""

    # An empty file is refused by the page's check, with its message (kla_portal.berkas).
    berkas = serializers.FileField(
        allow_empty_file=True,
        help_text=_("PDF, JPG, PNG, XLSX atau DOCX; jenisnya dibaca dari isi berkas."),
    )
