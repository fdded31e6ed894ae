"""The score dashboards, under /skor/ (their own menu entry)."""

from django.urls import path

from clusters.views import dasbor

app_name = "skor"

urlpatterns = [
    path("", dasbor.terbaru, name="terbaru"),
    path("<int:tahun>/", dasbor.ringkasan, name="ringkasan"),
    path("<int:tahun>/kelengkapan/", dasbor.kelengkapan, name="kelengkapan"),
    path("<int:tahun>/poin-hilang/", dasbor.poin_hilang, name="poin-hilang"),
    path("<int:tahun>/wilayah/", dasbor.unit, name="unit"),
    path("<int:tahun>/daftar/", dasbor.daftar, name="daftar"),
    path("<int:tahun>/status/", dasbor.status, name="status"),
    path("<int:tahun>/hitung-ulang/", dasbor.hitung_ulang, name="hitung-ulang"),
]
