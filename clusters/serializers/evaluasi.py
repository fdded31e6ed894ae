"""The evaluation's years, instrument and assignments as the API shows them, and the two
writes the secretariat makes on the pages: a year's deadline and opening (``TahunAturSerializer``,
fed to ``services.tahun_ubah``) and assignments (``PenugasanAturSerializer``, fed to
``services.penugasan_atur``)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.models import Opd
from clusters.models import (
    Indikator,
    Kategori,
    Kelompok,
    Penugasan,
    Perpanjangan,
    Pertanyaan,
    TahunEvaluasi,
)
from clusters.opsi import OPSI_UNIT, label_opsi
from kla_portal.api import ID_MAX, TanpaIsianAsing


class TahunKategoriSerializer(serializers.ModelSerializer):
    class Meta:
        model = Kategori
        fields = ["nama", "poin_min"]


class EvaluasiOpdSerializer(serializers.ModelSerializer):
    class Meta:
        model = Opd
        fields = ["id", "singkatan", "nama"]


class PerpanjanganSerializer(serializers.ModelSerializer):
    opd = EvaluasiOpdSerializer(read_only=True)

    class Meta:
        model = Perpanjangan
        fields = ["opd", "sampai", "alasan"]


class TahunEvaluasiSerializer(serializers.ModelSerializer):
    """A year: open for answering or not, its deadline, whether sending is closed now, its
    category bands and the extensions of the agencies the reader may see."""

    lewat_batas = serializers.SerializerMethodField(
        help_text="Batas waktu sudah lewat (OPD tanpa perpanjangan tidak dapat mengirim)."
    )
    skor_sedang_dihitung = serializers.SerializerMethodField(
        help_text="Ada perubahan yang skornya belum dihitung ulang."
    )
    jumlah_pertanyaan = serializers.IntegerField(read_only=True)
    kategori = TahunKategoriSerializer(many=True, read_only=True)
    perpanjangan = PerpanjanganSerializer(many=True, read_only=True)

    class Meta:
        model = TahunEvaluasi
        fields = [
            "tahun",
            "dibuka",
            "batas_waktu",
            "lewat_batas",
            "skor_sedang_dihitung",
            "jumlah_pertanyaan",
            "kategori",
            "perpanjangan",
        ]

    def get_lewat_batas(self, obj) -> bool:
        return obj.lewat_batas()

    def get_skor_sedang_dihitung(self, obj) -> bool:
        return getattr(obj, "skor_sedang", False)  # annotated by the viewset's queryset


class KelompokSerializer(serializers.ModelSerializer):
    tahun = serializers.SlugRelatedField(slug_field="tahun", read_only=True)

    class Meta:
        model = Kelompok
        fields = ["id", "tahun", "nama", "urutan"]


class IndikatorSerializer(serializers.ModelSerializer):
    tahun = serializers.SlugRelatedField(slug_field="tahun", read_only=True)
    jumlah_nilai_pertanyaan = serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        read_only=True,
        source="jumlah_max_pertanyaan",
        help_text=(
            "Jumlah nilai maksimum pertanyaannya; di atas nilai maksimum indikator, poinnya "
            "dibatasi pada nilai maksimum indikator."
        ),
    )

    class Meta:
        model = Indikator
        fields = [
            "id",
            "tahun",
            "kelompok",
            "kode",
            "nama",
            "urutan",
            "nilai_max",
            "jumlah_nilai_pertanyaan",
        ]


class PertanyaanPilihanSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="Label tersimpan (bahasa Indonesia).")
    label_tampil = serializers.CharField(help_text="Label dalam bahasa pembaca.")
    fraksi = serializers.DecimalField(max_digits=5, decimal_places=4)


def _pilihan(daftar: list[dict]) -> list[dict]:
    return [
        {
            "label": o["label"],
            "label_tampil": label_opsi(o["label"]),
            "fraksi": Decimal(o["fraksi"]),
        }
        for o in daftar
    ]


class PenugasanRingkasSerializer(serializers.ModelSerializer):
    opd = EvaluasiOpdSerializer(read_only=True)

    class Meta:
        model = Penugasan
        fields = ["opd", "utama"]


class PertanyaanSerializer(serializers.ModelSerializer):
    """A question with its answer options and the evidence it requires; ``pilihan_unit``: what
    a kecamatan or kelurahan picks for a per-unit question (null for a city question)."""

    tahun = serializers.SlugRelatedField(slug_field="tahun", read_only=True)
    kelompok = serializers.IntegerField(source="indikator.kelompok_id", read_only=True)
    indikator_kode = serializers.CharField(source="indikator.kode", read_only=True)
    pilihan = serializers.SerializerMethodField()
    pilihan_unit = serializers.SerializerMethodField()
    penugasan = PenugasanRingkasSerializer(many=True, read_only=True)

    class Meta:
        model = Pertanyaan
        fields = [
            "id",
            "tahun",
            "kelompok",
            "indikator",
            "indikator_kode",
            "kode",
            "teks",
            "urutan",
            "nilai_max",
            "lingkup",
            "cara_penilaian",
            "pilihan",
            "pilihan_unit",
            "wajib_lampiran",
            "petunjuk_lampiran",
            "minta_angka",
            "dua_tahun",
            "sumber_data",
            "penugasan",
        ]

    @extend_schema_field(PertanyaanPilihanSerializer(many=True))
    def get_pilihan(self, obj) -> list[dict]:
        return _pilihan(obj.pilihan())

    @extend_schema_field(PertanyaanPilihanSerializer(many=True, allow_null=True))
    def get_pilihan_unit(self, obj) -> list[dict] | None:
        return _pilihan(OPSI_UNIT) if obj.per_unit else None


class InstrumenPertanyaanSerializer(PertanyaanSerializer):
    """A question inside its indicator (the year, group and indicator are its parents')."""

    class Meta(PertanyaanSerializer.Meta):
        fields = [
            f
            for f in PertanyaanSerializer.Meta.fields
            if f not in ("tahun", "kelompok", "indikator", "indikator_kode")
        ]


class InstrumenIndikatorSerializer(IndikatorSerializer):
    pertanyaan = InstrumenPertanyaanSerializer(many=True, read_only=True, source="terlihat")

    class Meta(IndikatorSerializer.Meta):
        fields = [
            *(f for f in IndikatorSerializer.Meta.fields if f not in ("tahun", "kelompok")),
            "pertanyaan",
        ]


class InstrumenKelompokSerializer(serializers.ModelSerializer):
    indikator = InstrumenIndikatorSerializer(many=True, read_only=True, source="terlihat")

    class Meta:
        model = Kelompok
        fields = ["id", "nama", "urutan", "indikator"]


class InstrumenSerializer(serializers.Serializer):
    """A year's whole instrument as a tree: groups, their indicators, their questions."""

    tahun = serializers.IntegerField()
    kelompok = InstrumenKelompokSerializer(many=True)


class PenugasanSerializer(serializers.ModelSerializer):
    tahun = serializers.IntegerField(source="pertanyaan.tahun.tahun", read_only=True)
    indikator_kode = serializers.CharField(source="pertanyaan.indikator.kode", read_only=True)
    pertanyaan_kode = serializers.CharField(source="pertanyaan.kode", read_only=True)
    opd = EvaluasiOpdSerializer(read_only=True)

    class Meta:
        model = Penugasan
        fields = ["id", "tahun", "pertanyaan", "indikator_kode", "pertanyaan_kode", "opd", "utama"]


class TahunAturSerializer(TanpaIsianAsing, serializers.Serializer):
    """The deadline and whether agencies may answer (the year page's settings); a field left
    out keeps its value."""

    batas_waktu = serializers.DateTimeField(allow_null=True, required=False)
    dibuka = serializers.BooleanField(required=False)


class PenugasanAturSerializer(TanpaIsianAsing, serializers.Serializer):
    """Questions to give one lead agency and supporting agencies, replacing what they had (as
    the assignment page does for the questions ticked). Only what the person may see can be
    named; the questions are read in one query however many are sent."""

    pertanyaan = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX),  # 10**30: a 400
        allow_empty=False,
        max_length=2000,
        error_messages={"empty": _("Centang paling sedikit satu pertanyaan.")},
    )
    utama = serializers.PrimaryKeyRelatedField(
        queryset=Opd.objects.all(),
        error_messages={"required": _("Pilih OPD penanggung jawab.")},
    )
    pendukung = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Opd.objects.all(), required=False, default=list
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = getattr(self.context.get("request"), "user", None)
        if self.user is not None:  # None only while the schema is drawn
            sekota = Opd.objects.di_daerah(self.user)
            self.fields["utama"].queryset = sekota
            self.fields["pendukung"].child_relation.queryset = sekota

    def validate_pertanyaan(self, value: list[int]) -> list[Pertanyaan]:
        ids = list(dict.fromkeys(value))
        found = Pertanyaan.objects.visible_to(self.user).in_bulk(ids)
        missing = [pk for pk in ids if pk not in found]
        if missing:
            pesan = serializers.PrimaryKeyRelatedField.default_error_messages["does_not_exist"]
            raise serializers.ValidationError([pesan.format(pk_value=pk) for pk in missing])
        return [found[pk] for pk in ids]

    def validate_pendukung(self, value):
        return list(dict.fromkeys(value))
