"""REST API of the evaluation's preparation: years, the instrument, assignments.

Scoped as the pages: every person with a part in the evaluation reads the years; the
instrument and assignments are the questions the person may open
(``Pertanyaan.objects.visible_to``: all for city-wide roles, an agency's assigned questions,
the per-unit questions for people of a kecamatan or kelurahan) with their indicators and
groups. Assigning questions and setting a year's deadline are the secretariat's
(``clusters.kelola_evaluasi``), through the same services as the pages. See kla_portal.api
for what every endpoint shares.
"""

from __future__ import annotations

import django_filters
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from agencies.models import Opd
from clusters import services
from clusters.models import (
    EvaluasiDaerah,
    Indikator,
    Kelompok,
    Penugasan,
    Perpanjangan,
    Pertanyaan,
    TahunEvaluasi,
)
from clusters.serializers.evaluasi import (
    IndikatorSerializer,
    InstrumenSerializer,
    KelompokSerializer,
    PenugasanAturSerializer,
    PenugasanSerializer,
    PertanyaanSerializer,
    TahunAturSerializer,
    TahunEvaluasiSerializer,
)
from kla_portal.api import ApiViewSet, BilanganFilter, Izin

# Everyone with a part in the evaluation: city-wide roles, agency staff, area operators.
BERPERAN = "clusters.lihat_skor"


def soal_terlihat(user):
    """The questions the person may open, as the question page decides."""
    return Pertanyaan.objects.visible_to(user)


def _indikator_terlihat(user):
    """Indicators holding a question the person may open."""
    return Indikator.objects.filter(Exists(soal_terlihat(user).filter(indikator=OuterRef("pk"))))


def _kelompok_terlihat(user):
    """Groups holding a question the person may open."""
    terlihat = soal_terlihat(user).filter(indikator__kelompok=OuterRef("pk"))
    return Kelompok.objects.filter(Exists(terlihat))


def _prefetch_pertanyaan(user, to_attr: str):
    queryset = (
        soal_terlihat(user)
        .prefetch_related(Prefetch("penugasan", queryset=Penugasan.objects.select_related("opd")))
        .order_by("urutan", "pk")
    )
    return Prefetch("pertanyaan", queryset=queryset, to_attr=to_attr)


# --- Years --------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Tahun evaluasi", description="Newest first."),
    retrieve=extend_schema(summary="Satu tahun evaluasi"),
    partial_update=extend_schema(
        summary="Atur batas waktu dan pembukaan",
        description=(
            "Set the deadline and whether agencies may answer, as the year page does (same "
            "service: opening a year needs its instrument). Secretariat and admin only."
        ),
        request=TahunAturSerializer,
        responses=TahunEvaluasiSerializer,
        examples=[
            OpenApiExample(
                "Buka dengan batas waktu",
                request_only=True,
                value={"dibuka": True, "batas_waktu": "2024-06-30T23:59:00+07:00"},
            )
        ],
    ),
)
class TahunEvaluasiViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Evaluation years with their state, deadline and category bands; the extensions listed
    are those of the agencies the reader may see."""

    serializer_class = TahunEvaluasiSerializer
    permission_classes = [Izin]
    izin = BERPERAN
    izin_aksi = {"partial_update": "clusters.kelola_tahun"}
    lookup_field = "tahun"
    lookup_value_regex = r"[0-9]{4}"
    filterset_fields = ["dibuka"]

    def get_queryset(self):
        user = self.request.user
        perpanjangan = Perpanjangan.objects.filter(
            opd__in=Opd.objects.visible_to(user)
        ).select_related("opd")
        # The person's city's year waits for a score recompute.
        sedang = EvaluasiDaerah.objects.perlu_dihitung().filter(
            tahun=OuterRef("pk"), daerah_id=getattr(user, "daerah_id", None)
        )
        return (
            TahunEvaluasi.objects.annotate(
                jumlah_pertanyaan=Count("pertanyaan"), skor_sedang=Exists(sedang)
            )
            .prefetch_related("kategori", Prefetch("perpanjangan", queryset=perpanjangan))
            .order_by("-tahun")
        )

    def partial_update(self, request, tahun=None):
        record = self.get_object()
        masuk = TahunAturSerializer(data=request.data)
        masuk.is_valid(raise_exception=True)
        services.tahun_ubah(
            tahun=record,
            by=request.user,
            batas_waktu=masuk.validated_data.get("batas_waktu", record.batas_waktu),
            dibuka=masuk.validated_data.get("dibuka", record.dibuka),
        )
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary="Instrumen satu tahun",
        responses=InstrumenSerializer,
        description=(
            "The year's whole instrument as a tree (groups → indicators → questions with "
            "their options, evidence requirement and assigned agencies), limited to the "
            "questions the reader may open. Not paginated: a year has a few hundred questions."
        ),
    )
    @action(detail=True, pagination_class=None)
    def instrumen(self, request, tahun=None):
        record = get_object_or_404(TahunEvaluasi, tahun=tahun)
        user = request.user
        indikator = (
            _indikator_terlihat(user)
            .with_jumlah_nilai_pertanyaan()
            .order_by("urutan", "pk")
            .prefetch_related(_prefetch_pertanyaan(user, "terlihat"))
        )
        kelompok = (
            _kelompok_terlihat(user)
            .filter(tahun=record)
            .prefetch_related(Prefetch("indikator", queryset=indikator, to_attr="terlihat"))
        )
        data = {"tahun": record.tahun, "kelompok": kelompok}
        return Response(InstrumenSerializer(data, context=self.get_serializer_context()).data)


# --- The instrument, as filtered lists ------------------------------------------------------


class _SaringTahun(django_filters.FilterSet):
    tahun = BilanganFilter(field_name="tahun__tahun", max_value=32767, label="tahun")


class KelompokFilter(_SaringTahun):
    class Meta:
        model = Kelompok
        fields = ["tahun"]


class IndikatorFilter(_SaringTahun):
    class Meta:
        model = Indikator
        fields = ["tahun", "kelompok"]


class PertanyaanFilter(_SaringTahun):
    kelompok = BilanganFilter(field_name="indikator__kelompok_id")
    opd = BilanganFilter(field_name="penugasan__opd_id", distinct=True)
    tanpa_utama = django_filters.BooleanFilter(
        method="saring_tanpa_utama", label="Belum punya OPD penanggung jawab"
    )

    class Meta:
        model = Pertanyaan
        fields = [
            "tahun",
            "kelompok",
            "indikator",
            "lingkup",
            "cara_penilaian",
            "wajib_lampiran",
            "opd",
            "tanpa_utama",
        ]

    def saring_tanpa_utama(self, queryset, name, value):
        # One lead per question (a constraint): the inner join adds no duplicates.
        if value:
            return queryset.exclude(penugasan__utama=True)
        return queryset.filter(penugasan__utama=True)


@extend_schema_view(list=extend_schema(summary="Kelompok indikator"))
class KelompokViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Groups (Kelembagaan, Klaster I–V, ...) holding a question the reader may open."""

    serializer_class = KelompokSerializer
    permission_classes = [Izin]
    izin = BERPERAN
    filterset_class = KelompokFilter

    def get_queryset(self):
        return (
            _kelompok_terlihat(self.request.user)
            .select_related("tahun")
            .order_by("-tahun__tahun", "urutan")
        )


@extend_schema_view(list=extend_schema(summary="Indikator"))
class IndikatorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Indicators holding a question the reader may open."""

    serializer_class = IndikatorSerializer
    permission_classes = [Izin]
    izin = BERPERAN
    filterset_class = IndikatorFilter

    def get_queryset(self):
        return (
            _indikator_terlihat(self.request.user)
            .with_jumlah_nilai_pertanyaan()
            .select_related("tahun")
            .order_by("-tahun__tahun", "kelompok__urutan", "urutan")
        )


@extend_schema_view(
    list=extend_schema(
        summary="Pertanyaan",
        examples=[
            OpenApiExample(
                "Pertanyaan bertingkat",
                response_only=True,
                value={
                    "id": 41,
                    "tahun": 2024,
                    "kelompok": 4,
                    "indikator": 15,
                    "indikator_kode": "Indikator 15",
                    "kode": "Pertanyaan 1",
                    "teks": "Apakah tersedia layanan kesehatan ramah anak?",
                    "urutan": 1,
                    "nilai_max": 8.0,
                    "lingkup": "kabkota",
                    "cara_penilaian": "opsi",
                    "pilihan": [
                        {"label": "Tidak ada", "label_tampil": "Tidak ada", "fraksi": 0.0},
                        {
                            "label": "Terpenuhi seluruhnya",
                            "label_tampil": "Terpenuhi seluruhnya",
                            "fraksi": 1.0,
                        },
                    ],
                    "pilihan_unit": None,
                    "wajib_lampiran": True,
                    "petunjuk_lampiran": "Lampirkan SK dan foto kegiatan",
                    "minta_angka": False,
                    "dua_tahun": False,
                    "sumber_data": ["Dinas Kesehatan"],
                    "penugasan": [
                        {
                            "opd": {"id": 3, "singkatan": "Dinkes", "nama": "Dinas Kesehatan"},
                            "utama": True,
                        }
                    ],
                },
            )
        ],
    ),
    retrieve=extend_schema(summary="Satu pertanyaan"),
)
class PertanyaanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Questions the reader may open, with their answer options, the evidence they require
    and the agencies assigned; filter by ``tahun``, ``kelompok``, ``indikator``, ``opd``..."""

    serializer_class = PertanyaanSerializer
    permission_classes = [Izin]
    izin = BERPERAN
    filterset_class = PertanyaanFilter

    def get_queryset(self):
        return (
            soal_terlihat(self.request.user)
            .select_related("tahun", "indikator")
            .prefetch_related(
                Prefetch("penugasan", queryset=Penugasan.objects.select_related("opd"))
            )
            .order_by(
                "-tahun__tahun", "indikator__kelompok__urutan", "indikator__urutan", "urutan", "pk"
            )
        )


# --- Assignments ----------------------------------------------------------------------------


class PenugasanFilter(django_filters.FilterSet):
    tahun = BilanganFilter(field_name="pertanyaan__tahun__tahun", max_value=32767)
    indikator = BilanganFilter(field_name="pertanyaan__indikator_id")
    kelompok = BilanganFilter(field_name="pertanyaan__indikator__kelompok_id")

    class Meta:
        model = Penugasan
        fields = ["tahun", "kelompok", "indikator", "pertanyaan", "opd", "utama"]


CONTOH_ATUR = OpenApiExample(
    "Satu OPD penanggung jawab, satu pendukung",
    request_only=True,
    value={"pertanyaan": [41, 42], "utama": 3, "pendukung": [5]},
)


@extend_schema_view(
    list=extend_schema(summary="Penugasan OPD"),
    retrieve=extend_schema(summary="Satu penugasan"),
)
class PenugasanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Which agency answers (``utama``) or supports which question: the assignments of the
    questions the reader may open. The secretariat changes them with ``atur``."""

    serializer_class = PenugasanSerializer
    permission_classes = [Izin]
    izin = BERPERAN
    izin_aksi = {"atur": "clusters.kelola_evaluasi"}
    filterset_class = PenugasanFilter

    def get_queryset(self):
        return (
            Penugasan.objects.di_daerah(self.request.user)
            .filter(pertanyaan__in=soal_terlihat(self.request.user))
            .select_related("pertanyaan__tahun", "pertanyaan__indikator", "opd")
            .order_by(
                "-pertanyaan__tahun__tahun",
                "pertanyaan__indikator__kelompok__urutan",
                "pertanyaan__indikator__urutan",
                "pertanyaan__urutan",
                "pertanyaan_id",
                "-utama",
                "opd__nama",
            )
        )

    def get_serializer_class(self):
        return PenugasanAturSerializer if self.action == "atur" else PenugasanSerializer

    @extend_schema(
        summary="Atur penugasan",
        description=(
            "Give questions one lead agency and supporting agencies, replacing what they had "
            "(the assignment page's form, through the same service). City-level answers follow "
            "their question to the new lead agency. Secretariat and admin only. Answers the "
            "questions' assignments as they are now."
        ),
        request=PenugasanAturSerializer,
        responses={200: PenugasanSerializer(many=True)},
        examples=[CONTOH_ATUR],
    )
    @action(detail=False, methods=["post"], pagination_class=None)
    def atur(self, request):
        masuk = PenugasanAturSerializer(data=request.data, context=self.get_serializer_context())
        masuk.is_valid(raise_exception=True)
        soal = masuk.validated_data["pertanyaan"]
        services.penugasan_atur(
            pertanyaan_list=soal,
            utama=masuk.validated_data["utama"],
            pendukung=masuk.validated_data["pendukung"],
            by=request.user,
        )
        sekarang = self.get_queryset().filter(pertanyaan__in=soal)
        return Response(PenugasanSerializer(sekarang, many=True).data, status=status.HTTP_200_OK)


RUTE = [
    ("tahun-evaluasi", TahunEvaluasiViewSet, "tahun-evaluasi"),
    ("kelompok", KelompokViewSet, "kelompok"),
    ("indikator", IndikatorViewSet, "indikator"),
    ("pertanyaan", PertanyaanViewSet, "pertanyaan"),
    ("penugasan", PenugasanViewSet, "penugasan"),
]
URLS: list = []
