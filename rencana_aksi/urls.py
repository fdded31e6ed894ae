"""The RAD KLA pages, under /rad/."""

from django.urls import path

from rencana_aksi.views import aksi, dasbor, realisasi
from rencana_aksi.views import impor as impor_views

app_name = "rencana_aksi"

urlpatterns: list = [
    path("<int:periode_id>/pemantauan/", dasbor.dasbor, name="dasbor"),
    path("indikator/", dasbor.indikator, name="indikator"),
    path("", aksi.beranda, name="beranda"),
    path("periode/baru/", aksi.periode_create, name="periode-create"),
    path("periode/<int:pk>/", aksi.periode_detail, name="periode-detail"),
    path("periode/<int:pk>/ubah/", aksi.periode_ubah, name="periode-ubah"),
    path("periode/<int:pk>/apbd/", aksi.anggaran_daerah, name="anggaran-daerah"),
    path("periode/<int:pk>/dokumen/", aksi.periode_dokumen, name="periode-dokumen"),
    path("<int:periode_id>/aksi/", aksi.aksi_list, name="aksi-list"),
    path("<int:periode_id>/aksi/baru/", aksi.aksi_create, name="aksi-create"),
    path("aksi/<int:pk>/", aksi.aksi_detail, name="aksi-detail"),
    path("aksi/<int:pk>/ubah/", aksi.aksi_update, name="aksi-update"),
    path("aksi/<int:pk>/<int:tahun>/<int:triwulan>/", realisasi.realisasi, name="realisasi"),
    path("laporan/<int:pk>/kirim/", realisasi.realisasi_kirim, name="realisasi-kirim"),
    path("laporan/<int:pk>/setujui/", realisasi.realisasi_setujui, name="realisasi-setujui"),
    path("laporan/<int:pk>/tolak/", realisasi.realisasi_tolak, name="realisasi-tolak"),
    path("laporan/<int:pk>/terima/", realisasi.realisasi_terima, name="realisasi-terima"),
    path(
        "laporan/<int:pk>/kembalikan/",
        realisasi.realisasi_kembalikan,
        name="realisasi-kembalikan",
    ),
    path("bukti/<int:pk>/", realisasi.lampiran_unduh, name="lampiran-unduh"),
    path("bukti/<int:pk>/lepas/", realisasi.lampiran_lepas, name="lampiran-lepas"),
    path("tinjauan/", realisasi.tinjauan, name="tinjauan"),
    path("laporan/", realisasi.laporan_opd, name="laporan"),
]

# Import from Excel (rencana_aksi/views/impor.py).
urlpatterns += [
    path("<int:periode_id>/impor/", impor_views.impor_unggah, name="impor"),
    path(
        "<int:periode_id>/impor/konfirmasi/", impor_views.impor_konfirmasi, name="impor-konfirmasi"
    ),
]
