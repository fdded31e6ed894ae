"""Answers (Jawaban) in the API: the record with its state, version and history; what a save
and each workflow step take.

Writes refuse a field they do not know (``TanpaIsianAsing``): an integrator's typo
(``catatn``) is a 400 naming the field, not a save that silently left the note out.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clusters import alur
from clusters.models import Jawaban
from clusters.selectors import halaman_jawaban
from kla_portal.api import ID_MAX, TanpaIsianAsing

# --- Reading ------------------------------------------------------------------------------


class OrangSerializer(serializers.Serializer):
    """A person as the page names them."""

    id = serializers.IntegerField(read_only=True)
    nama = serializers.CharField(source="get_full_name", read_only=True)


class PertanyaanRingkasSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kode = serializers.CharField(source="__str__", read_only=True, help_text=_("Indikator · kode"))
    tahun = serializers.IntegerField(source="tahun.tahun", read_only=True)
    lingkup = serializers.CharField(read_only=True)
    cara_penilaian = serializers.CharField(read_only=True)
    nilai_max = serializers.DecimalField(max_digits=7, decimal_places=2, read_only=True)


ISIAN_BACA = [
    "fraksi",
    "cakupan_persen",
    "poin_langsung",
    "poin_opd",
    "poin_verifikator",
    "angka_tahun_ini",
    "angka_tahun_lalu",
    "catatan",
    "alasan",
]


class JawabanSerializer(serializers.ModelSerializer):
    """An answer in a list: its question, unit (``wilayah``: a kecamatan/kelurahan code, null
    for the city), state, version, values and points, and who changed it last."""

    pertanyaan = PertanyaanRingkasSerializer(read_only=True)
    wilayah = serializers.SlugRelatedField(slug_field="kode", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    dikirim_oleh = OrangSerializer(read_only=True, allow_null=True)
    diubah_oleh = OrangSerializer(read_only=True, allow_null=True)
    halaman = serializers.SerializerMethodField(help_text=_("Alamat halaman jawaban di portal."))

    class Meta:
        model = Jawaban
        fields = [
            "id",
            "pertanyaan",
            "wilayah",
            "opd",
            "status",
            "status_label",
            "versi",
            *ISIAN_BACA,
            "dikirim_oleh",
            "diubah",
            "diubah_oleh",
            "halaman",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_halaman(self, jawaban: Jawaban) -> str:
        return halaman_jawaban(jawaban.pertanyaan, jawaban.wilayah)


class RiwayatSerializer(serializers.Serializer):
    """One record of the answer's history (newest first), as the page lists it: who, when,
    the state and version then, what it changed (``perubahan``, in the reader's language) and
    the reason given with it."""

    id = serializers.IntegerField(source="history_id", read_only=True)
    waktu = serializers.DateTimeField(source="history_date", read_only=True)
    jenis = serializers.CharField(
        source="history_type", read_only=True, help_text=_("+ dibuat, ~ diubah, - dihapus")
    )
    oleh = OrangSerializer(source="history_user", read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=alur.Status.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    versi = serializers.IntegerField(read_only=True)
    # Each may be empty (null), as on the answer itself.
    fraksi = serializers.DecimalField(
        max_digits=5, decimal_places=4, read_only=True, allow_null=True
    )
    cakupan_persen = serializers.DecimalField(
        max_digits=5, decimal_places=2, read_only=True, allow_null=True
    )
    poin_langsung = serializers.DecimalField(
        max_digits=7, decimal_places=2, read_only=True, allow_null=True
    )
    poin_opd = serializers.DecimalField(
        max_digits=7, decimal_places=2, read_only=True, allow_null=True
    )
    poin_verifikator = serializers.DecimalField(
        max_digits=7, decimal_places=2, read_only=True, allow_null=True
    )
    catatan = serializers.CharField(read_only=True)
    perubahan = serializers.SerializerMethodField()
    alasan = serializers.SerializerMethodField()

    def _ubah(self, record) -> dict:
        return self.context.get("perubahan", {}).get(record.history_id, {})

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_perubahan(self, record) -> list[str]:
        return self._ubah(record).get("isi", [])

    @extend_schema_field(OpenApiTypes.STR)
    def get_alasan(self, record) -> str:
        return self._ubah(record).get("alasan", "")


class LangkahBolehSerializer(serializers.Serializer):
    """What the reader may do with the answer now (the page's buttons)."""

    ubah = serializers.BooleanField(read_only=True)
    kirim = serializers.BooleanField(read_only=True)
    setujui = serializers.BooleanField(read_only=True)
    verifikasi = serializers.BooleanField(read_only=True)
    buka_kembali = serializers.BooleanField(read_only=True)


class JawabanDetailSerializer(JawabanSerializer):
    """One answer with its history (the latest 50 records, as on the page; all of them at
    ``/riwayat/``) and what the reader may do with it."""

    riwayat = serializers.SerializerMethodField()
    boleh = serializers.SerializerMethodField()

    class Meta(JawabanSerializer.Meta):
        fields = [*JawabanSerializer.Meta.fields, "boleh", "riwayat"]
        read_only_fields = fields

    @extend_schema_field(RiwayatSerializer(many=True))
    def get_riwayat(self, jawaban: Jawaban) -> list:
        from clusters.selectors import perubahan_jawaban

        riwayat = list(
            jawaban.history.select_related("history_user").order_by("-history_date", "-history_id")[
                :50
            ]
        )
        perubahan = perubahan_jawaban(riwayat, jawaban.pertanyaan, jawaban.wilayah_id is not None)
        return RiwayatSerializer(riwayat, many=True, context={"perubahan": perubahan}).data

    @extend_schema_field(LangkahBolehSerializer)
    def get_boleh(self, jawaban: Jawaban) -> dict:
        request = self.context.get("request")
        user = request.user if request else None
        if user is None:
            return {}
        isi = user.has_perm("clusters.isi_jawaban", jawaban)
        verifikator = user.has_perm("clusters.verifikasi_jawaban", jawaban)
        return {
            "ubah": isi and jawaban.bisa_diubah,
            "kirim": isi and jawaban.bisa_diubah,
            "setujui": jawaban.status == alur.Status.MENUNGGU_KEPALA
            and user.has_perm("clusters.setujui_jawaban", jawaban),
            "verifikasi": verifikator and jawaban.status == alur.Status.MENUNGGU_VERIFIKASI,
            "buka_kembali": verifikator and jawaban.status == alur.Status.TERVERIFIKASI,
        }


# --- Writing ------------------------------------------------------------------------------

VERSI_HELP = _(
    "Versi jawaban yang Anda baca (0 untuk jawaban baru). Bila orang lain menyimpan sesudahnya, "
    "tidak ada yang disimpan: 409 dengan jawaban terbaru."
)


class JawabanIsiSerializer(TanpaIsianAsing, serializers.Serializer):
    """The values of a save, as the answer form takes them: only the fields the question uses
    (a graded question: ``fraksi`` or ``poin_langsung``; coverage: ``cakupan_persen``; points:
    ``poin_langsung``; the figures when it asks for them), and ``catatan``."""

    versi = serializers.IntegerField(min_value=0, max_value=ID_MAX, help_text=VERSI_HELP)
    fraksi = serializers.DecimalField(
        max_digits=5, decimal_places=4, required=False, allow_null=True
    )
    cakupan_persen = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True
    )
    # Range and decimals are checked by the service, with the page's message.
    poin_langsung = serializers.DecimalField(
        max_digits=None, decimal_places=None, required=False, allow_null=True
    )
    angka_tahun_ini = serializers.DecimalField(
        max_digits=16, decimal_places=2, required=False, allow_null=True
    )
    angka_tahun_lalu = serializers.DecimalField(
        max_digits=16, decimal_places=2, required=False, allow_null=True
    )
    catatan = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


class JawabanBuatSerializer(JawabanIsiSerializer):
    """Answer a question (for the city, or for one kecamatan/kelurahan with ``wilayah``), as
    the question's page does: the first save creates the answer; a later one needs its
    current ``versi``."""

    pertanyaan = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    wilayah = serializers.CharField(
        required=False,
        allow_null=True,
        max_length=20,
        help_text=_("Kode kecamatan/kelurahan, untuk pertanyaan per unit; kosong untuk kota."),
    )
    versi = serializers.IntegerField(min_value=0, max_value=ID_MAX, default=0, help_text=VERSI_HELP)


class LangkahSerializer(TanpaIsianAsing, serializers.Serializer):
    """A workflow step; ``versi`` (optional, as the page sends it) refuses a stale one."""

    versi = serializers.IntegerField(
        min_value=0,
        max_value=ID_MAX,
        required=False,
        allow_null=True,
        help_text=_("Versi yang Anda baca; bila jawaban sudah berubah, 409 dengan yang terbaru."),
    )


class AlasanSerializer(LangkahSerializer):
    alasan = serializers.CharField(
        max_length=2000,
        error_messages={
            "required": _("Tuliskan alasannya agar penerima tahu apa yang harus diperbaiki."),
            "blank": _("Tuliskan alasannya agar penerima tahu apa yang harus diperbaiki."),
        },
    )


class VerifikasiSerializer(LangkahSerializer):
    poin = serializers.DecimalField(
        max_digits=None,
        decimal_places=None,
        required=False,
        allow_null=True,
        help_text=_("Poin verifikator (0 sampai nilai maksimum); kosong: poin OPD."),
        error_messages={"invalid": _("Poin verifikator harus berupa angka, misalnya 7,5.")},
    )
