"""REST API of background jobs: start a bundle, an RAD import or an export package, follow
its progress, cancel it, try it again, fetch its file. See kla_portal.api for what every
endpoint shares.

A job is seen only by the person who started it, as on its page (/pekerjaan/<id>/): anyone
else's id answers 404. Starting a job goes through the same service and the same permission
as the page's button; the file comes through the same permission as the page's download.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.reverse import reverse

from clusters.models import TahunEvaluasi
from kla_portal import pekerjaan as pekerjaan_services
from kla_portal.api import ApiViewSet, hanya_skema, perlu
from kla_portal.berkas import amankan_unduhan
from kla_portal.models import Pekerjaan
from kla_portal.parser import JsonParser
from laporan import paket, services
from laporan.models import Bundel
from laporan.serializers import (
    BundelMintaSerializer,
    ImporRadSerializer,
    PaketMintaSerializer,
    PekerjaanSerializer,
)

CONTOH_PEKERJAAN = OpenApiExample(
    "Paket sedang dibuat",
    value={
        "id": 42,
        "jenis": "paket",
        "judul": "Paket ekspor evaluasi KLA 2024",
        "status": "berjalan",
        "status_label": "Sedang dikerjakan",
        "persen": 40,
        "langkah": "Menyalin data dukung 12 dari 30 …",
        "pesan": "",
        "perkiraan_sisa_detik": 18.0,
        "perkiraan_sisa": "18 dtk",
        "hasil": {},
        "unduh": None,
        "dapat_diulang": False,
        "minta_batal": False,
        "dibuat": "2026-12-04T09:00:00+07:00",
        "mulai": "2026-12-04T09:00:01+07:00",
        "selesai": None,
    },
    response_only=True,
)
BERKAS = OpenApiResponse(OpenApiTypes.BINARY, description=_("Berkas hasil pekerjaan."))


TIDAK_BERHAK = gettext_lazy("Peran Anda tidak berhak memulai pekerjaan ini.")


def _tahun(nomor: int) -> TahunEvaluasi:
    return get_object_or_404(TahunEvaluasi, tahun=nomor)


def _dimulai(view, job: Pekerjaan) -> Response:
    """202 with the job and where to follow it."""
    job.refresh_from_db()  # a worker as quick as the request (tasks run eagerly) has moved it
    data = PekerjaanSerializer(job, context=view.get_serializer_context()).data
    lokasi = reverse("pekerjaan-detail", args=[job.pk], request=view.request)
    return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": lokasi})


def _impor_rad_antre(request, periode_id: int, berkas) -> Pekerjaan:
    """The RAD import page's two steps in one: the file is checked as its preview checks it
    (same form, same check, as this person), refused with its faults, else queued for a worker
    with what the check saw (``rad_impor_antre``), which checks it again before writing."""
    from rencana_aksi import impor
    from rencana_aksi.forms import BerkasRadForm
    from rencana_aksi.impor import tulis as impor_tulis
    from rencana_aksi.models import PeriodeRad

    periode = get_object_or_404(PeriodeRad, pk=periode_id)
    form = BerkasRadForm(data={}, files={"berkas": berkas})
    if not form.is_valid():
        raise ValidationError(form.errors["berkas"])
    isi = berkas.read()
    laporan = impor.periksa_berkas(berkas.name, isi, periode=periode, pengguna=request.user)
    if laporan.ada_galat:
        raise ValidationError([str(g) for g in laporan.galat[: impor_tulis.GALAT_DISEBUT]])
    if not laporan.tulis:
        raise ValidationError(
            _("Tidak ada yang perlu diimpor: setiap baris kosong, tidak berubah, atau dilewati.")
        )
    return impor_tulis.rad_impor_antre(
        periode=periode,
        nama=berkas.name,
        isi=isi,
        versi=laporan.versi_dilihat(),
        jenis=laporan.jenis,
        by=request.user,
    )


def _berkas_job(request, job: Pekerjaan) -> tuple[str, str, str]:
    """(stored name, download name, content type) of a finished job's file, with the page's
    permission for it; 404 when the job has none."""
    if job.jenis == "bundel":
        perlu(request.user, "laporan.unduh_bundel")
        bundel = Bundel.objects.jadi().filter(pekerjaan=job).first()
        if bundel is None:
            raise Http404
        jenis = "application/zip" if bundel.jenis == Bundel.Jenis.ZIP else "application/pdf"
        return bundel.berkas.name, bundel.nama_berkas, jenis
    if job.jenis == paket.JENIS:
        perlu(request.user, "laporan.unduh_bundel")
        nama = paket.berkas_paket(job)
        if not nama:
            raise Http404
        return nama, job.hasil.get("nama_berkas", "paket.zip"), "application/zip"
    raise Http404


@extend_schema_view(
    list=extend_schema(summary=_("Pekerjaan latar milik Anda"), examples=[CONTOH_PEKERJAAN]),
    retrieve=extend_schema(
        summary=_("Kemajuan satu pekerjaan: status, persen, langkah, perkiraan sisa waktu"),
        examples=[CONTOH_PEKERJAAN],
    ),
)
class PekerjaanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Background jobs the person started (bundles, report cards, imports, packages)."""

    serializer_class = PekerjaanSerializer
    filterset_fields = ["jenis", "status"]
    parser_classes = [JsonParser, FormParser, MultiPartParser]

    def get_queryset(self):
        if hanya_skema(self):
            return Pekerjaan.objects.none()
        return Pekerjaan.objects.filter(dibuat_oleh=self.request.user).order_by("-dibuat", "-pk")

    def perform_content_negotiation(self, request, force=False):
        # A download asked for with ``Accept: application/zip`` is not refused with 406: the
        # file answers it, an error still comes as problem+json.
        return super().perform_content_negotiation(request, force=force or self.action == "unduh")

    def retrieve(self, request, *args, **kwargs):
        job = self.get_object()
        if not job.berakhir:
            # As the page: a job whose worker is gone is shown (and marked) failed.
            pekerjaan_services.tandai_mati(job)
            job.refresh_from_db()
        return Response(self.get_serializer(job).data)

    @extend_schema(
        summary=_("Minta pembatalan"),
        request=None,
        responses=PekerjaanSerializer,
    )
    @action(detail=True, methods=["post"])
    def batal(self, request, pk=None):
        job = self.get_object()
        pekerjaan_services.minta_batal(job)
        job.refresh_from_db()
        return Response(self.get_serializer(job).data)

    @extend_schema(
        summary=_("Coba lagi pekerjaan yang gagal (sebagai pekerjaan baru)"),
        request=None,
        responses={202: PekerjaanSerializer},
    )
    @action(detail=True, methods=["post"])
    def ulangi(self, request, pk=None):
        baru = pekerjaan_services.ulangi(self.get_object(), by=request.user)
        return _dimulai(self, baru)

    @extend_schema(
        summary=_("Unduh berkas hasil pekerjaan (bundel atau paket ekspor)"),
        responses={(200, "application/octet-stream"): BERKAS},
    )
    @action(detail=True, methods=["get"])
    def unduh(self, request, pk=None):
        nama, nama_unduh, jenis = _berkas_job(request, self.get_object())
        if not default_storage.exists(nama):
            raise Http404
        response = FileResponse(
            default_storage.open(nama, "rb"),
            as_attachment=True,
            filename=nama_unduh,
            content_type=jenis,
        )
        return amankan_unduhan(response)

    @extend_schema(
        summary=_("Mulai membuat bundel evaluasi"),
        request=BundelMintaSerializer,
        responses={202: PekerjaanSerializer},
        examples=[
            OpenApiExample("Bundel PDF", value={"tahun": 2024, "jenis": "pdf"}, request_only=True)
        ],
    )
    @action(detail=False, methods=["post"])
    def bundel(self, request):
        perlu(request.user, "laporan.buat_bundel", pesan=TIDAK_BERHAK)
        masukan = BundelMintaSerializer(data=request.data)
        masukan.is_valid(raise_exception=True)
        bundel = services.bundel_minta(
            tahun=_tahun(masukan.validated_data["tahun"]),
            jenis=masukan.validated_data["jenis"],
            by=request.user,
        )
        return _dimulai(self, bundel.pekerjaan)

    @extend_schema(
        summary=_("Mulai impor RAD dari XLSX/CSV oleh pekerja"),
        description=_(
            "Berkas diperiksa dulu seperti pratinjau di halaman impor; bila ada galat, tidak "
            "ada yang diantrekan dan galatnya dijawab (400). Bila bersih, pekerja menulisnya."
        ),
        request={"multipart/form-data": ImporRadSerializer},
        responses={202: PekerjaanSerializer},
    )
    @action(detail=False, methods=["post"], url_path="impor-rad")
    def impor_rad(self, request):
        perlu(request.user, "rencana_aksi.impor_rad", pesan=TIDAK_BERHAK)
        masukan = ImporRadSerializer(data=request.data)
        masukan.is_valid(raise_exception=True)
        job = _impor_rad_antre(
            request, masukan.validated_data["periode"], masukan.validated_data["berkas"]
        )
        return _dimulai(self, job)


@extend_schema_view(
    create=extend_schema(
        summary=_("Mulai membuat paket ekspor evaluasi satu tahun"),
        description=_(
            "Pekerja menyusun ZIP berisi paket.json (jawaban, poin, status, riwayat, manifest "
            "data dukung dengan SHA-256) dan berkas data dukung. Ikuti kemajuannya di "
            "/api/v1/pekerjaan/{id}/ lalu unduh dari /api/v1/pekerjaan/{id}/unduh/."
        ),
        request=PaketMintaSerializer,
        responses={202: PekerjaanSerializer},
        examples=[OpenApiExample("Paket 2024", value={"tahun": 2024}, request_only=True)],
    )
)
class PaketViewSet(ApiViewSet):
    """The export package of a city's evaluation year (laporan.paket)."""

    serializer_class = PaketMintaSerializer
    queryset = Pekerjaan.objects.none()

    def create(self, request):
        perlu(request.user, "laporan.buat_bundel", pesan=TIDAK_BERHAK)
        masukan = PaketMintaSerializer(data=request.data)
        masukan.is_valid(raise_exception=True)
        job = paket.paket_minta(tahun=_tahun(masukan.validated_data["tahun"]), by=request.user)
        return _dimulai(self, job)


RUTE: list = [
    ("pekerjaan", PekerjaanViewSet, "pekerjaan"),
    ("paket", PaketViewSet, "paket"),
]
URLS: list = []
