from django.urls import path
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from agencies import api_gugus, services
from agencies.models import Opd, TokenApi, Wilayah
from agencies.serializers import (
    OpdSerializer,
    SayaSerializer,
    TokenApiBaruSerializer,
    TokenApiDibuatSerializer,
    TokenApiSerializer,
    WilayahSerializer,
)
from kla_portal.api import ApiViewSet, hanya_skema


class WilayahViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Regions of the city served (public reference data: Kemendagri codes)."""

    serializer_class = WilayahSerializer
    lookup_field = "kode"
    lookup_value_regex = r"[0-9.]+"
    filterset_fields = ["tingkat"]

    def get_queryset(self):
        if hanya_skema(self):  # schema generation: no request, no query
            return Wilayah.objects.none()
        kabkota = self.request.user.daerah
        if kabkota is None:
            return Wilayah.objects.none()
        return Wilayah.objects.di_dalam(kabkota).select_related("induk")


class OpdViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Agencies the user may see: all for city-wide roles, else their own."""

    serializer_class = OpdSerializer
    filterset_fields = ["jenis", "aktif"]

    def get_queryset(self):
        return Opd.objects.visible_to(self.request.user).select_related("wilayah")


@extend_schema(responses=SayaSerializer)
@api_view(["GET"])
def saya(request):
    """The logged-in person with their active roles."""
    return Response(SayaSerializer(request.user).data)


_CONTOH_TOKEN = {
    "id": 7,
    "nama": "Dasbor Bappeda",
    "awalan": "3f9a1c0d",
    "akses": "baca",
    "dibuat": "2026-12-04T09:00:00+07:00",
    "terakhir_dipakai": None,
    "kedaluwarsa": None,
    "dicabut": None,
    "berlaku": True,
}


@extend_schema_view(
    list=extend_schema(summary="Token API saya", examples=[OpenApiExample("Token", _CONTOH_TOKEN)]),
    retrieve=extend_schema(summary="Satu token API saya"),
    create=extend_schema(
        summary="Buat token API",
        description=(
            "Token ditampilkan sekali ini saja (kolom `token`); yang disimpan hanya hash-nya. "
            "Pengulangan dengan Idempotency-Key yang sama menjawab token yang sama dengan "
            "`token: null`. Token hanya-baca tidak dapat membuat token."
        ),
        request=TokenApiBaruSerializer,
        responses={201: TokenApiDibuatSerializer},
        examples=[
            OpenApiExample(
                "Permintaan", {"nama": "Dasbor Bappeda", "akses": "baca"}, request_only=True
            ),
            OpenApiExample(
                "Token baru",
                {**_CONTOH_TOKEN, "token": "kla_3f9a1c0d_Zm9vYmFy…"},
                response_only=True,
                status_codes=["201"],
            ),
        ],
    ),
    destroy=extend_schema(
        summary="Cabut token API",
        description="Token berhenti berlaku seketika dan tetap tampil di daftar sebagai dicabut.",
        responses={204: None},
    ),
)
class TokenApiViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, ApiViewSet
):
    """The person's own API tokens: list, make (shown once), revoke. Nobody sees another's."""

    serializer_class = TokenApiSerializer

    def get_queryset(self):
        return TokenApi.objects.visible_to(self.request.user)

    def create(self, request):
        masukan = TokenApiBaruSerializer(data=request.data)
        masukan.is_valid(raise_exception=True)
        token, rahasia = services.token_buat(user=request.user, **masukan.validated_data)
        data = TokenApiDibuatSerializer(token).data
        data["token"] = rahasia
        return Response(data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.token_cabut(token=instance, by=self.request.user)

    def finalize_response(self, request, response, *args, **kwargs):
        """The token itself is never stored, not even in the Idempotency-Key's copy of the
        answer: a repeat of the same request gets the token's row with ``token: null``."""
        data = getattr(response, "data", None)
        rahasia = data.get("token") if isinstance(data, dict) else None
        if rahasia:
            data["token"] = None
        response = super().finalize_response(request, response, *args, **kwargs)
        if rahasia:
            data["token"] = rahasia
        return response


# With the task force and the facility register (agencies.api_gugus).
RUTE = [
    ("wilayah", WilayahViewSet, "wilayah"),
    ("opd", OpdViewSet, "opd"),
    ("token", TokenApiViewSet, "token"),
    *api_gugus.RUTE,
]
URLS = [path("saya/", saya, name="api-saya"), *api_gugus.URLS]
