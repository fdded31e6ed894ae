from django.urls import path

from provinsi import views

app_name = "provinsi"

urlpatterns = [
    path("", views.dasbor, name="dasbor"),
    path("<int:tahun>/batas/", views.batas_atur, name="batas"),
    path("<int:tahun>/kota/<int:kota>/", views.verifikasi, name="verifikasi"),
    path("verifikasi/<int:pk>/", views.verifikasi_langkah, name="verifikasi-langkah"),
    path("kota/tambah/", views.kota_tambah, name="kota-tambah"),
    path("paket/impor/", views.paket_impor, name="paket-impor"),
    path("verifikator/tambah/", views.verifikator_tambah, name="verifikator-tambah"),
    path("kirim/<int:tahun>/", views.kirim, name="kirim"),
    path("lampiran/", views.lampiran_buat, name="lampiran"),
    path("lampiran/<int:pk>/unduh/", views.lampiran_unduh, name="lampiran-unduh"),
]
