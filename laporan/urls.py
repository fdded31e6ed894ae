from django.urls import path

from laporan import views

app_name = "laporan"

urlpatterns = [
    path("", views.beranda, name="beranda"),
    path("bundel/buat/", views.bundel_buat, name="bundel-buat"),
    path("bundel/<int:pk>/unduh/", views.bundel_unduh, name="bundel-unduh"),
    path("paket/buat/", views.paket_buat, name="paket-buat"),
    path("paket/<int:pk>/unduh/", views.paket_unduh, name="paket-unduh"),
    path("rapor/<int:tahun>/<int:opd_id>/", views.rapor_opd, name="rapor-opd"),
    path("rapor/<int:tahun>/kirim/", views.rapor_kirim, name="rapor-kirim"),
]
