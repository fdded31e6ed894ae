"""REST API of the scores: a year's newest snapshot and the trend across years.

Read from the stored snapshot (``SkorSnapshot``), never computed in the request, and sliced
as the score pages slice it (``clusters.dasbor.Lingkup``): the city's three totals for
everyone who may see the score pages (``clusters.lihat_skor``); groups, indicators, questions
and agencies for the whole city for city-wide roles, else the reader's own agencies' part.
A year's score answers ``304 Not Modified`` to a matching ``If-None-Match``.
See kla_portal.api for what every endpoint shares.
"""

from __future__ import annotations

import hashlib
import json

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from clusters import dasbor, scoring
from clusters.models import SkorSnapshot, TahunEvaluasi
from clusters.rincian import RincianSkor, angka
from clusters.selectors import lingkup_skor
from clusters.serializers.skor import SkorHarianSerializer, SkorSerializer, SkorTrenSerializer
from kla_portal.api import ApiViewSet, Izin
from kla_portal.cache import cache_get, cache_set


def _kategori(nama: str) -> str | None:
    return None if nama == scoring.BELUM else nama


def _totals(rincian: RincianSkor) -> list[dict]:
    """The three totals as the summary's cards show them."""
    return [
        {
            "kunci": k["kunci"],
            "label": str(k["label"]),
            "poin": k["poin"],
            "persen": k["persen"],
            "kategori": _kategori(k["kategori"]),
            "kategori_berikut": k["berikut"] or None,
            "kurang": k["kurang"],
        }
        for k in dasbor.ringkasan(rincian)["kartu"]
    ]


def _indikator(rincian: RincianSkor, lingkup: dasbor.Lingkup) -> list[dict]:
    """Per indicator as the points-lost page counts it: the city's capped figures, or an
    agency's questions' shares of their capped indicators."""
    if lingkup.seluruh_kota:
        baris = [(i, i, i.dibatasi) for i in rincian.indikator]
    else:
        bagian: dict = {}
        for p in rincian.pertanyaan:
            if lingkup.boleh_opd(p.opd_id):
                bagian.setdefault(p.indikator_id, []).append(p.skala)
        baris = [
            (i, scoring.jumlahkan(bagian[i.id]), None) for i in rincian.indikator if i.id in bagian
        ]
    return [
        {
            "id": i.id,
            "kode": i.kode,
            "nama": i.nama,
            "kelompok_id": i.kelompok_id,
            "nilai_max_indikator": i.max,
            **dasbor.hilang(poin),
            "dibatasi": angka(dibatasi) if dibatasi else None,
        }
        for i, poin, dibatasi in baris
    ]


def _pertanyaan(rincian: RincianSkor, lingkup: dasbor.Lingkup) -> list[dict]:
    return [
        {
            "id": p.id,
            "kode": p.kode,
            "teks": p.teks,
            "indikator_id": p.indikator_id,
            "opd_id": p.opd_id,
            "lingkup": p.lingkup,
            "status": p.status,
            "status_label": rincian.label_status(p.status),
            **angka(p),
            "skala": angka(p.skala),
            "cakupan_persen": p.cakupan_persen,
            "terjawab": p.terjawab,
            "diverifikasi": p.diverifikasi,
            "kurang_bukti": p.kurang_bukti,
            "wajib_lampiran": p.wajib_lampiran,
            "bisa_diperbaiki": p.status in dasbor.BISA_DIPERBAIKI,
            "dapat_diraih": scoring.bulatkan(p.skala.max - p.skala.berbukti),
        }
        for p in rincian.pertanyaan
        if lingkup.boleh_opd(p.opd_id)
    ]


def _opd(rincian: RincianSkor, lingkup: dasbor.Lingkup) -> list[dict]:
    """Points at stake per lead agency, largest first (the points-lost page's rows)."""
    nama = {o.id: o.nama for o in rincian.opd}
    _tabel, rows = dasbor.hilang_per_opd(rincian, lingkup)
    return [
        {**r, "singkatan": r["nama"] if r["id"] else "", "nama": nama.get(r["id"], "")}
        for r in rows
    ]


def skor_tahun(record: TahunEvaluasi, snapshot: SkorSnapshot, lingkup: dasbor.Lingkup) -> dict:
    """A year's newest score, as ``SkorSerializer`` shows it."""
    rincian = snapshot.rincian_skor
    return {
        "tahun": record.tahun,
        "snapshot": snapshot,
        "sedang_dihitung": snapshot.perlu_dihitung_sejak is not None,
        "seluruh_kota": lingkup.seluruh_kota,
        "total": rincian.total,
        "totals": _totals(rincian),
        "kategori": [{"nama": n, "poin_min": m} for n, m in rincian.kategori],
        "kelompok": dasbor.kelompok_lingkup(rincian, lingkup),
        "indikator": _indikator(rincian, lingkup),
        "pertanyaan": _pertanyaan(rincian, lingkup),
        "opd": _opd(rincian, lingkup),
    }


def _etag(record: TahunEvaluasi, snapshot: SkorSnapshot, lingkup: dasbor.Lingkup) -> str:
    """What the answer shows: the snapshot (a new one has a new id), the city's "being
    recomputed" mark, the reader's slice and language."""
    isi = [
        snapshot.pk,
        str(snapshot.perlu_dihitung_sejak),
        lingkup.seluruh_kota,
        sorted(lingkup.opd_ids),
        get_language(),
    ]
    return '"' + hashlib.sha256(json.dumps(isi).encode()).hexdigest()[:32] + '"'


SIMPAN_DETIK = 3600


def _cocok(request, etag: str) -> bool:
    diminta = request.headers.get("If-None-Match", "")
    return etag in {t.strip().removeprefix("W/") for t in diminta.split(",")} or diminta == "*"


TAHUN = OpenApiParameter(
    "tahun", int, OpenApiParameter.PATH, description="The evaluation year, e.g. 2024."
)
SEJAK = OpenApiParameter(
    "If-None-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="The ETag of a score read before: answered 304 while it is unchanged.",
)
ETAG = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    response=[200, 304],
    description="Send it back in If-None-Match.",
)

CONTOH_SKOR = OpenApiExample(
    "Dinas Kesehatan membaca skor 2024",
    response_only=True,
    status_codes=["200"],
    value={
        "tahun": 2024,
        "snapshot": {
            "id": 812,
            "data_per": "2024-06-03T09:14:02+07:00",
            "dihitung": "2024-06-03T09:14:05+07:00",
        },
        "sedang_dihitung": False,
        "seluruh_kota": False,
        "total": {"max": 24.0, "mandiri": 11.0, "verifikasi": 0.0, "berbukti": 5.0},
        "totals": [
            {
                "kunci": "mandiri",
                "label": "Poin mandiri OPD",
                "poin": 11.0,
                "persen": 45.83,
                "kategori": None,
                "kategori_berikut": "Pratama",
                "kurang": 489.0,
            }
        ],
        "kategori": [{"nama": "Pratama", "poin_min": 500.0}, {"nama": "Madya", "poin_min": 601.0}],
        "kelompok": [
            {
                "id": 4,
                "nama": "KLASTER III",
                "urutan": 4,
                "max": 6.67,
                "mandiri": 6.0,
                "verifikasi": 0.0,
                "berbukti": 0.0,
            }
        ],
        "indikator": [
            {
                "id": 15,
                "kode": "Indikator 15",
                "nama": "Pelayanan kesehatan ramah anak",
                "kelompok_id": 4,
                "nilai_max_indikator": 20.0,
                "max": 6.67,
                "mandiri": 6.0,
                "verifikasi": 0.0,
                "berbukti": 0.0,
                "belum_diklaim": 0.67,
                "tanpa_bukti": 6.0,
                "berisiko": 6.67,
                "dibatasi": None,
            }
        ],
        "pertanyaan": [
            {
                "id": 41,
                "kode": "Pertanyaan 1",
                "teks": "Apakah tersedia layanan kesehatan ramah anak?",
                "indikator_id": 15,
                "opd_id": 3,
                "lingkup": "kabkota",
                "status": "draft",
                "status_label": "Draf",
                "max": 8.0,
                "mandiri": 6.0,
                "verifikasi": 0.0,
                "berbukti": 0.0,
                "skala": {"max": 6.6667, "mandiri": 6.0, "verifikasi": 0.0, "berbukti": 0.0},
                "cakupan_persen": None,
                "terjawab": True,
                "diverifikasi": False,
                "kurang_bukti": True,
                "wajib_lampiran": True,
                "bisa_diperbaiki": True,
                "dapat_diraih": 6.67,
            }
        ],
        "opd": [
            {
                "id": 3,
                "singkatan": "Dinkes",
                "nama": "Dinas Kesehatan",
                "max": 6.67,
                "mandiri": 6.0,
                "verifikasi": 0.0,
                "berbukti": 0.0,
                "belum_diklaim": 0.67,
                "tanpa_bukti": 6.0,
                "berisiko": 6.67,
            }
        ],
    },
)


@extend_schema_view(
    list=extend_schema(
        summary="Tren skor antartahun",
        description="Each year's newest three totals with their categories, oldest year first.",
        responses=SkorTrenSerializer(many=True),
    ),
    retrieve=extend_schema(
        summary="Skor terbaru satu tahun",
        description=(
            "The year's newest score snapshot: the city's three totals with their categories "
            "and the distance to the next category; per group, indicator and question; and "
            "the points at stake per agency. City-wide roles read the whole city; agency staff "
            "their own questions' part; area operators the totals only. Sends an ETag: a "
            "request with a matching If-None-Match is answered 304. 404 while the year has no "
            "score yet."
        ),
        parameters=[TAHUN, SEJAK, ETAG],
        responses={
            200: OpenApiResponse(SkorSerializer, description="The score."),
            304: OpenApiResponse(description="Unchanged since the ETag given."),
            404: OpenApiResponse(description="No such year, or its score not computed yet."),
        },
        examples=[CONTOH_SKOR],
    ),
)
class SkorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Scores, read from the stored snapshots."""

    permission_classes = [Izin]
    izin = "clusters.lihat_skor"
    lookup_field = "tahun"
    lookup_value_regex = r"[0-9]{4}"
    filter_backends: list = []
    serializer_class = SkorSerializer

    def get_serializer_class(self):
        return {"list": SkorTrenSerializer, "harian": SkorHarianSerializer}.get(
            self.action, SkorSerializer
        )

    def get_queryset(self):
        return SkorSnapshot.objects.terbaru_per_tahun(
            daerah_id=getattr(self.request.user, "daerah_id", None)
        ).prefetch_related("tahun__kategori")

    def list(self, request):
        halaman = self.paginate_queryset(self.get_queryset())
        rows = []
        for s in halaman:
            ambang = [(k.nama, k.poin_min) for k in s.tahun.kategori.all()]
            row = {"tahun": s.tahun.tahun, "data_per": s.data_per, "sedang": s.sedang}
            for kunci in scoring.TOTAL:
                poin = getattr(s, f"total_{kunci}")
                row[kunci] = poin
                row[f"kategori_{kunci}"] = _kategori(scoring.kategori(poin, ambang))
            rows.append(row)
        return self.get_paginated_response(SkorTrenSerializer(rows, many=True).data)

    def _snapshot(self, tahun) -> tuple[TahunEvaluasi, SkorSnapshot]:
        record = get_object_or_404(TahunEvaluasi, tahun=tahun)
        snapshot = SkorSnapshot.objects.terbaru(record, daerah_id=self.request.user.daerah_id)
        if snapshot is None:
            raise exceptions.NotFound(
                _("Skor %(t)s belum dihitung. Coba lagi sebentar lagi.") % {"t": record}
            )
        return record, snapshot

    def retrieve(self, request, tahun=None):
        record, snapshot = self._snapshot(tahun)
        lingkup = lingkup_skor(request.user)
        etag = _etag(record, snapshot, lingkup)
        headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
        if _cocok(request, etag):
            return Response(status=304, headers=headers)
        # The ETag names everything the answer shows, so the answer is kept under it: a new
        # snapshot, slice or language is another key (the old one expires unread).
        kunci = f"api-skor:{etag.strip(chr(34))}"
        data = cache_get(kunci)
        if data is None:
            data = SkorSerializer(skor_tahun(record, snapshot, lingkup)).data
            data = json.loads(JSONRenderer().render(data))  # plain values, as sent
            cache_set(kunci, data, SIMPAN_DETIK)
        return Response(data, headers=headers)

    @extend_schema(
        summary="Skor harian satu tahun",
        parameters=[TAHUN],
        description="The year's three totals, one per recompute kept (the last 30), oldest first.",
        responses=SkorHarianSerializer(many=True),
    )
    @action(detail=True, pagination_class=None)
    def harian(self, request, tahun=None):
        record = get_object_or_404(TahunEvaluasi, tahun=tahun)
        snapshots = (
            SkorSnapshot.objects.filter(tahun=record, daerah_id=request.user.daerah_id)
            .defer("rincian")
            .order_by("-data_per")[:30]
        )
        rows = [
            {
                "data_per": timezone.localtime(s.data_per),
                "mandiri": s.total_mandiri,
                "verifikasi": s.total_verifikasi,
                "berbukti": s.total_berbukti,
            }
            for s in reversed(snapshots)
        ]
        return Response(SkorHarianSerializer(rows, many=True).data)


RUTE = [("skor", SkorViewSet, "skor")]
URLS: list = []
