"""REST API of the task force (decrees, sub-teams, members and their KHA training) and of the
sub-district facility register. The same reads and rules as the pages
(koordinasi.views.gugus_tugas and .fasilitas) and the same writes (agencies.services).

Listed in agencies.api's ``RUTE``; see kla_portal.api for what every endpoint shares."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from agencies import services
from agencies.models import (
    AnggotaGugusTugas,
    Fasilitas,
    GugusTugas,
    JenisFasilitas,
    PelatihanKha,
    Personil,
    SkGugusTugas,
    Wilayah,
)
from agencies.serializers import (
    AnggotaAkhiriSerializer,
    AnggotaPindahSerializer,
    AnggotaSerializer,
    AnggotaTambahSerializer,
    FasilitasSerializer,
    FasilitasSimpanSerializer,
    GugusTugasDetailSerializer,
    GugusTugasSerializer,
    JenisFasilitasSerializer,
    PelatihanCatatSerializer,
    PersonilSerializer,
)
from kla_portal.api import ApiViewSet


def izin(nama: str) -> type[permissions.BasePermission]:
    """A permission class asking the same ``rules`` permission as the page's ``perlu_izin``."""

    class Izin(permissions.IsAuthenticated):
        def has_permission(self, request, view):
            return super().has_permission(request, view) and request.user.has_perm(nama)

    Izin.__name__ = f"Izin_{nama.replace('.', '_')}"
    return Izin


def _palsu(view) -> bool:
    """Schema generation: no request user, no query."""
    return getattr(view, "swagger_fake_view", False)


# --- The task force -----------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Gugus Tugas yang dapat Anda baca (kota dan kecamatan)"),
    retrieve=extend_schema(
        summary="Satu Gugus Tugas: SK berlaku dan riwayatnya, sub-tim, jumlah anggota"
    ),
)
class GugusTugasViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Task forces as GugusTugas.objects.visible_to allows: every one for city-wide roles; the
    city's and one's own kecamatan's for others. Another kecamatan's is not found (404)."""

    permission_classes = [izin("agencies.lihat_gugus_tugas")]

    def get_serializer_class(self):
        return GugusTugasDetailSerializer if self.action == "retrieve" else GugusTugasSerializer

    def get_queryset(self):
        if _palsu(self):
            return GugusTugas.objects.none()
        qs = GugusTugas.objects.visible_to(self.request.user).select_related("wilayah__induk")
        sk = SkGugusTugas.objects.order_by("-berlaku_mulai", "-pk")
        qs = qs.prefetch_related(Prefetch("sk", queryset=sk))
        if self.action == "retrieve":
            hari = timezone.localdate()
            aktif = Q(anggota__mulai__lte=hari) & (
                Q(anggota__selesai__isnull=True) | Q(anggota__selesai__gt=hari)
            )
            qs = qs.prefetch_related("sub_tim").annotate(
                jumlah_anggota=Count("anggota", filter=aktif, distinct=True),
                jumlah_teknis=Count(
                    "anggota",
                    filter=aktif & Q(anggota__unsur=AnggotaGugusTugas.Unsur.TEKNIS),
                    distinct=True,
                ),
                jumlah_terlatih=Count(
                    "anggota",
                    filter=aktif & Q(anggota__personil__pelatihan__isnull=False),
                    distinct=True,
                ),
            )
        return qs.order_by("wilayah__kode")


class AnggotaFilter(filters.FilterSet):
    aktif = filters.BooleanFilter(method="saring_aktif", label="Kursi yang berlaku hari ini")

    class Meta:
        model = AnggotaGugusTugas
        fields = ["gugus_tugas", "unsur", "jabatan", "sub_tim"]

    def saring_aktif(self, queryset, name, value):
        aktif = queryset.aktif()
        return aktif if value else queryset.exclude(pk__in=aktif.values("pk"))


CONTOH_ANGGOTA = OpenApiExample(
    "Orang baru",
    value={
        "gugus_tugas": 1,
        "nama": "Hj. Ratna Komalasari",
        "jabatan_dinas": "Ketua TP PKK",
        "opd": 7,
        "jabatan": "anggota",
        "unsur": "pimpinan",
        "mulai": "2025-02-01",
    },
    request_only=True,
)


@extend_schema_view(
    list=extend_schema(summary="Kursi anggota Gugus Tugas (?aktif=true: yang berlaku hari ini)"),
    retrieve=extend_schema(summary="Satu kursi anggota"),
    create=extend_schema(
        summary="Tambah anggota (personil tercatat, atau orang baru)",
        request=AnggotaTambahSerializer,
        responses={201: AnggotaSerializer},
        examples=[CONTOH_ANGGOTA],
    ),
)
class AnggotaViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ApiViewSet
):
    """Seats on the task forces one may read, with whether the person is trained in KHA.
    Adding, moving and ending a seat: the secretariat, a kecamatan's operator for the
    kecamatan's own task force (agencies.kelola_gugus_tugas), as on the task force's page."""

    permission_classes = [izin("agencies.lihat_gugus_tugas")]
    filterset_class = AnggotaFilter

    def get_serializer_class(self):
        return {
            "create": AnggotaTambahSerializer,
            "akhiri": AnggotaAkhiriSerializer,
            "pindah": AnggotaPindahSerializer,
        }.get(self.action, AnggotaSerializer)

    def get_queryset(self):
        if _palsu(self):
            return AnggotaGugusTugas.objects.none()
        terlihat = GugusTugas.objects.visible_to(self.request.user)
        return (
            AnggotaGugusTugas.objects.filter(gugus_tugas__in=terlihat)
            .dengan_terlatih()
            .select_related("personil__opd", "sub_tim", "gugus_tugas__wilayah")
            .order_by("gugus_tugas_id", "sub_tim__urutan", "jabatan", "personil__nama", "pk")
        )

    def _kelola(self, gugus: GugusTugas) -> None:
        if not self.request.user.has_perm("agencies.kelola_gugus_tugas", gugus):
            raise PermissionDenied

    def _jawab(self, anggota: AnggotaGugusTugas, kode=status.HTTP_200_OK) -> Response:
        segar = self.get_queryset().get(pk=anggota.pk)
        return Response(AnggotaSerializer(segar, context=self.get_serializer_context()).data, kode)

    def create(self, request, *args, **kwargs):
        masuk = self.get_serializer(data=request.data)
        masuk.is_valid(raise_exception=True)
        d = masuk.validated_data
        gugus = d["gugus_tugas"]
        self._kelola(gugus)
        mulai = d.get("mulai") or timezone.localdate()
        kursi = {
            "gugus_tugas": gugus,
            "jabatan": d["jabatan"],
            "sub_tim": d.get("sub_tim"),
            "unsur": d["unsur"],
            "sk": gugus.sk.berlaku(pada=mulai),
            "mulai": mulai,
            "by": request.user,
        }
        if d.get("personil"):
            anggota = services.anggota_tambah(personil=d["personil"], **kursi)
        else:
            anggota = services.anggota_baru_tambah(
                nama=d["nama"],
                jabatan_dinas=d.get("jabatan_dinas", ""),
                opd=d["opd"],
                email=d.get("email", ""),
                user=d.get("user"),
                **kursi,
            )
        return self._jawab(anggota, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Akhiri kursi (disimpan dalam riwayat)",
        request=AnggotaAkhiriSerializer,
        responses=AnggotaSerializer,
    )
    @action(detail=True, methods=["post"])
    def akhiri(self, request, pk=None):
        anggota = self.get_object()
        self._kelola(anggota.gugus_tugas)
        masuk = self.get_serializer(data=request.data)
        masuk.is_valid(raise_exception=True)
        anggota = services.anggota_akhiri(anggota=anggota, by=request.user, **masuk.validated_data)
        return self._jawab(anggota)

    @extend_schema(
        summary="Pindah kedudukan atau sub-tim (kursi lama berakhir sehari sebelumnya)",
        request=AnggotaPindahSerializer,
        responses=AnggotaSerializer,
    )
    @action(detail=True, methods=["post"])
    def pindah(self, request, pk=None):
        anggota = self.get_object()
        self._kelola(anggota.gugus_tugas)
        masuk = self.get_serializer(data=request.data)
        masuk.is_valid(raise_exception=True)
        d = masuk.validated_data
        # a sub-team of another task force is refused by the service (anggota_tambah)
        baru = services.anggota_pindah(
            anggota=anggota,
            jabatan=d["jabatan"],
            sub_tim=d.get("sub_tim"),
            unsur=d["unsur"],
            mulai=d.get("mulai"),
            by=request.user,
        )
        return self._jawab(baru)


def boleh_sertifikat(user):
    """A certificate is a personal document: city-wide roles and the person's own agency
    (as koordinasi.views.gugus_tugas._boleh_sertifikat)."""
    seluruh_kota = user.has_perm("agencies.view_seluruh_kota")
    milik = user.opd_ids()
    return lambda orang: seluruh_kota or orang.opd_id in milik


@extend_schema_view(
    list=extend_schema(summary="Personil Gugus Tugas yang dapat Anda baca, dengan pelatihan KHA"),
    retrieve=extend_schema(summary="Satu personil dengan pelatihan KHA-nya"),
)
class PersonilViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """People of the task forces (Personil.objects.visible_to) with their KHA training. The
    certificate's address is given only to city-wide roles and the person's own agency."""

    permission_classes = [izin("agencies.lihat_gugus_tugas")]
    filterset_fields = ["opd"]

    def get_serializer_class(self):
        return PelatihanCatatSerializer if self.action == "pelatihan" else PersonilSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not _palsu(self):
            context["boleh_sertifikat"] = boleh_sertifikat(self.request.user)
        return context

    def get_queryset(self):
        if _palsu(self):
            return Personil.objects.none()
        return (
            Personil.objects.visible_to(self.request.user)
            .select_related("opd")
            .prefetch_related(
                Prefetch("pelatihan", queryset=PelatihanKha.objects.order_by("-tanggal", "-pk"))
            )
            .order_by("nama", "pk")
        )

    @extend_schema(
        summary="Catat pelatihan KHA orang ini",
        request=PelatihanCatatSerializer,
        responses={201: PersonilSerializer},
    )
    @action(detail=True, methods=["post"])
    def pelatihan(self, request, pk=None):
        """Whoever keeps one of the task forces the person holds a seat on today (or the
        secretariat) records their training, as on the person's page."""
        orang = self.get_object()
        user = request.user
        hari = timezone.localdate()
        kursi = orang.kursi.select_related("gugus_tugas").filter(
            Q(selesai__isnull=True) | Q(selesai__gt=hari)
        )
        if not (
            user.has_perm("agencies.kelola_gugus_tugas")
            or any(user.has_perm("agencies.kelola_gugus_tugas", k.gugus_tugas) for k in kursi)
        ):
            raise PermissionDenied
        masuk = self.get_serializer(data=request.data)
        masuk.is_valid(raise_exception=True)
        services.pelatihan_catat(personil=orang, by=user, **masuk.validated_data)
        segar = self.get_queryset().get(pk=orang.pk)
        context = self.get_serializer_context()
        return Response(PersonilSerializer(segar, context=context).data, status.HTTP_201_CREATED)


# --- The facility register ----------------------------------------------------------------


@extend_schema_view(list=extend_schema(summary="Jenis fasilitas yang dihitung instrumen"))
class JenisFasilitasViewSet(mixins.ListModelMixin, ApiViewSet):
    """The kinds of facility (PATBM, Forum Anak, RBRA, ...) and at which level each counts."""

    permission_classes = [izin("koordinasi.lihat_koordinasi")]
    serializer_class = JenisFasilitasSerializer
    queryset = JenisFasilitas.objects.order_by("urutan", "pk")


class FasilitasFilter(filters.FilterSet):
    wilayah = filters.CharFilter(field_name="wilayah__kode", label="Kode wilayah")
    kecamatan = filters.CharFilter(
        method="saring_kecamatan", label="Kode kecamatan: unitnya dan kelurahannya"
    )
    jenis = filters.CharFilter(field_name="jenis__kode", label="Kode jenis fasilitas")

    class Meta:
        model = Fasilitas
        fields = ["status"]

    def saring_kecamatan(self, queryset, name, value):
        return queryset.filter(Q(wilayah__kode=value) | Q(wilayah__induk__kode=value))


CONTOH_FASILITAS = OpenApiExample(
    "PATBM ditetapkan dengan SK",
    value={
        "wilayah": "36.73.01.1002",
        "jenis": "patbm",
        "status": 2,
        "nomor_sk": "400/12/Kel.Cpr/2025",
        "tanggal_sk": "2025-03-03",
        "keterangan": "PATBM Kelurahan Cipare",
        "versi": 0,
    },
    request_only=True,
)


@extend_schema_view(
    list=extend_schema(summary="Register fasilitas per kecamatan/kelurahan yang dapat Anda baca"),
    retrieve=extend_schema(summary="Satu catatan fasilitas"),
    create=extend_schema(
        summary="Catat status fasilitas satu unit (baru: versi 0; ubah: versi terakhir)",
        request=FasilitasSimpanSerializer,
        responses={
            200: FasilitasSerializer,
            201: FasilitasSerializer,
            409: OpenApiResponse(description="Versi kedaluwarsa: diubah orang lain"),
        },
        examples=[CONTOH_FASILITAS],
    ),
)
class FasilitasViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ApiViewSet
):
    """The register as Fasilitas.objects.visible_to allows: city-wide roles and agency staff
    read every unit, an area operator their own (a kecamatan's also its kelurahan). A unit's
    operator, the secretariat and the admin record it (agencies.ubah_fasilitas), with the
    version read: a stale one is a 409 with the record as it is now."""

    permission_classes = [izin("koordinasi.lihat_koordinasi")]
    filterset_class = FasilitasFilter

    def get_serializer_class(self):
        return FasilitasSimpanSerializer if self.action == "create" else FasilitasSerializer

    def get_queryset(self):
        if _palsu(self):
            return Fasilitas.objects.none()
        return (
            Fasilitas.objects.visible_to(self.request.user)
            .select_related("wilayah", "jenis")
            .order_by("wilayah__kode", "jenis__urutan", "pk")
        )

    def rekaman_sekarang(self):
        d = getattr(self, "_sasaran", None)
        if d is None:
            return None
        obj = self.get_queryset().filter(wilayah=d[0], jenis=d[1]).first()
        return FasilitasSerializer(obj, context=self.get_serializer_context()).data if obj else None

    def create(self, request, *args, **kwargs):
        masuk = self.get_serializer(data=request.data)
        masuk.is_valid(raise_exception=True)
        d = dict(masuk.validated_data)
        wilayah: Wilayah = d.pop("wilayah")
        jenis: JenisFasilitas = d.pop("jenis")
        if not request.user.has_perm("agencies.ubah_fasilitas", wilayah):
            raise PermissionDenied
        self._sasaran = (wilayah, jenis)
        d.setdefault("nomor_sk", "")
        d.setdefault("keterangan", "")
        fasilitas = services.fasilitas_simpan(wilayah=wilayah, jenis=jenis, by=request.user, **d)
        segar = self.get_queryset().get(pk=fasilitas.pk)
        kode = status.HTTP_201_CREATED if fasilitas.versi == 1 else status.HTTP_200_OK
        return Response(
            FasilitasSerializer(segar, context=self.get_serializer_context()).data, kode
        )


RUTE = [
    ("gugus-tugas", GugusTugasViewSet, "gugus-tugas"),
    ("anggota-gugus-tugas", AnggotaViewSet, "anggota-gugus-tugas"),
    ("personil", PersonilViewSet, "personil"),
    ("jenis-fasilitas", JenisFasilitasViewSet, "jenis-fasilitas"),
    ("fasilitas", FasilitasViewSet, "fasilitas"),
]
URLS: list = []
