"""Quarterly reports (with their evidence and workflow steps) and the monitoring dashboard's
figures."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kla_portal.api import TanpaIsianAsing
from rencana_aksi.models import (
    LampiranRealisasi,
    Realisasi,
)
from rencana_aksi.serializers.dasar import ANGKA, PERSEN, RUPIAH
from rencana_aksi.serializers.rencana import KeadaanAksiSerializer

# --- Quarterly reports --------------------------------------------------------------------


class BuktiRealisasiRingkasSerializer(serializers.ModelSerializer):
    unduh = serializers.SerializerMethodField()

    class Meta:
        model = LampiranRealisasi
        fields = ["id", "nama_asli", "jenis", "ukuran", "sha256", "diunggah", "unduh"]

    def get_unduh(self, obj) -> str:
        """The file, through the API's evidence endpoint (rencana_aksi.api_bukti)."""
        alamat = reverse("bukti-realisasi-unduh", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(alamat) if request else alamat


class RealisasiSerializer(serializers.ModelSerializer):
    """A quarter's report of an action; ``id`` null and ``versi`` 0 for one not written yet."""

    aksi_kode = serializers.CharField(source="aksi.kode", read_only=True)
    opd_utama = serializers.IntegerField(source="aksi.opd_utama_id", read_only=True)
    batas = serializers.DateField(read_only=True)
    bukti = serializers.SerializerMethodField()

    class Meta:
        model = Realisasi
        fields = [
            "id",
            "aksi",
            "aksi_kode",
            "opd_utama",
            "tahun",
            "triwulan",
            "capaian",
            "anggaran",
            "narasi",
            "status",
            "alasan",
            "versi",
            "batas",
            "dikirim",
            "diubah",
            "bukti",
        ]
        read_only_fields = fields

    @extend_schema_field(BuktiRealisasiRingkasSerializer(many=True))
    def get_bukti(self, obj):
        if obj.pk is None:
            return []
        daftar = getattr(obj, "bukti_aktif", None)
        if daftar is None:
            daftar = [b for b in obj.lampiran.all() if b.dihapus is None]
        # The request in the context: ``unduh`` is the full address, as the evidence list's.
        return BuktiRealisasiRingkasSerializer(daftar, many=True, context=self.context).data


class RealisasiTulisSerializer(TanpaIsianAsing, serializers.Serializer):
    """A quarter's report as the page's form fills it: ``capaian`` cumulative in the year,
    ``anggaran`` spent in the quarter, ``versi`` the version read (0 for a new report)."""

    capaian = serializers.DecimalField(min_value=0, allow_null=True, required=False, **ANGKA)
    anggaran = serializers.DecimalField(min_value=0, allow_null=True, required=False, **RUPIAH)
    narasi = serializers.CharField(max_length=5000, allow_blank=True, required=False, default="")
    versi = serializers.IntegerField(min_value=0)
    berkas = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=20,
        help_text="New evidence files (multipart/form-data only), saved with the report.",
    )


class LangkahRealisasiSerializer(TanpaIsianAsing, serializers.Serializer):
    """A workflow step: ``versi`` the version read (optional, as on the page: without it the
    step is not checked against changes made since)."""

    versi = serializers.IntegerField(min_value=0, required=False, allow_null=True)


class LangkahRealisasiAlasanSerializer(LangkahRealisasiSerializer):
    """A return, with the reason the operator reads."""

    alasan = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")


# --- The monitoring dashboard -------------------------------------------------------------


class JumlahRadSerializer(serializers.Serializer):
    """Totals of a group of actions (pemantauan.Jumlah)."""

    nama = serializers.CharField()
    aksi = serializers.IntegerField()
    pagu = serializers.DecimalField(**RUPIAH)
    terserap = serializers.DecimalField(**RUPIAH)
    persen_serap = serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True)
    rata_capaian = serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True)
    berisiko = serializers.IntegerField()
    terlambat = serializers.IntegerField()


class JumlahRadOpdSerializer(JumlahRadSerializer):
    opd = serializers.IntegerField(allow_null=True)


class JumlahRadKlasterSerializer(JumlahRadSerializer):
    klaster = serializers.CharField(allow_blank=True)


class BelumLaporSerializer(serializers.Serializer):
    opd = serializers.IntegerField(source="opd.pk")
    singkatan = serializers.CharField(source="opd.singkatan")
    jumlah = serializers.IntegerField()


class BerisikoSerializer(KeadaanAksiSerializer):
    aksi = serializers.IntegerField(source="aksi.pk")
    kode = serializers.CharField(source="aksi.kode")
    nama = serializers.CharField(source="aksi.nama")
    opd_utama = serializers.IntegerField(source="aksi.opd_utama.pk")


class PorsiSerializer(serializers.Serializer):
    apbd = serializers.DecimalField(allow_null=True, **RUPIAH)
    pagu = serializers.DecimalField(**RUPIAH)
    terserap = serializers.DecimalField(**RUPIAH)
    persen_pagu = serializers.SerializerMethodField()
    persen_serap = serializers.SerializerMethodField()

    # Without the year's APBD recorded there is no share (the page says so instead).
    @extend_schema_field(PERSEN)
    def get_persen_pagu(self, obj):
        return PERSEN.to_representation(obj.persen_pagu) if obj.apbd else None

    @extend_schema_field(PERSEN)
    def get_persen_serap(self, obj):
        return PERSEN.to_representation(obj.persen_serap) if obj.apbd else None


class PemantauanSerializer(serializers.Serializer):
    """The RAD dashboard's figures of one year (selectors.dasbor_rad), from the actions the
    person may see: the totals, per lead agency, per cluster, per year (``?antartahun=1``),
    the actions at risk furthest behind (25), the agencies not reported for the last quarter
    due, and for city-wide readers the children's share of the city budget."""

    periode = serializers.IntegerField()
    tahun = serializers.IntegerField()
    seluruh_kota = serializers.BooleanField()
    triwulan = serializers.IntegerField(allow_null=True)
    kota = JumlahRadSerializer()
    per_opd = JumlahRadOpdSerializer(many=True)
    per_klaster = JumlahRadKlasterSerializer(many=True)
    per_tahun = JumlahRadSerializer(many=True)
    berisiko = BerisikoSerializer(many=True)
    belum_lapor = BelumLaporSerializer(many=True)
    porsi = PorsiSerializer(allow_null=True)
