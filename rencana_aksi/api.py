"""REST API of the RAD KLA (see kla_portal.api for what every endpoint shares).

- ``rad/periode/``: the plan periods; ``rad/periode/{id}/pemantauan/?tahun=``: the monitoring
  dashboard's figures of a year (selectors.dasbor_rad, the page's numbers).
- ``rad/aksi/``: the actions the person may see (``Aksi.objects.visible_to``) with their yearly
  targets, filtered as the page's list, with the figures of ``?tahun=``; create and change
  them (Bappeda, the secretariat, the admin) through services.aksi_simpan with ``versi``;
  ``rad/aksi/{id}/laporan/{tahun}/{triwulan}/``: read or fill a quarter's report
  (services.realisasi_simpan, the lead agency's operator).
- ``rad/realisasi/``: the quarterly reports the person may see, and their workflow steps
  (``kirim``, ``setujui``, ``tolak``, ``terima``, ``kembalikan``) through the same services and
  permissions as the page's buttons. Their evidence files: rencana_aksi.api_bukti
  (``rad/realisasi/{id}/bukti/``, ``rad/bukti/{id}/``), registered here too.

An id the person may not see is a 404; one they see but may not act on, a 403.
"""

from __future__ import annotations

import datetime

import django_filters
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from agencies.models import Opd
from clusters import alur
from kla_portal.api import ApiViewSet, BilanganFilter, Izin, perlu
from rencana_aksi import api_bukti, pemantauan, saringan, selectors, services
from rencana_aksi import serializers as s
from rencana_aksi.models import (
    Aksi,
    AnggaranDaerah,
    Klaster,
    LampiranRealisasi,
    PeriodeRad,
    Realisasi,
)
from rencana_aksi.serializers import contoh

LIHAT = "rencana_aksi.lihat_rad"
KELOLA = "rencana_aksi.kelola_rad"


DITOLAK = {
    400: OpenApiResponse(description="Isian tidak valid (problem+json)"),
    403: OpenApiResponse(description="Tidak diizinkan"),
    404: OpenApiResponse(description="Tidak ada atau bukan bagian Anda"),
    409: OpenApiResponse(description="Versi kedaluwarsa: berisi rekaman terbaru (sekarang)"),
}


# --- Plan periods and the monitoring figures -----------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Periode RAD KLA"),
    retrieve=extend_schema(summary="Satu periode RAD KLA dengan APBD per tahun"),
    create=extend_schema(
        summary="Buat periode RAD (lima tahun)",
        request={
            "application/json": s.PeriodeTulisSerializer,
            "multipart/form-data": s.PeriodeTulisSerializer,
        },
        responses={201: s.PeriodeDetailSerializer, **DITOLAK},
    ),
    update=extend_schema(exclude=True),
    partial_update=extend_schema(
        summary="Ubah dasar hukum, tanggal atau dokumen periode",
        request={
            "application/json": s.PeriodeTulisSerializer,
            "multipart/form-data": s.PeriodeTulisSerializer,
        },
        responses={200: s.PeriodeDetailSerializer, **DITOLAK},
    ),
)
class PeriodeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ApiViewSet,
):
    """The plan periods (every reader of the RAD sees them all, as on the pages); Bappeda, the
    secretariat and the admin create them, correct their legal basis and enter the city's
    total budget (APBD) per year."""

    permission_classes = [Izin]
    izin = LIHAT
    queryset = PeriodeRad.objects.all()
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def get_queryset(self):
        return PeriodeRad.objects.visible_to(self.request.user)

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return s.PeriodeTulisSerializer
        if self.action == "apbd":
            return s.ApbdSerializer
        if self.action == "list":
            return s.PeriodeSerializer
        return s.PeriodeDetailSerializer

    def _detail(self, periode: PeriodeRad) -> dict:
        apbd = dict(
            AnggaranDaerah.objects.filter(
                tahun__gte=periode.tahun_mulai, tahun__lte=periode.tahun_selesai
            ).values_list("tahun", "total")
        )
        return s.PeriodeDetailSerializer(periode, context={"apbd": apbd}).data

    def retrieve(self, request, *args, **kwargs):
        return Response(self._detail(self.get_object()))

    def create(self, request, *args, **kwargs):
        perlu(request.user, KELOLA)
        tulis = s.PeriodeTulisSerializer(data=request.data)
        tulis.is_valid(raise_exception=True)
        periode = services.periode_buat(by=request.user, **tulis.nilai())
        return Response(self._detail(periode), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            raise exceptions.MethodNotAllowed(request.method)
        perlu(request.user, KELOLA)
        periode = self.get_object()
        tulis = s.PeriodeTulisSerializer(periode, data=request.data, partial=True)
        tulis.is_valid(raise_exception=True)
        services.periode_ubah(periode=periode, by=request.user, **tulis.nilai())
        return Response(self._detail(self.get_object()))

    @extend_schema(
        summary="APBD kota per tahun rencana",
        request=s.ApbdSerializer,
        responses={200: s.PeriodeDetailSerializer, **DITOLAK},
        examples=[contoh.APBD],
    )
    @action(detail=True, methods=["put"])
    def apbd(self, request, pk=None):
        """The city's total APBD of some years of the plan (services.anggaran_daerah_simpan,
        as the period's page): the denominator of the children's share."""
        perlu(request.user, KELOLA)
        periode = self.get_object()
        tulis = s.ApbdSerializer(data=request.data, context={"periode": periode})
        tulis.is_valid(raise_exception=True)
        services.anggaran_daerah_simpan(total=tulis.nilai(), by=request.user)
        return Response(self._detail(periode))

    @extend_schema(
        summary="Angka pemantauan RAD satu tahun",
        parameters=[s.SaringTahunSerializer],
        responses=s.PemantauanSerializer,
        examples=[contoh.PEMANTAUAN],
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def pemantauan(self, request, pk=None):
        """The RAD monitoring page's figures of one year, from the actions the person may see
        (agency staff: their agency's), the same numbers as the page."""
        periode = self.get_object()
        saring = s.SaringTahunSerializer(data=request.query_params)
        saring.is_valid(raise_exception=True)
        hari_ini = datetime.date.today()  # as the dashboard page
        tahun = saringan.tahun_dalam(periode, saring.validated_data.get("tahun"), hari_ini)
        d = selectors.dasbor_rad(
            user=request.user,
            periode=periode,
            tahun=tahun,
            hari_ini=hari_ini,
            semua_tahun=saring.validated_data["antartahun"],
        )
        klaster_kode = {str(label): value for value, label in Klaster.choices}
        data = {
            "periode": periode.pk,
            "tahun": tahun,
            "seluruh_kota": d.seluruh_kota,
            "triwulan": d.triwulan,
            "kota": d.kota,
            "per_opd": [_dengan(j, opd=d.opd_id.get(j.nama)) for j in d.per_opd],
            "per_klaster": [
                _dengan(j, klaster=klaster_kode.get(j.nama, "")) for j in d.per_klaster
            ],
            "per_tahun": d.per_tahun,
            "berisiko": d.berisiko,
            "belum_lapor": d.belum_lapor,
            "porsi": d.porsi,
        }
        return Response(s.PemantauanSerializer(data).data)


def _dengan(jumlah: pemantauan.Jumlah, **lain) -> dict:
    kolom = ("nama", "aksi", "pagu", "terserap", "persen_serap", "rata_capaian")
    return {
        **{k: getattr(jumlah, k) for k in kolom},
        "berisiko": jumlah.berisiko,
        "terlambat": jumlah.terlambat,
        **lain,
    }


# --- Actions ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Aksi RAD dengan target dan angka satu tahun", parameters=[s.SaringAksiSerializer]
    ),
    retrieve=extend_schema(summary="Satu aksi dengan angka per tahun"),
    create=extend_schema(
        summary="Tambah aksi",
        request=s.AksiTulisSerializer,
        responses={201: s.AksiDetailSerializer, **DITOLAK},
        examples=[contoh.AKSI],
    ),
    update=extend_schema(
        summary="Ubah aksi (versi wajib)",
        request=s.AksiTulisSerializer,
        responses={200: s.AksiDetailSerializer, **DITOLAK},
    ),
    partial_update=extend_schema(
        summary="Ubah sebagian aksi (versi wajib)",
        request=s.AksiTulisSerializer,
        responses={200: s.AksiDetailSerializer, **DITOLAK},
        examples=[contoh.UBAH],
    ),
)
class AksiViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ApiViewSet,
):
    """The actions the person may see: all for city-wide roles, an agency's (lead or
    supporting) for its staff."""

    permission_classes = [Izin]
    izin = LIHAT
    filter_backends: list = []
    lookup_value_regex = "[0-9]+"  # /aksi/null/laporan/... is no route (404), not a 500

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return s.AksiTulisSerializer
        if self.action == "list":
            return s.AksiSerializer
        if self.action == "laporan":
            return s.RealisasiTulisSerializer
        return s.AksiDetailSerializer

    def get_queryset(self):
        qs = (
            Aksi.objects.visible_to(self.request.user)
            .select_related("periode", "opd_utama")
            .prefetch_related(
                Prefetch("opd_pendukung", queryset=Opd.objects.only("pk", "aktif", "singkatan")),
                "indikator",
                "target",
            )
        )
        if self.action == "retrieve":
            qs = qs.prefetch_related("realisasi")
        return qs

    def rekaman_sekarang(self):
        try:
            aksi = self.get_object()
        except Exception:
            return None
        return self._detail(aksi)

    def _detail(self, aksi: Aksi) -> dict:
        aksi = self.get_queryset().prefetch_related("realisasi").get(pk=aksi.pk)
        tahunan = selectors.keadaan_aksi(aksi, timezone.localdate())
        return s.AksiDetailSerializer(aksi, context={"tahunan": tahunan}).data

    def list(self, request, *args, **kwargs):
        saring = s.SaringAksiSerializer(data=request.query_params)
        saring.is_valid(raise_exception=True)
        v = saring.validated_data
        if "periode" in v:
            periode = get_object_or_404(
                PeriodeRad.objects.visible_to(self.request.user), pk=v["periode"]
            )
        else:
            periode = selectors.periode_berjalan(self.request.user)
        if periode is None:
            return self.get_paginated_response(self.paginate_queryset(Aksi.objects.none()))
        hari_ini = timezone.localdate()  # as the list page
        tahun = saringan.tahun_dalam(periode, v.get("tahun"), hari_ini)
        saring = saringan.Saringan(
            q=" ".join(v.get("q", "").split()),
            opd=v.get("opd"),
            klaster=v.get("klaster", ""),
            status=v.get("status", ""),
            indikator=" ".join(v.get("indikator", "").split()),
            berisiko=v["berisiko"],
            terlambat=v["terlambat"],
        )
        terlihat = self.get_queryset().filter(periode=periode)
        qs = saring.terapkan(
            pemantauan.dengan_baris(terlihat, tahun, hari_ini, saring.angka), tahun
        ).order_by("kode")
        halaman = self.paginate_queryset(qs)
        keadaan = {a.pk: pemantauan.keadaan_baris(a, tahun, hari_ini) for a in halaman}
        data = s.AksiSerializer(halaman, many=True, context={"keadaan": keadaan}).data
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        aksi = self.get_object()
        tahunan = selectors.keadaan_aksi(aksi, timezone.localdate())
        return Response(s.AksiDetailSerializer(aksi, context={"tahunan": tahunan}).data)

    def create(self, request, *args, **kwargs):
        perlu(request.user, KELOLA)
        tulis = s.AksiTulisSerializer(data=request.data, context={"request": request})
        tulis.is_valid(raise_exception=True)
        aksi, _berubah = services.aksi_simpan(
            periode=tulis.validated_data["periode"],
            data=tulis.data_aksi(),
            by=request.user,
            versi=0,  # as the page: one made with this code a moment ago is refused
        )
        return Response(self._detail(aksi), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        perlu(request.user, KELOLA)  # as the page: the permission before the record
        aksi = self.get_object()
        tulis = s.AksiTulisSerializer(
            aksi,
            data=request.data,
            partial=kwargs.get("partial", False),
            context={"request": request},
        )
        tulis.is_valid(raise_exception=True)
        hasil, _berubah = services.aksi_simpan(
            periode=aksi.periode,
            data=tulis.data_aksi(),
            by=request.user,
            versi=tulis.validated_data["versi"],
        )
        return Response(self._detail(hasil))

    @extend_schema(
        methods=["GET"],
        summary="Laporan satu triwulan aksi",
        request=None,
        responses={200: s.RealisasiSerializer, 404: DITOLAK[404]},
    )
    @extend_schema(
        methods=["PUT"],
        summary="Isi laporan satu triwulan (draf), dengan bukti baru bila ada",
        request={
            "application/json": s.RealisasiTulisSerializer,
            "multipart/form-data": s.RealisasiTulisSerializer,
        },
        responses={200: s.RealisasiSerializer, **DITOLAK},
        examples=[contoh.LAPOR],
    )
    @action(
        detail=True,
        methods=["get", "put"],
        url_path=r"laporan/(?P<tahun>[0-9]{4})/(?P<triwulan>[0-9])",
    )
    def laporan(self, request, pk=None, tahun=None, triwulan=None):
        """A quarter's report of the action, as its page: read it (an empty one, ``versi`` 0,
        before it is written), and for the lead agency's operator fill it in as a draft. The
        quarter must be in the plan's years."""
        aksi = get_object_or_404(
            Aksi.objects.visible_to(request.user).select_related("periode", "opd_utama"), pk=pk
        )
        tahun, triwulan = int(tahun), int(triwulan)
        if tahun not in aksi.periode.tahun_list or triwulan not in (1, 2, 3, 4):
            raise Http404
        if request.method == "PUT":
            perlu(request.user, "rencana_aksi.lapor_realisasi", aksi)
            tulis = s.RealisasiTulisSerializer(data=request.data)
            tulis.is_valid(raise_exception=True)
            v = tulis.validated_data
            services.realisasi_simpan(
                aksi=aksi,
                tahun=tahun,
                triwulan=triwulan,
                by=request.user,
                versi=v["versi"],
                capaian=v.get("capaian"),
                anggaran=v.get("anggaran"),
                narasi=v.get("narasi", ""),
                berkas=v.get("berkas", []),
            )
        return Response(
            s.RealisasiSerializer(
                _laporan(aksi, tahun, triwulan), context=self.get_serializer_context()
            ).data
        )


def _laporan(aksi: Aksi, tahun: int, triwulan: int) -> Realisasi:
    laporan = (
        Realisasi.objects.filter(aksi=aksi, tahun=tahun, triwulan=triwulan)
        .select_related("aksi")
        .first()
    )
    return laporan or Realisasi(aksi=aksi, tahun=tahun, triwulan=triwulan, versi=0)


# --- Quarterly reports and their workflow ----------------------------------------------------


class SaringRealisasi(django_filters.FilterSet):
    aksi = BilanganFilter(field_name="aksi_id")
    periode = BilanganFilter(field_name="aksi__periode_id")
    opd = BilanganFilter(field_name="aksi__opd_utama_id", label="Lead agency")
    tahun = BilanganFilter()
    triwulan = django_filters.ChoiceFilter(choices=[(i, str(i)) for i in (1, 2, 3, 4)])
    status = django_filters.ChoiceFilter(choices=alur.Status.choices)

    class Meta:
        model = Realisasi
        fields = ["aksi", "periode", "opd", "tahun", "triwulan", "status"]


def _langkah_schema(summary: str, dengan_alasan: bool = False):
    return extend_schema(
        summary=summary,
        request=s.LangkahRealisasiAlasanSerializer
        if dengan_alasan
        else s.LangkahRealisasiSerializer,
        responses={200: s.RealisasiSerializer, **DITOLAK},
        examples=[contoh.LANGKAH_ALASAN if dengan_alasan else contoh.LANGKAH],
    )


@extend_schema_view(
    list=extend_schema(summary="Laporan triwulan RAD"),
    retrieve=extend_schema(summary="Satu laporan triwulan"),
)
class RealisasiViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The quarterly reports of the actions the person may see, and their workflow: the lead
    agency's operator sends (``kirim``), its head approves (``setujui``) or returns
    (``tolak``, with a reason), Bappeda accepts (``terima``) or returns (``kembalikan``, with a
    reason). Each step is the page's button: the same service, permission and messages."""

    serializer_class = s.RealisasiSerializer
    permission_classes = [Izin]
    izin = LIHAT
    filterset_class = SaringRealisasi

    def get_queryset(self):
        return (
            Realisasi.objects.visible_to(self.request.user)
            .select_related("aksi__periode", "aksi__opd_utama")
            .prefetch_related(
                Prefetch(
                    "lampiran",
                    queryset=LampiranRealisasi.objects.filter(dihapus__isnull=True),
                    to_attr="bukti_aktif",
                )
            )
            .order_by("aksi__kode", "tahun", "triwulan", "pk")
        )

    def get_serializer_class(self):
        if self.action in ("tolak", "kembalikan"):
            return s.LangkahRealisasiAlasanSerializer
        if self.action in ("kirim", "setujui", "terima"):
            return s.LangkahRealisasiSerializer
        return s.RealisasiSerializer

    def rekaman_sekarang(self):
        try:
            return s.RealisasiSerializer(
                self.get_object(), context=self.get_serializer_context()
            ).data
        except Exception:
            return None

    def _jalankan(self, request, permission: str, step, *, izin: str = LIHAT, alasan=False):
        perlu(request.user, izin)  # as the page's decorator: before the record is read
        laporan = self.get_object()
        perlu(request.user, permission, laporan.aksi)
        masuk = self.get_serializer(data=request.data)
        masuk.is_valid(raise_exception=True)
        kwargs = {"alasan": masuk.validated_data["alasan"]} if alasan else {}
        step(realisasi=laporan, by=request.user, versi=masuk.validated_data.get("versi"), **kwargs)
        return Response(
            s.RealisasiSerializer(
                self.get_queryset().get(pk=laporan.pk), context=self.get_serializer_context()
            ).data
        )

    @_langkah_schema("Kirim ke kepala OPD")
    @action(detail=True, methods=["post"])
    def kirim(self, request, pk=None):
        return self._jalankan(request, "rencana_aksi.lapor_realisasi", services.realisasi_kirim)

    @_langkah_schema("Setujui (kepala OPD)")
    @action(detail=True, methods=["post"])
    def setujui(self, request, pk=None):
        return self._jalankan(request, "rencana_aksi.setujui_realisasi", services.realisasi_setujui)

    @_langkah_schema("Kembalikan ke operator (kepala OPD)", dengan_alasan=True)
    @action(detail=True, methods=["post"])
    def tolak(self, request, pk=None):
        return self._jalankan(
            request, "rencana_aksi.setujui_realisasi", services.realisasi_tolak, alasan=True
        )

    @_langkah_schema("Terima (Bappeda)")
    @action(detail=True, methods=["post"])
    def terima(self, request, pk=None):
        tinjau = "rencana_aksi.tinjau_realisasi"
        return self._jalankan(request, tinjau, services.realisasi_tinjau, izin=tinjau)

    @_langkah_schema("Kembalikan ke OPD (Bappeda)", dengan_alasan=True)
    @action(detail=True, methods=["post"])
    def kembalikan(self, request, pk=None):
        tinjau = "rencana_aksi.tinjau_realisasi"
        return self._jalankan(
            request, tinjau, services.realisasi_kembalikan, izin=tinjau, alasan=True
        )


RUTE: list = [
    ("rad/periode", PeriodeViewSet, "rad-periode"),
    ("rad/aksi", AksiViewSet, "rad-aksi"),
    ("rad/realisasi", RealisasiViewSet, "rad-realisasi"),
    # the reports' evidence files: list, upload, download, remove (rencana_aksi.api_bukti)
    *api_bukti.RUTE,
]
URLS: list = [*api_bukti.URLS]
