from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from agencies.models import Keanggotaan, Opd, User, Wilayah


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
