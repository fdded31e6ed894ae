"""REST API of coordination: meetings with their invitations, attendance, minutes and
decisions, and the follow-ups. The same reads and rules as the pages (koordinasi.views.rapat
and .tindak_lanjut) and the same writes (koordinasi.services). The calendar feeds stay the
pages' (each meeting links its ICS file; the subscription page gives a person's feed).

See kla_portal.api for what every endpoint shares."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from agencies.api_gugus import izin
from kla_portal.api import ApiViewSet
from koordinasi import services
from koordinasi.models import Rapat, TindakLanjut, Undangan
from koordinasi.serializers import (
    BatalSerializer,
    KehadiranSerializer,
    NotulenSerializer,
    RapatDetailSerializer,
    RapatJadwalSerializer,
    RapatSerializer,
    RapatUbahSerializer,
    TindakLanjutBaruSerializer,
    TindakLanjutDetailSerializer,
    TindakLanjutPerbaruiSerializer,
    TindakLanjutSerializer,
)

KEDALUWARSA = OpenApiResponse(
    description="Versi kedaluwarsa: orang lain menyimpan sesudah Anda membaca. Tubuh jawaban "
    "memuat `versi` dan `sekarang` (rekaman saat ini)."
)


def _palsu(view) -> bool:
    return getattr(view, "swagger_fake_view", False)


class RapatFilter(filters.FilterSet):
    mulai_dari = filters.DateFilter(
        field_name="mulai", method="saring_dari", label="Mulai pada/sesudah tanggal ini"
    )
    mulai_sampai = filters.DateFilter(
        field_name="mulai", method="saring_sampai", label="Mulai pada/sebelum tanggal ini"
    )

    class Meta:
        model = Rapat
        fields = ["gugus_tugas", "status"]

    def saring_dari(self, queryset, name, value):
        return queryset.filter(mulai__date__gte=value)

    def saring_sampai(self, queryset, name, value):
        return queryset.filter(mulai__date__lte=value)


CONTOH_RAPAT = OpenApiExample(
    "Rakor bulanan",
    value={
        "gugus_tugas": 1,
        "judul": "Rapat Koordinasi Gugus Tugas KLA",
        "mulai": "2025-04-15T09:00:00+07:00",
        "selesai": "2025-04-15T11:00:00+07:00",
        "agenda": "1. Kemajuan evaluasi KLA\n2. Laporan RAD triwulan",
        "tempat": "Ruang Rapat Bappeda",
        "opd": [3, 4],
        "semua_anggota": False,
    },
    request_only=True,
)
CONTOH_KEHADIRAN = OpenApiExample(
    "Hadir dan diwakili",
    value={
        "kehadiran": [
            {"undangan": 11, "kehadiran": "hadir"},
            {"undangan": 12, "kehadiran": "diwakili", "diwakili_oleh": "Kabid P2P"},
        ],
        "versi": 1,
    },
    request_only=True,
)


@extend_schema_view(
    list=extend_schema(summary="Rapat yang dapat Anda baca (terjadwal, terlaksana, dibatalkan)"),
    retrieve=extend_schema(summary="Satu rapat: undangan dan kehadiran, notulen, tindak lanjut"),
    create=extend_schema(
        summary="Jadwalkan rapat dan undang OPD/orang",
        request=RapatJadwalSerializer,
        responses={201: RapatDetailSerializer},
        examples=[CONTOH_RAPAT],
    ),
    partial_update=extend_schema(
        summary="Ubah rapat (yang dikirim saja berubah); versi wajib",
        request=RapatUbahSerializer,
        responses={200: RapatDetailSerializer, 409: KEDALUWARSA},
    ),
)
class RapatViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ApiViewSet,
):
    """Meetings as Rapat.objects.visible_to allows: every one for city-wide roles, else those
    one's agency or oneself is invited to (and a kecamatan operator's own task force's).
    Scheduling and keeping a meeting (attendance, minutes, decisions, cancelling) is for the
    secretariat, and a kecamatan's operator for the kecamatan's own task force
    (koordinasi.kelola_rapat): others get 403 on a meeting they may read."""

    permission_classes = [izin("koordinasi.lihat_koordinasi")]
    filterset_class = RapatFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    SERIALIZER = {
        "list": RapatSerializer,
        "create": RapatJadwalSerializer,
        "partial_update": RapatUbahSerializer,
        "kehadiran": KehadiranSerializer,
        "notulen": NotulenSerializer,
        "batalkan": BatalSerializer,
        "tindak_lanjut": TindakLanjutBaruSerializer,
    }

    def get_serializer_class(self):
        return self.SERIALIZER.get(self.action, RapatDetailSerializer)

    def get_queryset(self):
        if _palsu(self):
            return Rapat.objects.none()
        qs = (
            Rapat.objects.visible_to(self.request.user)
            .select_related("gugus_tugas")
            .annotate(
                diundang=Count("undangan", distinct=True),
                jumlah_tindak_lanjut=Count("tindak_lanjut", distinct=True),
            )
            .order_by("mulai", "pk")
        )
        if self.action != "list":
            qs = qs.prefetch_related(
                Prefetch(
                    "undangan",
                    queryset=Undangan.objects.select_related("opd", "personil").order_by(
                        "opd__nama", "pk"
                    ),
                ),
                Prefetch(
                    "tindak_lanjut",
                    queryset=TindakLanjut.objects.select_related("opd").order_by("tenggat", "pk"),
                ),
            )
        return qs

    def rekaman_sekarang(self):
        try:
            obj = self.get_queryset().get(pk=self.kwargs["pk"])
        except (KeyError, Rapat.DoesNotExist):
            return None
        return RapatDetailSerializer(obj, context=self.get_serializer_context()).data

    def _jawab(self, rapat: Rapat, kode=status.HTTP_200_OK) -> Response:
        segar = self.get_queryset().get(pk=rapat.pk)
        return Response(
            RapatDetailSerializer(segar, context=self.get_serializer_context()).data, kode
        )

    def _dikelola(self) -> Rapat:
        """A meeting one may read (else 404) and keeps (else 403), as the pages' _rapat_dikelola."""
        rapat = self.get_object()
        if not self.request.user.has_perm("koordinasi.kelola_rapat", rapat.gugus_tugas):
            raise PermissionDenied
        return rapat

    def _masuk(self) -> dict:
        masuk = self.get_serializer(data=self.request.data)
        masuk.is_valid(raise_exception=True)
        return dict(masuk.validated_data)

    def create(self, request, *args, **kwargs):
        d = self._masuk()
        gugus = d.pop("gugus_tugas")
        if not request.user.has_perm("koordinasi.kelola_rapat", gugus):
            raise PermissionDenied
        rapat = services.rapat_jadwalkan(
            gugus_tugas=gugus,
            data=_data_rapat(d),
            opd=d["opd"],
            personil=d["personil"],
            pintasan=services.Pintasan(
                semua_anggota=d["semua_anggota"], semua_kepala_opd=d["semua_kepala_opd"]
            ),
            by=request.user,
        )
        return self._jawab(rapat, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):  # PUT is not offered (http_method_names)
            return self.http_method_not_allowed(request, *args, **kwargs)
        rapat = self._dikelola()
        d = self._masuk()
        awal = {
            k: getattr(rapat, k)
            for k in ("judul", "mulai", "selesai", "agenda", "tempat", "tautan_daring")
        }
        services.rapat_ubah(
            rapat=rapat,
            data=_data_rapat(awal | d),
            opd=d.get("opd"),
            personil=d.get("personil"),
            pintasan=services.Pintasan(
                semua_anggota=d["semua_anggota"], semua_kepala_opd=d["semua_kepala_opd"]
            ),
            versi=d["versi"],
            by=request.user,
        )
        return self._jawab(rapat)

    @extend_schema(
        summary="Catat kehadiran (rapat lalu dihitung terlaksana); versi wajib",
        request=KehadiranSerializer,
        responses={200: RapatDetailSerializer, 409: KEDALUWARSA},
        examples=[CONTOH_KEHADIRAN],
    )
    @action(detail=True, methods=["post"])
    def kehadiran(self, request, pk=None):
        rapat = self._dikelola()
        d = self._masuk()
        isian = {
            i["undangan"]: services.IsianKehadiran(i["kehadiran"], i["diwakili_oleh"], i["catatan"])
            for i in d["kehadiran"]
        }
        services.kehadiran_catat(rapat=rapat, isian=isian, versi=d["versi"], by=request.user)
        return self._jawab(rapat)

    @extend_schema(
        summary="Simpan notulen (teks, dan berkas bertanda tangan bila ada); versi wajib",
        request={"application/json": NotulenSerializer, "multipart/form-data": NotulenSerializer},
        responses={200: RapatDetailSerializer, 409: KEDALUWARSA},
    )
    @action(detail=True, methods=["post"])
    def notulen(self, request, pk=None):
        rapat = self._dikelola()
        d = self._masuk()
        services.notulen_simpan(
            rapat=rapat, notulen=d["notulen"], berkas=d["berkas"], versi=d["versi"], by=request.user
        )
        return self._jawab(rapat)

    @extend_schema(
        summary="Batalkan rapat dengan alasan; para undangan diberi tahu",
        request=BatalSerializer,
        responses=RapatDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def batalkan(self, request, pk=None):
        rapat = self._dikelola()
        d = self._masuk()
        services.rapat_batalkan(rapat=rapat, alasan=d["alasan"], by=request.user)
        return self._jawab(rapat)

    @extend_schema(
        summary="Catat keputusan rapat sebagai tindak lanjut OPD dengan tenggat",
        request=TindakLanjutBaruSerializer,
        responses={201: TindakLanjutDetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="tindak-lanjut")
    def tindak_lanjut(self, request, pk=None):
        rapat = self._dikelola()
        d = self._masuk()
        tindak = services.tindak_lanjut_tambah(rapat=rapat, by=request.user, **d)
        segar = TindakLanjutViewSet.queryset_untuk(request.user, detail=True).get(pk=tindak.pk)
        context = self.get_serializer_context()
        return Response(
            TindakLanjutDetailSerializer(segar, context=context).data, status.HTTP_201_CREATED
        )


def _data_rapat(d: dict) -> services.DataRapat:
    return services.DataRapat(
        judul=d["judul"],
        mulai=d["mulai"],
        selesai=d["selesai"],
        agenda=d["agenda"],
        tempat=d.get("tempat", ""),
        tautan_daring=d.get("tautan_daring", ""),
    )


SARING_TINDAK_LANJUT = [
    ("terbuka", "terbuka"),
    ("lewat", "lewat"),
    ("berjalan", "berjalan"),
    ("selesai", "selesai"),
]


class TindakLanjutFilter(filters.FilterSet):
    """``status``: ``terbuka`` (not done, the page's default), ``lewat`` (past due),
    ``berjalan``, ``selesai``; ``opd`` and ``rapat`` by id."""

    status = filters.ChoiceFilter(
        method="saring_status",
        choices=SARING_TINDAK_LANJUT,
        label="terbuka, lewat (tenggat), berjalan, selesai",
    )

    class Meta:
        model = TindakLanjut
        fields = ["opd", "rapat"]

    def saring_status(self, queryset, name, value):
        if value == "terbuka":
            return queryset.terbuka()
        if value == "lewat":
            return queryset.lewat_tenggat(timezone.localdate())
        return queryset.filter(status=value)


@extend_schema_view(
    list=extend_schema(summary="Tindak lanjut yang dapat Anda baca, urut tenggat"),
    retrieve=extend_schema(summary="Satu tindak lanjut dengan buktinya"),
    partial_update=extend_schema(
        summary="Laporkan kemajuan / selesaikan / buka kembali (Sekretariat); versi wajib",
        request={
            "application/json": TindakLanjutPerbaruiSerializer,
            "multipart/form-data": TindakLanjutPerbaruiSerializer,
        },
        responses={200: TindakLanjutDetailSerializer, 409: KEDALUWARSA},
        examples=[
            OpenApiExample(
                "Selesai",
                value={
                    "status": "selesai",
                    "hasil": "Data 16 Puskesmas Ramah Anak dikirim ke DP3A.",
                    "selesai_pada": "2025-04-10",
                    "versi": 1,
                },
                request_only=True,
            )
        ],
    ),
)
class TindakLanjutViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, ApiViewSet
):
    """Follow-ups as TindakLanjut.objects.visible_to allows: the whole city for city-wide
    roles, an agency's own for its staff. Its owner agency (and the secretariat) reports on it
    and closes it (koordinasi.ubah_tindak_lanjut); only the secretariat reopens a closed one."""

    permission_classes = [izin("koordinasi.lihat_koordinasi")]
    filterset_class = TindakLanjutFilter
    http_method_names = ["get", "patch", "head", "options"]

    def get_serializer_class(self):
        return {
            "list": TindakLanjutSerializer,
            "partial_update": TindakLanjutPerbaruiSerializer,
        }.get(self.action, TindakLanjutDetailSerializer)

    @staticmethod
    def queryset_untuk(user, *, detail: bool):
        qs = (
            TindakLanjut.objects.visible_to(user)
            .select_related("opd", "rapat")
            .order_by("tenggat", "pk")
        )
        return qs.prefetch_related("lampiran") if detail else qs

    def get_queryset(self):
        if _palsu(self):
            return TindakLanjut.objects.none()
        return self.queryset_untuk(self.request.user, detail=self.action != "list")

    def rekaman_sekarang(self):
        try:
            obj = self.get_queryset().get(pk=self.kwargs["pk"])
        except (KeyError, TindakLanjut.DoesNotExist):
            return None
        return TindakLanjutDetailSerializer(obj, context=self.get_serializer_context()).data

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            return self.http_method_not_allowed(request, *args, **kwargs)
        tindak = self.get_object()
        if not request.user.has_perm("koordinasi.ubah_tindak_lanjut", tindak):
            raise PermissionDenied
        masuk = self.get_serializer(data=request.data)
        masuk.is_valid(raise_exception=True)
        d = masuk.validated_data
        services.tindak_lanjut_perbarui(
            tindak_lanjut=tindak,
            status=d["status"],
            hasil=d["hasil"],
            selesai_pada=d["selesai_pada"],
            berkas=d["berkas"],
            alasan=d["alasan"],
            versi=d["versi"],
            by=request.user,
        )
        segar = self.get_queryset().get(pk=tindak.pk)
        return Response(
            TindakLanjutDetailSerializer(segar, context=self.get_serializer_context()).data
        )


RUTE = [
    ("rapat", RapatViewSet, "rapat"),
    ("tindak-lanjut", TindakLanjutViewSet, "tindak-lanjut"),
]
URLS: list = []
