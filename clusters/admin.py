from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from clusters.models import (
    Indikator,
    Jawaban,
    Kategori,
    Kelompok,
    Lampiran,
    Penugasan,
    Perpanjangan,
    Pertanyaan,
    SumberData,
    TahunEvaluasi,
)
from clusters.services import skor_perlu_dihitung


class HitungUlangSkor:
    """Admin edits bypass the services: a change that affects points queues the recompute."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        skor_perlu_dihitung(
            tahun_id=obj.tahun_id if hasattr(obj, "tahun_id") else obj.pertanyaan.tahun_id,
            daerah_id=getattr(obj, "daerah_id", None),  # an instrument's change: every city
        )


class KategoriInline(admin.TabularInline):
    """The year's category bands: a category starts at its minimum."""

    model = Kategori
    extra = 0


@admin.register(TahunEvaluasi)
class TahunEvaluasiAdmin(SimpleHistoryAdmin):
    list_display = ["tahun", "dibuka", "batas_waktu"]
    inlines = [KategoriInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # new bands change the categories of every city
        skor_perlu_dihitung(tahun_id=form.instance.pk, daerah_id=None)


@admin.register(Kelompok)
class KelompokAdmin(admin.ModelAdmin):
    list_display = ["nama", "tahun", "urutan"]
    list_filter = ["tahun"]


@admin.register(Indikator)
class IndikatorAdmin(HitungUlangSkor, admin.ModelAdmin):
    list_display = ["kode", "nama", "kelompok", "nilai_max"]
    list_filter = ["tahun", "kelompok"]
    search_fields = ["kode", "nama"]


@admin.register(Pertanyaan)
class PertanyaanAdmin(HitungUlangSkor, admin.ModelAdmin):
    """The technical admin may give a question its own options (``opsi``) or scoring kind."""

    list_display = ["__str__", "nilai_max", "lingkup", "cara_penilaian", "wajib_lampiran"]
    list_filter = ["tahun", "lingkup", "cara_penilaian", "indikator__kelompok"]
    search_fields = ["kode", "teks", "indikator__kode"]
    raw_id_fields = ["indikator"]


@admin.register(SumberData)
class SumberDataAdmin(SimpleHistoryAdmin):
    list_display = ["nama", "opd"]


@admin.register(Penugasan)
class PenugasanAdmin(SimpleHistoryAdmin):
    list_display = ["pertanyaan", "opd", "utama"]
    raw_id_fields = ["pertanyaan", "opd"]


@admin.register(Jawaban)
class JawabanAdmin(HitungUlangSkor, SimpleHistoryAdmin):
    list_display = ["__str__", "opd", "status", "poin_opd", "poin_verifikator", "diubah"]
    list_filter = ["status", "pertanyaan__tahun"]
    raw_id_fields = ["pertanyaan", "wilayah", "opd", "diubah_oleh"]


@admin.register(Lampiran)
class LampiranAdmin(SimpleHistoryAdmin):
    list_display = ["nama_asli", "jenis", "ukuran", "jawaban", "diunggah"]
    raw_id_fields = ["jawaban", "diunggah_oleh", "diganti_oleh"]


@admin.register(Perpanjangan)
class PerpanjanganAdmin(admin.ModelAdmin):
    list_display = ["opd", "tahun", "sampai", "alasan"]
