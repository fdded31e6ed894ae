"""Coordination in the technical admin: to read, not to edit. Meetings, attendance and
follow-ups are written through koordinasi.services (versions, notices, e-mails, the calendar's
SEQUENCE); an edit here would bypass all of that. The one thing the admin may do is delete a
calendar address (a leaked feed the person cannot reach to replace)."""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from koordinasi.models import LampiranTindakLanjut, Rapat, TindakLanjut, TokenKalender, Undangan


class HanyaBaca:
    """Shown, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class UndanganInline(HanyaBaca, admin.TabularInline):
    model = Undangan
    fields = ["opd", "personil", "kehadiran", "diwakili_oleh", "catatan"]
    extra = 0


class TindakLanjutInline(HanyaBaca, admin.TabularInline):
    model = TindakLanjut
    fields = ["keputusan", "opd", "tenggat", "status", "selesai_pada"]
    extra = 0
    show_change_link = True


@admin.register(Rapat)
class RapatAdmin(HanyaBaca, SimpleHistoryAdmin):
    # The online link is read as https, as the meeting form reads it.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["judul", "gugus_tugas", "mulai", "status", "dibuat_oleh"]
    list_filter = ["status", "gugus_tugas"]
    search_fields = ["judul", "agenda"]
    date_hierarchy = "mulai"
    inlines = [UndanganInline, TindakLanjutInline]


class LampiranInline(HanyaBaca, admin.TabularInline):
    model = LampiranTindakLanjut
    fields = ["nama_asli", "jenis", "ukuran", "diunggah_oleh", "diunggah"]
    extra = 0


@admin.register(TindakLanjut)
class TindakLanjutAdmin(HanyaBaca, SimpleHistoryAdmin):
    list_display = ["keputusan", "opd", "tenggat", "status", "selesai_pada"]
    list_filter = ["status", "opd"]
    search_fields = ["keputusan", "hasil"]
    inlines = [LampiranInline]


@admin.register(TokenKalender)
class TokenKalenderAdmin(admin.ModelAdmin):
    list_display = ["user", "opd", "berlaku_sejak"]
    search_fields = ["user__username", "user__nama_lengkap", "opd__singkatan"]
    # The secret itself is not shown: whoever reads it reads the feed.
    exclude = ["token"]
    readonly_fields = ["user", "opd", "berlaku_sejak"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
