"""Answers and their workflow in the REST API (see kla_portal.api for what every endpoint
shares).

Reads are scoped as the pages are (``Jawaban.objects.visible_to``; a question and unit as the
question's page finds them). Writes go through the services the pages call, after the same
permissions: a save through ``services.jawaban_simpan`` (with the version read: a stale one is
a 409 carrying the answer as it is now), each workflow step through its service, which runs it
through ``clusters.alur.jalankan`` (states, reasons, notices, history and the score recompute
as on the page). A refusal changes nothing and says why, in the reader's language.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from clusters import alur, services
from clusters.forms import JawabanForm
from clusters.models import Jawaban
from clusters.selectors import perubahan_jawaban
from clusters.serializers.jawaban import (
    ID_MAX,
    AlasanSerializer,
    JawabanBuatSerializer,
    JawabanDetailSerializer,
    JawabanIsiSerializer,
    JawabanSerializer,
    LangkahSerializer,
    RiwayatSerializer,
    VerifikasiSerializer,
)
from clusters.views.jawaban import _kursi as kursi_halaman
from kla_portal.api import ApiViewSet

# Who may do what, said when someone else tries (the pages hide the button instead).
TIDAK_BOLEH = {
    "clusters.isi_jawaban": _(
        "Hanya operator OPD penanggung jawab (atau operator kecamatan/kelurahan untuk jawaban "
        "per unit) yang dapat mengisi dan mengirim jawaban ini."
    ),
    "clusters.setujui_jawaban": _(
        "Hanya kepala OPD penanggung jawab (atau camat untuk jawaban kecamatan/kelurahan) yang "
        "dapat menyetujui atau mengembalikan jawaban ini."
    ),
    "clusters.verifikasi_jawaban": _(
        "Hanya Sekretariat Gugus Tugas yang dapat memverifikasi, mengembalikan atau membuka "
        "kembali jawaban ini."
    ),
}
TIDAK_DIPAKAI = _("Pertanyaan ini tidak memakai isian ini.")
ISIAN = JawabanForm.base_fields.keys() - {"berkas", "versi"}


def _tolak(permission: str) -> PermissionDenied:
    return PermissionDenied(str(TIDAK_BOLEH[permission]))  # in the reader's language


def nilai_simpan(jawaban: Jawaban, data: dict, *, sebagian: bool) -> dict:
    """The values ``services.jawaban_simpan`` gets, as the question's form would give them:
    only the fields the form shows for this question (another one sent is refused); a field
    not sent keeps its value (``sebagian``, PATCH) or is emptied (POST and PUT, as the form).
    A graded question's choice and points say the same: sending one clears the other, and
    points sent beside a choice win (JawabanForm.nilai)."""
    form = JawabanForm(pertanyaan=jawaban.pertanyaan, unit=jawaban.wilayah_id is not None)
    dipakai = form.fields.keys() - {"berkas", "versi"}
    salah = sorted(nama for nama in data if nama in ISIAN and nama not in dipakai)
    if salah:
        raise ValidationError({nama: str(TIDAK_DIPAKAI) for nama in salah})
    nilai = {}
    for nama in dipakai:
        if nama in data:
            nilai[nama] = data[nama]
        elif sebagian:
            nilai[nama] = getattr(jawaban, nama)
        else:
            nilai[nama] = "" if nama == "catatan" else None
    if {"fraksi", "poin_langsung"} <= dipakai:
        if "poin_langsung" in data and "fraksi" not in data:
            nilai["fraksi"] = None
        elif "fraksi" in data and "poin_langsung" not in data:
            nilai["poin_langsung"] = None
        elif nilai["poin_langsung"] is not None:
            nilai["fraksi"] = None
    return nilai


class BilanganFilter(filters.NumberFilter):
    """A whole number within the database's range: 1.5 or 10**30 is a 400, not a guess or an
    overflow."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


class JawabanFilter(filters.FilterSet):
    tahun = BilanganFilter(
        field_name="pertanyaan__tahun__tahun", max_value=32767, label=_("Tahun evaluasi")
    )
    opd = BilanganFilter(field_name="opd", label=_("OPD penanggung jawab (id)"))
    status = filters.ChoiceFilter(choices=alur.Status.choices, label=_("Status"))
    pertanyaan = BilanganFilter(field_name="pertanyaan", label=_("Pertanyaan (id)"))
    wilayah = filters.CharFilter(field_name="wilayah__kode", label=_("Kode kecamatan/kelurahan"))
    kota = filters.BooleanFilter(
        field_name="wilayah", lookup_expr="isnull", label=_("Hanya jawaban tingkat kota")
    )

    class Meta:
        model = Jawaban
        fields = ["tahun", "opd", "status", "pertanyaan", "wilayah", "kota"]


CONTOH_SIMPAN = OpenApiExample(
    "Menjawab pertanyaan bertingkat",
    value={"pertanyaan": 12, "versi": 0, "fraksi": 0.75, "catatan": "Data Puskesmas 2024"},
    request_only=True,
)
CONTOH_UNIT = OpenApiExample(
    "Menjawab untuk satu kelurahan",
    value={"pertanyaan": 14, "wilayah": "36.73.01.1002", "versi": 0, "fraksi": 1},
    request_only=True,
)
CONTOH_UBAH = OpenApiExample(
    "Mengubah catatan saja",
    value={"versi": 3, "catatan": "Ditambah data triwulan IV"},
    request_only=True,
)
CONTOH_ALASAN = OpenApiExample(
    "Mengembalikan dengan alasan",
    value={"versi": 5, "alasan": "SK belum ditandatangani; lampirkan yang sudah sah."},
    request_only=True,
)
CONTOH_VERIFIKASI = OpenApiExample(
    "Memverifikasi dengan poin",
    value={"versi": 6, "poin": 6.5},
    request_only=True,
)
KUNCI = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description=_(
        "Opsional: 16–64 huruf, angka, '-' atau '_'. Permintaan yang sama dengan kunci yang "
        "sama dijalankan sekali; ulangannya mendapat jawaban pertama (Idempotent-Replayed: true)."
    ),
)
GAGAL = {
    400: OpenApiResponse(description=_("Ditolak; tidak ada yang berubah (problem+json).")),
    403: OpenApiResponse(description=_("Tidak berwenang (problem+json).")),
    404: OpenApiResponse(description=_("Tidak ada atau bukan bagian Anda (problem+json).")),
    409: OpenApiResponse(
        description=_("Versi kedaluwarsa: `sekarang` memuat jawaban terbaru (problem+json).")
    ),
}


def _langkah_schema(ringkas: str, request=LangkahSerializer, contoh=()):
    return extend_schema(
        summary=ringkas,
        request=request,
        responses={200: JawabanDetailSerializer, **GAGAL},
        parameters=[KUNCI],
        examples=list(contoh),
    )


@extend_schema_view(
    list=extend_schema(summary=_("Jawaban yang boleh Anda lihat")),
    retrieve=extend_schema(summary=_("Satu jawaban dengan riwayatnya")),
)
class JawabanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Answers the reader may see (as on the pages), with their state, version, values,
    points and history; saving an answer and the workflow steps."""

    filterset_class = JawabanFilter
    queryset = Jawaban.objects.none()  # for the schema; get_queryset scopes every request

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Jawaban.objects.none()
        return (
            Jawaban.objects.visible_to(self.request.user)
            .select_related(
                "pertanyaan__indikator",
                "pertanyaan__tahun",
                "wilayah",
                "dikirim_oleh",
                "diubah_oleh",
            )
            .order_by(
                "pertanyaan__tahun__tahun",
                "pertanyaan__indikator__kelompok__urutan",
                "pertanyaan__indikator__urutan",
                "pertanyaan__urutan",
                "pertanyaan_id",
                "wilayah__kode",
                "pk",
            )
        )

    def get_serializer_class(self):
        return JawabanSerializer if self.action == "list" else JawabanDetailSerializer

    # --- helpers ---------------------------------------------------------------------------

    def _baca(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _jawaban(self, permission: str) -> Jawaban:
        """The answer of the URL, if the reader may see it (404) and act on it (403)."""
        jawaban = self.get_object()
        if not self.request.user.has_perm(permission, jawaban):
            raise _tolak(permission)
        return jawaban

    def _tampil(self, pk: int, status_code: int = status.HTTP_200_OK) -> Response:
        jawaban = self.get_queryset().get(pk=pk)
        return Response(
            JawabanDetailSerializer(jawaban, context=self.get_serializer_context()).data,
            status=status_code,
        )

    def rekaman_sekarang(self):
        """The answer as it is now, for a 409: the URL's, or the one a save named."""
        cari = getattr(self, "_dicari", None)
        qs = self.get_queryset()
        if cari is not None:
            jawaban = qs.filter(pertanyaan=cari[0], wilayah=cari[1]).first()
        else:
            jawaban = qs.filter(pk=self.kwargs.get("pk")).first()
        if jawaban is None:
            return None
        return JawabanDetailSerializer(jawaban, context=self.get_serializer_context()).data

    def _simpan(self, jawaban: Jawaban, data: dict, *, sebagian: bool) -> Jawaban:
        nilai = nilai_simpan(jawaban, data, sebagian=sebagian)
        return services.jawaban_simpan(
            pertanyaan=jawaban.pertanyaan,
            wilayah=jawaban.wilayah,
            by=self.request.user,
            versi=data["versi"],
            **nilai,
        )

    # --- saving ----------------------------------------------------------------------------

    @extend_schema(
        summary=_("Menjawab pertanyaan (membuat atau menyimpan jawaban)"),
        request=JawabanBuatSerializer,
        responses={
            201: JawabanDetailSerializer,
            200: OpenApiResponse(JawabanDetailSerializer, _("Jawaban yang sudah ada disimpan.")),
            **GAGAL,
        },
        parameters=[KUNCI],
        examples=[CONTOH_SIMPAN, CONTOH_UNIT],
    )
    def create(self, request):
        """Save the answer to a question (for one kecamatan/kelurahan with ``wilayah``) as a
        draft, as the question's page does: 201 when it creates the answer, 200 when it saves
        an existing one (whose current ``versi`` must be sent)."""
        data = self._baca(JawabanBuatSerializer)
        pertanyaan, wilayah, jawaban = kursi_halaman(
            request, data["pertanyaan"], data.get("wilayah") or None
        )
        self._dicari = (pertanyaan, wilayah)
        if not request.user.has_perm("clusters.isi_jawaban", jawaban):
            raise _tolak("clusters.isi_jawaban")
        baru = jawaban.pk is None
        hasil = self._simpan(jawaban, data, sebagian=False)
        return self._tampil(hasil.pk, status.HTTP_201_CREATED if baru else status.HTTP_200_OK)

    @extend_schema(
        summary=_("Menyimpan jawaban (semua isian)"),
        request=JawabanIsiSerializer,
        responses={200: JawabanDetailSerializer, **GAGAL},
        parameters=[KUNCI],
    )
    def update(self, request, pk=None):
        """Save every value of the answer (one not sent is emptied, as the form does)."""
        jawaban = self._jawaban("clusters.isi_jawaban")
        hasil = self._simpan(jawaban, self._baca(JawabanIsiSerializer), sebagian=False)
        return self._tampil(hasil.pk)

    @extend_schema(
        summary=_("Mengubah sebagian isian jawaban"),
        request=JawabanIsiSerializer,
        responses={200: JawabanDetailSerializer, **GAGAL},
        parameters=[KUNCI],
        examples=[CONTOH_UBAH],
    )
    def partial_update(self, request, pk=None):
        """Save the values sent; the others keep theirs. ``versi`` is required."""
        jawaban = self._jawaban("clusters.isi_jawaban")
        hasil = self._simpan(jawaban, self._baca(JawabanIsiSerializer), sebagian=True)
        return self._tampil(hasil.pk)

    # --- history ---------------------------------------------------------------------------

    @extend_schema(summary=_("Riwayat lengkap jawaban"), responses=RiwayatSerializer(many=True))
    @action(detail=True, methods=["get"], serializer_class=RiwayatSerializer)
    def riwayat(self, request, pk=None):
        """Every record of the answer's history, newest first, with what each changed."""
        jawaban = self.get_object()
        qs = jawaban.history.select_related("history_user").order_by("-history_date", "-history_id")
        halaman = list(self.paginate_queryset(qs))
        # The record before the page's last, to say what that one changed (read on the last
        # page too, where there is none: the same queries whatever the page).
        akhir = self.paginator.page.end_index()
        lebih = list(qs[akhir : akhir + 1])
        perubahan = perubahan_jawaban(
            halaman + lebih, jawaban.pertanyaan, jawaban.wilayah_id is not None
        )
        data = RiwayatSerializer(halaman, many=True, context={"perubahan": perubahan}).data
        return self.get_paginated_response(data)

    # --- workflow steps --------------------------------------------------------------------

    def _langkah(self, permission: str, step, serializer_class=LangkahSerializer, jawaban=None):
        """Run one step through its service, as the page's button does (clusters.views.alur):
        the version read refuses a stale answer, the service refuses a step that cannot
        start (a double submit), and tells whom it concerns."""
        jawaban = jawaban or self._jawaban(permission)
        data = dict(self._baca(serializer_class))
        versi = data.pop("versi", None)
        step(jawaban=jawaban, by=self.request.user, versi=versi, **data)
        return self._tampil(jawaban.pk)

    @_langkah_schema(_("Mengirim jawaban ke kepala OPD (atau camat)"))
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send the answer for approval (operators of the lead agency or of the unit)."""
        return self._langkah("clusters.isi_jawaban", services.jawaban_kirim)

    @_langkah_schema(_("Menyetujui jawaban (kepala OPD atau camat)"))
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """The head approves: the answer goes to the secretariat for verification."""
        return self._langkah("clusters.setujui_jawaban", services.jawaban_setujui)

    @_langkah_schema(_("Mengembalikan jawaban dengan alasan"), AlasanSerializer, [CONTOH_ALASAN])
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def kembalikan(self, request, pk=None):
        """Return the answer with a reason: the head's step while it waits for the head
        (back to the operators), the secretariat's while it waits for verification."""
        jawaban = self.get_object()
        user = request.user
        kepala = user.has_perm("clusters.setujui_jawaban", jawaban)
        sekretariat = user.has_perm("clusters.verifikasi_jawaban", jawaban)
        if kepala and (jawaban.status == alur.Status.MENUNGGU_KEPALA or not sekretariat):
            step, permission = services.jawaban_tolak, "clusters.setujui_jawaban"
        elif sekretariat:
            step, permission = services.jawaban_kembalikan, "clusters.verifikasi_jawaban"
        else:
            raise _tolak("clusters.verifikasi_jawaban")
        return self._langkah(permission, step, AlasanSerializer, jawaban=jawaban)

    @_langkah_schema(
        _("Memverifikasi jawaban (Sekretariat)"), VerifikasiSerializer, [CONTOH_VERIFIKASI]
    )
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """The secretariat accepts the answer with the verifier's points (the agency's own
        when none are sent); it is then locked."""
        return self._langkah(
            "clusters.verifikasi_jawaban", services.jawaban_verifikasi, VerifikasiSerializer
        )

    @_langkah_schema(_("Membuka kembali jawaban terverifikasi"), AlasanSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Unlock a verified answer, with a reason; its verified points no longer count."""
        return self._langkah(
            "clusters.verifikasi_jawaban", services.jawaban_buka_kembali, AlasanSerializer
        )


RUTE = [("jawaban", JawabanViewSet, "jawaban")]
URLS: list = []
