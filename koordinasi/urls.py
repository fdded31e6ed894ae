from django.urls import path

from koordinasi.views import efektivitas, fasilitas, gugus_tugas, rapat, tindak_lanjut
from koordinasi.views.beranda import beranda

app_name = "koordinasi"

urlpatterns = [
    path("", beranda, name="beranda"),
    # The task force (models and writes in agencies)
    path("gugus-tugas/", gugus_tugas.detail, name="gugus-tugas"),
    path("gugus-tugas/baru/", gugus_tugas.buat, name="gugus-tugas-buat"),
    path("gugus-tugas/<int:pk>/", gugus_tugas.detail, name="gugus-tugas-detail"),
    path("gugus-tugas/<int:pk>/sk/", gugus_tugas.sk_tambah, name="sk-tambah"),
    path("gugus-tugas/<int:pk>/anggota/", gugus_tugas.anggota_tambah, name="anggota-tambah"),
    path("sk/<int:pk>/", gugus_tugas.sk_unduh, name="sk-unduh"),
    path("gugus-tugas/<int:pk>/pindah/", gugus_tugas.anggota_pindah, name="anggota-pindah"),
    path("anggota/<int:pk>/akhiri/", gugus_tugas.anggota_akhiri, name="anggota-akhiri"),
    path("personil/<int:pk>/", gugus_tugas.personil, name="personil"),
    path("sertifikat/<int:pk>/", gugus_tugas.sertifikat_unduh, name="sertifikat-unduh"),
    # Meetings and the calendar
    path("rapat/", rapat.kalender, name="kalender"),
    path("rapat/baru/", rapat.rapat_baru, name="rapat-baru"),
    path("rapat/<int:pk>/", rapat.rapat_detail, name="rapat-detail"),
    path("rapat/<int:pk>/ubah/", rapat.rapat_ubah, name="rapat-ubah"),
    path("rapat/<int:pk>/batalkan/", rapat.rapat_batalkan, name="rapat-batalkan"),
    path("rapat/<int:pk>/kehadiran/", rapat.kehadiran_simpan, name="kehadiran"),
    path("rapat/<int:pk>/notulen/", rapat.notulen_simpan, name="notulen"),
    path("rapat/<int:pk>/notulen/berkas/", rapat.notulen_unduh, name="notulen-unduh"),
    path("rapat/<int:pk>/tindak-lanjut/", rapat.tindak_lanjut_tambah, name="tindak-lanjut-tambah"),
    path("rapat/<int:pk>/ics/", rapat.rapat_ics, name="rapat-ics"),
    path("kalender/langganan/", rapat.langganan, name="langganan"),
    path("kalender/<str:token>.ics", rapat.ics_feed, name="ics"),
    # Follow-ups
    path("tindak-lanjut/", tindak_lanjut.daftar, name="tindak-lanjut"),
    path("tindak-lanjut/<int:pk>/", tindak_lanjut.detail, name="tindak-lanjut-detail"),
    path("bukti/<int:pk>/", tindak_lanjut.lampiran_unduh, name="lampiran-unduh"),
    # Sub-district facilities (models and writes in agencies) and Kelana-Dekela
    path("fasilitas/", fasilitas.matriks, name="fasilitas"),
    path("fasilitas/pemetaan/", fasilitas.pemetaan, name="pemetaan-usulkan"),
    path("fasilitas/pemetaan/<int:pk>/", fasilitas.pemetaan, name="pemetaan"),
    path("fasilitas/usulan/<int:pk>/", fasilitas.usulan_terima, name="usulan-terima"),
    path("fasilitas/berkas/<int:pk>/<str:jenis>/", fasilitas.berkas, name="fasilitas-berkas"),
    path("fasilitas/<str:kode>/", fasilitas.unit, name="fasilitas-unit"),
    path("fasilitas/<str:kode>/<slug:jenis>/", fasilitas.simpan, name="fasilitas-simpan"),
    # The effectiveness panel
    path("efektivitas/", efektivitas.panel, name="efektivitas"),
]
