from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import api_view
from rest_framework.response import Response

from agencies.models import Opd, Wilayah
from agencies.serializers import OpdSerializer, SayaSerializer, WilayahSerializer
from kla_portal.api import ApiViewSet


class WilayahViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Regions of the city served (public reference data: Kemendagri codes)."""

    serializer_class = WilayahSerializer
    lookup_field = "kode"
    lookup_value_regex = r"[0-9.]+"
    filterset_fields = ["tingkat"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request, no query
            return Wilayah.objects.none()
        kabkota = Wilayah.objects.kabkota_dilayani()
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


RUTE = [
    ("wilayah", WilayahViewSet, "wilayah"),
    ("opd", OpdViewSet, "opd"),
]
URLS = [path("saya/", saya, name="api-saya")]

# The task force and the facility register: agencies.api_gugus.
from agencies.api_gugus import RUTE as _RUTE_GUGUS  # noqa: E402
from agencies.api_gugus import URLS as _URLS_GUGUS  # noqa: E402

RUTE += _RUTE_GUGUS
URLS += _URLS_GUGUS
