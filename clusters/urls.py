from django.urls import path

from clusters.views import jawaban, persiapan
from clusters.views.impor import (
    impor_jawaban_konfirmasi,
    impor_jawaban_unggah,
    jawaban_kirim_semua,
)

app_name = "clusters"

urlpatterns = [
    path("", persiapan.tahun_list, name="tahun-list"),
    path("baru/", persiapan.tahun_buat, name="tahun-create"),
    path("pemetaan-opd/", persiapan.pemetaan, name="pemetaan"),
    path("<int:tahun>/", persiapan.tahun_detail, name="tahun-detail"),
    path("<int:tahun>/instrumen/", persiapan.instrumen_unggah, name="instrumen-unggah"),
    path(
        "<int:tahun>/instrumen/konfirmasi/",
        persiapan.instrumen_konfirmasi,
        name="instrumen-konfirmasi",
    ),
    path("<int:tahun>/penugasan/", persiapan.penugasan, name="penugasan"),
    path("<int:tahun>/impor-jawaban/", impor_jawaban_unggah, name="impor-jawaban"),
    path("<int:tahun>/kirim-semua/", jawaban_kirim_semua, name="jawaban-kirim-semua"),
    path(
        "<int:tahun>/impor-jawaban/konfirmasi/",
        impor_jawaban_konfirmasi,
        name="impor-jawaban-konfirmasi",
    ),
    path("<int:tahun>/perpanjangan/", jawaban.perpanjangan_beri, name="perpanjangan-beri"),
    path("tugas/", jawaban.tugas, name="tugas"),
    path("verifikasi/", jawaban.antrean_verifikasi, name="antrean-verifikasi"),
    path("pertanyaan/<int:pk>/", jawaban.pertanyaan_detail, name="pertanyaan-detail"),
    path("pertanyaan/<int:pk>/<str:kode>/", jawaban.pertanyaan_detail, name="pertanyaan-unit"),
    path("jawaban/<int:pk>/", jawaban.jawaban_detail, name="jawaban-detail"),
    path("jawaban/<int:pk>/kirim/", jawaban.jawaban_kirim, name="jawaban-kirim"),
    path("jawaban/<int:pk>/setujui/", jawaban.jawaban_setujui, name="jawaban-setujui"),
    path("jawaban/<int:pk>/tolak/", jawaban.jawaban_tolak, name="jawaban-tolak"),
    path("jawaban/<int:pk>/verifikasi/", jawaban.jawaban_verifikasi, name="jawaban-verifikasi"),
    path("jawaban/<int:pk>/kembalikan/", jawaban.jawaban_kembalikan, name="jawaban-kembalikan"),
    path(
        "jawaban/<int:pk>/buka-kembali/", jawaban.jawaban_buka_kembali, name="jawaban-buka-kembali"
    ),
    path("lampiran/<int:pk>/", jawaban.lampiran_unduh, name="lampiran-unduh"),
    path("lampiran/<int:pk>/ganti/", jawaban.lampiran_ganti, name="lampiran-ganti"),
    path("lampiran/<int:pk>/lepas/", jawaban.lampiran_lepas, name="lampiran-lepas"),
]
