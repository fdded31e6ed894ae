from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from agencies.models import (
    AnggotaGugusTugas,
    Fasilitas,
    GugusTugas,
    JenisFasilitas,
    Keanggotaan,
    Opd,
    PelatihanKha,
    Personil,
    SkGugusTugas,
    SubTim,
    User,
    Wilayah,
)


@admin.register(Wilayah)
class WilayahAdmin(admin.ModelAdmin):
    list_display = ["kode", "nama", "tingkat"]
    list_filter = ["tingkat"]
    search_fields = ["kode", "nama"]
    raw_id_fields = ["induk"]


@admin.register(Opd)
class OpdAdmin(SimpleHistoryAdmin):
    list_display = ["nama", "singkatan", "jenis", "aktif"]
    list_filter = ["jenis", "aktif"]
    search_fields = ["nama", "singkatan"]
    raw_id_fields = ["wilayah"]


class KeanggotaanInline(admin.TabularInline):
    model = Keanggotaan
    fk_name = "user"
    extra = 0
    raw_id_fields = ["opd", "wilayah", "dibuat_oleh"]


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    list_display = ["username", "nama_lengkap", "email", "is_active", "is_demo"]
    search_fields = ["username", "nama_lengkap", "email"]
    fieldsets = (
        *UserAdmin.fieldsets,
        (
            "Portal KLA",
            {
                "fields": (
                    "nama_lengkap",
                    "nip",
                    "jabatan",
                    "telepon",
                    "wajib_ganti_sandi",
                    "is_demo",
                )
            },
        ),
    )
    inlines = [KeanggotaanInline]


@admin.register(Keanggotaan)
class KeanggotaanAdmin(SimpleHistoryAdmin):
    list_display = ["user", "peran", "opd", "wilayah", "mulai", "selesai"]
    list_filter = ["peran"]
    raw_id_fields = ["user", "opd", "wilayah", "dibuat_oleh"]


# --- The task force and the sub-district facilities ---------------------------------------


@admin.register(JenisFasilitas)
class JenisFasilitasAdmin(admin.ModelAdmin):
    list_display = [
        "urutan",
        "nama",
        "singkatan",
        "untuk_kecamatan",
        "untuk_kelurahan",
        "status_minimal",
    ]
    list_display_links = ["nama"]
    search_fields = ["nama", "kata_kunci"]


@admin.register(Fasilitas)
class FasilitasAdmin(SimpleHistoryAdmin):
    list_display = ["wilayah", "jenis", "status", "nomor_sk", "diubah"]
    list_filter = ["jenis", "status"]
    raw_id_fields = ["wilayah", "diubah_oleh"]


class SubTimInline(admin.TabularInline):
    model = SubTim
    extra = 0


@admin.register(GugusTugas)
class GugusTugasAdmin(SimpleHistoryAdmin):
    list_display = ["nama", "wilayah", "target_rapat_per_bulan"]
    raw_id_fields = ["wilayah"]
    inlines = [SubTimInline]


@admin.register(SkGugusTugas)
class SkGugusTugasAdmin(SimpleHistoryAdmin):
    list_display = ["nomor", "gugus_tugas", "tanggal", "berlaku_mulai", "diganti_oleh"]
    raw_id_fields = ["diganti_oleh", "dibuat_oleh"]


@admin.register(Personil)
class PersonilAdmin(SimpleHistoryAdmin):
    list_display = ["nama", "jabatan", "opd", "user"]
    search_fields = ["nama", "jabatan"]
    raw_id_fields = ["opd", "user"]


@admin.register(AnggotaGugusTugas)
class AnggotaGugusTugasAdmin(SimpleHistoryAdmin):
    list_display = ["personil", "gugus_tugas", "jabatan", "sub_tim", "unsur", "mulai", "selesai"]
    list_filter = ["jabatan", "unsur"]
    raw_id_fields = ["personil", "sk"]


@admin.register(PelatihanKha)
class PelatihanKhaAdmin(SimpleHistoryAdmin):
    list_display = ["personil", "nama", "tanggal", "penyelenggara"]
    raw_id_fields = ["personil", "dicatat_oleh"]
