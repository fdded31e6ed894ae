from django.urls import path

from agencies import views

app_name = "agencies"

urlpatterns = [
    path("wilayah/", views.wilayah_list, name="wilayah-list"),
    path("wilayah/<str:kode>/", views.wilayah_detail, name="wilayah-detail"),
    path("opd/", views.opd_list, name="opd-list"),
    path("opd/baru/", views.opd_buat, name="opd-create"),
    path("opd/pilihan/", views.opd_pilihan, name="opd-pilihan"),
    path("opd/<int:pk>/", views.opd_detail, name="opd-detail"),
    path("opd/<int:pk>/ubah/", views.opd_edit, name="opd-edit"),
    path("pengguna/", views.pengguna_list, name="pengguna-list"),
    path("pengguna/baru/", views.pengguna_create, name="pengguna-create"),
    path("pengguna/saya/", views.akun_saya, name="akun-saya"),
    path("pengguna/saya/token/", views.token_buat, name="token-buat"),
    path("pengguna/saya/token/<int:pk>/cabut/", views.token_cabut, name="token-cabut"),
    path("pengguna/<int:pk>/", views.pengguna_detail, name="pengguna-detail"),
    path("pengguna/<int:pk>/peran/", views.keanggotaan_tambah, name="keanggotaan-tambah"),
    path(
        "pengguna/<int:pk>/atur-ulang-sandi/",
        views.pengguna_reset_sandi,
        name="pengguna-reset-sandi",
    ),
    path("keanggotaan/<int:pk>/akhiri/", views.keanggotaan_akhiri, name="keanggotaan-akhiri"),
    path("notifikasi/", views.notifikasi_list, name="notifikasi"),
    path("notifikasi/<int:pk>/", views.notifikasi_buka, name="notifikasi-buka"),
]
