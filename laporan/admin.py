from django.contrib import admin

from laporan.models import Bundel


@admin.register(Bundel)
class BundelAdmin(admin.ModelAdmin):
    """Bundles are built by the worker; the technical admin only reads them."""

    list_display = ("tahun", "jenis", "dibuat_oleh", "dibuat", "halaman", "ukuran", "sha256")
    list_filter = ("tahun", "jenis")
    readonly_fields = [f.name for f in Bundel._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
