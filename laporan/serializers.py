"""What the API shows of background jobs, and what it takes to start one."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from kla_portal.models import Pekerjaan
from laporan import kemajuan
from laporan.models import Bundel

# What a finished job tells of its result (never where its file is stored).
HASIL_TAMPIL = ("ringkasan", "nama_berkas", "ukuran", "sha256")


def perkiraan_sisa(job: Pekerjaan, sekarang=None) -> float | None:
    """Seconds still to go for a running job, from the pace so far; None when it cannot be
    told (queued, ended, nothing done yet)."""
    if job.status != Pekerjaan.Status.BERJALAN or not job.mulai or not 0 < job.persen < 100:
        return None
    berjalan = ((sekarang or timezone.now()) - job.mulai).total_seconds()
    return round(max(0.0, berjalan * (100 - job.persen) / job.persen), 1)


class PekerjaanSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    perkiraan_sisa_detik = serializers.SerializerMethodField()
    perkiraan_sisa = serializers.SerializerMethodField()
    hasil = serializers.SerializerMethodField()
    unduh = serializers.SerializerMethodField()
    dapat_diulang = serializers.BooleanField(read_only=True)

    class Meta:
        model = Pekerjaan
        fields = [
            "id",
            "jenis",
            "judul",
            "status",
            "status_label",
            "persen",
            "langkah",
            "pesan",
            "perkiraan_sisa_detik",
            "perkiraan_sisa",
            "hasil",
            "unduh",
            "dapat_diulang",
            "minta_batal",
            "dibuat",
            "mulai",
            "selesai",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.FLOAT)
    def get_perkiraan_sisa_detik(self, job: Pekerjaan) -> float | None:
        return perkiraan_sisa(job)

    @extend_schema_field(OpenApiTypes.STR)
    def get_perkiraan_sisa(self, job: Pekerjaan) -> str | None:
        detik = perkiraan_sisa(job)
        return None if detik is None else kemajuan.lama(detik)

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_hasil(self, job: Pekerjaan) -> dict:
        return {k: job.hasil[k] for k in HASIL_TAMPIL if k in (job.hasil or {})}

    @extend_schema_field(OpenApiTypes.URI)
    def get_unduh(self, job: Pekerjaan) -> str | None:
        """The API address of the job's file, once it has one."""
        if job.status != Pekerjaan.Status.SELESAI or job.jenis not in ("bundel", "paket"):
            return None
        return reverse("pekerjaan-unduh", args=[job.pk], request=self.context.get("request"))


class BundelMintaSerializer(serializers.Serializer):
    tahun = serializers.IntegerField(label=_("tahun"), min_value=2000, max_value=2100)
    jenis = serializers.ChoiceField(label=_("jenis"), choices=Bundel.Jenis.choices)


class PaketMintaSerializer(serializers.Serializer):
    tahun = serializers.IntegerField(label=_("tahun"), min_value=2000, max_value=2100)


class ImporRadSerializer(serializers.Serializer):
    periode = serializers.IntegerField(label=_("periode RAD"), min_value=1)
    berkas = serializers.FileField(label=_("berkas"))
