"""The plan: periods with the city's budget, actions with their targets and their figures
(pemantauan.KeadaanAksi), and the list's filters."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.models import Opd
from kla_portal.api import ID_MAX, TanpaIsianAsing
from rencana_aksi import forms as rad_forms
from rencana_aksi.models import (
    Aksi,
    Klaster,
    PeriodeRad,
    SumberDana,
    TargetTahunan,
)
from rencana_aksi.serializers.dasar import ANGKA, RUPIAH
from rencana_aksi.services import DataAksi
from rencana_aksi.tabel import urutan_indikator

# --- Plan periods -------------------------------------------------------------------------


class PeriodeSerializer(serializers.ModelSerializer):
    tahun_list = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    ada_dokumen = serializers.SerializerMethodField()

    class Meta:
        model = PeriodeRad
        fields = [
            "id",
            "tahun_mulai",
            "tahun_selesai",
            "tahun_list",
            "dasar_hukum",
            "tanggal_penetapan",
            "ada_dokumen",
        ]

    def get_ada_dokumen(self, obj) -> bool:
        return bool(obj.dokumen)


class PeriodeDetailSerializer(PeriodeSerializer):
    """A plan period with the city's total budget (APBD) of each of its years."""

    apbd = serializers.SerializerMethodField()

    class Meta(PeriodeSerializer.Meta):
        fields = [*PeriodeSerializer.Meta.fields, "apbd"]

    @extend_schema_field(
        serializers.ListField(child=serializers.DictField(child=serializers.FloatField()))
    )
    def get_apbd(self, obj) -> list[dict]:
        total = self.context.get("apbd", {})
        return [
            {"tahun": t, "total": RUPIAH_BACA.to_representation(total[t]) if t in total else None}
            for t in obj.tahun_list
        ]


RUPIAH_BACA = serializers.DecimalField(**RUPIAH)


class PeriodeTulisSerializer(TanpaIsianAsing, serializers.Serializer):
    """A new plan (``tahun_mulai``: five years from it) or a change to its legal basis (the
    years stay). ``dokumen``: the plan as a PDF (multipart/form-data only)."""

    tahun_mulai = serializers.IntegerField(min_value=2000, max_value=2100)
    dasar_hukum = serializers.CharField(max_length=200, allow_blank=True, required=False)
    tanggal_penetapan = serializers.DateField(allow_null=True, required=False)
    dokumen = serializers.FileField(required=False, allow_null=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            del self.fields["tahun_mulai"]  # the years stay once actions hang on them

    def validate_dokumen(self, berkas):
        try:
            rad_forms.dokumen_pdf(berkas)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return berkas or None

    def nilai(self) -> dict:
        """The service's arguments; with PATCH, what is not sent stays."""
        p = self.instance
        v = self.validated_data
        hasil = {
            "dasar_hukum": v.get("dasar_hukum", p.dasar_hukum if p else ""),
            "tanggal_penetapan": v.get("tanggal_penetapan", p.tanggal_penetapan if p else None),
            "dokumen": v.get("dokumen"),
        }
        if p is None:
            hasil["tahun_mulai"] = v["tahun_mulai"]
        return hasil


class ApbdBarisSerializer(TanpaIsianAsing, serializers.Serializer):
    tahun = serializers.IntegerField()
    total = serializers.DecimalField(**RUPIAH)


class ApbdSerializer(TanpaIsianAsing, serializers.Serializer):
    """The city's total APBD of some years of the plan (all saved or none); years left out
    stay as they are."""

    apbd = ApbdBarisSerializer(many=True, allow_empty=False)

    def validate_apbd(self, daftar):
        periode = self.context["periode"]
        for row in daftar:
            if row["tahun"] not in periode.tahun_list:
                raise serializers.ValidationError(
                    _("Tahun %(t)s di luar %(p)s.") % {"t": row["tahun"], "p": periode}
                )
        return daftar

    def nilai(self) -> dict:
        return {row["tahun"]: row["total"] for row in self.validated_data["apbd"]}


# --- The figures of an action in a year (pemantauan.KeadaanAksi) ----------------------------


class KeadaanAksiSerializer(serializers.Serializer):
    """An action's figures in one year, as its page and the list show them."""

    tahun = serializers.IntegerField()
    target = serializers.DecimalField(allow_null=True, **ANGKA)
    pagu = serializers.DecimalField(**RUPIAH)
    sumber_dana = serializers.CharField(source="sumber")
    capaian = serializers.DecimalField(allow_null=True, **ANGKA)
    triwulan_terakhir = serializers.IntegerField(allow_null=True)
    persen_capaian = serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True)
    terserap = serializers.DecimalField(**RUPIAH)
    persen_serap = serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True)
    status_triwulan = serializers.SerializerMethodField()
    terlambat = serializers.ListField(child=serializers.IntegerField())
    berisiko = serializers.BooleanField()
    dinilai = serializers.BooleanField()

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_status_triwulan(self, obj) -> dict:
        return {str(tw): status for tw, status in sorted(obj.status.items())}


# --- Actions ------------------------------------------------------------------------------


class TargetTahunanSerializer(serializers.ModelSerializer):
    class Meta:
        model = TargetTahunan
        fields = ["tahun", "target", "pagu", "sumber_dana"]


class AksiSerializer(serializers.ModelSerializer):
    """An action with its yearly targets and budget ceilings; ``angka``: its figures in the
    year asked for (``?tahun=``), the same as the page's list shows."""

    opd_utama_singkatan = serializers.CharField(source="opd_utama.singkatan", read_only=True)
    opd_pendukung = serializers.SerializerMethodField()
    indikator_kla = serializers.SerializerMethodField()
    target = TargetTahunanSerializer(many=True, read_only=True)
    angka = serializers.SerializerMethodField()

    class Meta:
        model = Aksi
        fields = [
            "id",
            "periode",
            "kode",
            "nama",
            "klaster",
            "program",
            "program_kode",
            "kegiatan",
            "kegiatan_kode",
            "sub_kegiatan",
            "sub_kegiatan_kode",
            "indikator_kinerja",
            "satuan",
            "baseline",
            "opd_utama",
            "opd_utama_singkatan",
            "opd_pendukung",
            "indikator_kla",
            "status",
            "versi",
            "diubah",
            "target",
            "angka",
        ]
        read_only_fields = fields

    def get_opd_pendukung(self, obj) -> list[int]:
        return sorted(o.pk for o in obj.opd_pendukung.all())

    def get_indikator_kla(self, obj) -> list[str]:
        return sorted((i.kode for i in obj.indikator.all()), key=urutan_indikator)

    @extend_schema_field(KeadaanAksiSerializer(allow_null=True))
    def get_angka(self, obj):
        keadaan = self.context.get("keadaan", {}).get(obj.pk)
        return KeadaanAksiSerializer(keadaan).data if keadaan is not None else None


class AksiDetailSerializer(AksiSerializer):
    """One action: also its figures in every year of its plan (the page's yearly table)."""

    tahunan = serializers.SerializerMethodField()

    class Meta(AksiSerializer.Meta):
        fields = [*AksiSerializer.Meta.fields, "tahunan"]
        read_only_fields = fields

    @extend_schema_field(KeadaanAksiSerializer(many=True))
    def get_tahunan(self, obj):
        return KeadaanAksiSerializer(self.context.get("tahunan", []), many=True).data


class TargetTulisSerializer(TanpaIsianAsing, serializers.Serializer):
    tahun = serializers.IntegerField(min_value=2000, max_value=2100)
    target = serializers.DecimalField(min_value=0, allow_null=True, required=False, **ANGKA)
    pagu = serializers.DecimalField(min_value=0, allow_null=True, required=False, **RUPIAH)
    sumber_dana = serializers.ChoiceField(
        choices=SumberDana.choices,
        required=False,
        help_text="Default: the year's current source, else APBD.",
    )


TEKS = {"allow_blank": True, "required": False, "trim_whitespace": True}


class AksiTulisSerializer(TanpaIsianAsing, serializers.Serializer):
    """A new action (``periode`` and ``kode`` given) or a change to one (``versi`` given: the
    version it was read at; a change made since is a 409). Years of ``target`` left out stay as
    they are. With PATCH, fields left out stay as they are."""

    periode = serializers.PrimaryKeyRelatedField(queryset=PeriodeRad.objects.all())
    kode = serializers.CharField(max_length=40)
    nama = serializers.CharField(max_length=500)
    klaster = serializers.ChoiceField(choices=Klaster.choices)
    indikator_kla = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=50
    )
    program = serializers.CharField(max_length=300, **TEKS)
    program_kode = serializers.CharField(max_length=40, **TEKS)
    kegiatan = serializers.CharField(max_length=300, **TEKS)
    kegiatan_kode = serializers.CharField(max_length=40, **TEKS)
    sub_kegiatan = serializers.CharField(max_length=300, **TEKS)
    sub_kegiatan_kode = serializers.CharField(max_length=40, **TEKS)
    indikator_kinerja = serializers.CharField(max_length=300)
    satuan = serializers.CharField(max_length=50)
    baseline = serializers.DecimalField(min_value=0, allow_null=True, required=False, **ANGKA)
    opd_utama = serializers.PrimaryKeyRelatedField(queryset=Opd.objects.all())
    opd_pendukung = serializers.PrimaryKeyRelatedField(
        queryset=Opd.objects.all(), many=True, required=False
    )
    status = serializers.ChoiceField(choices=Aksi.Status.choices, default=Aksi.Status.DIRENCANAKAN)
    target = TargetTulisSerializer(many=True, required=False)
    versi = serializers.IntegerField(min_value=0)

    ABAIKAN = frozenset({"id", "opd_utama_singkatan", "diubah", "angka", "tahunan"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a plan of the person's own city (another city's plan id: "tidak ada").
        request = self.context.get("request")
        if request is not None:
            self.fields["periode"].queryset = PeriodeRad.objects.visible_to(request.user)
            sekota = Opd.objects.di_daerah(request.user)
            self.fields["opd_utama"].queryset = sekota
            self.fields["opd_pendukung"].child_relation.queryset = sekota
        if self.instance is None:
            del self.fields["versi"]  # a new action is version 0
        else:
            # The plan and the code stay (the form's code is locked once saved): sent back
            # unchanged they are accepted, so a record read can be sent back whole.
            self.fields["periode"].required = self.fields["kode"].required = False

    def _opd_boleh(self, opd: Opd) -> None:
        """Active agencies; a closed one the action already names stays allowed (the form)."""
        lama = set()
        if self.instance is not None:
            lama = {self.instance.opd_utama_id, *(o.pk for o in self.instance.opd_pendukung.all())}
        if not opd.aktif and opd.pk not in lama:
            raise serializers.ValidationError(
                _("OPD %(opd)s sudah tidak aktif.") % {"opd": opd.singkatan}
            )

    def validate_opd_utama(self, opd):
        self._opd_boleh(opd)
        return opd

    def validate_opd_pendukung(self, daftar):
        for opd in daftar:
            self._opd_boleh(opd)
        return daftar

    def validate_kode(self, kode):
        kode = kode.strip()
        if self.instance is not None and kode != self.instance.kode:
            raise serializers.ValidationError(_("Kode aksi tidak dapat diubah setelah disimpan."))
        return kode

    def validate_periode(self, periode):
        if self.instance is not None and periode.pk != self.instance.periode_id:
            raise serializers.ValidationError(_("Aksi tidak dapat dipindah ke periode lain."))
        return periode

    def validate_indikator_kla(self, daftar):
        try:
            return rad_forms.kode_indikator(", ".join(daftar))
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error

    def _nomenklatur(self, nilai):
        if nilai and not rad_forms.KODE_NOMENKLATUR.match(nilai):
            raise serializers.ValidationError(
                _("Tulis kode nomenklatur dengan angka dan titik, misalnya 2.08.07.2.01.0001.")
            )
        return nilai

    validate_program_kode = validate_kegiatan_kode = validate_sub_kegiatan_kode = _nomenklatur

    def validate_target(self, daftar):
        tahun = [row["tahun"] for row in daftar]
        if len(tahun) != len(set(tahun)):
            raise serializers.ValidationError(_("Setiap tahun cukup satu baris target."))
        return daftar

    def validate(self, attrs):
        if self.instance is not None and "versi" not in attrs:  # PATCH does not require it
            wajib = self.fields["versi"].error_messages["required"]
            raise serializers.ValidationError({"versi": [wajib]})
        data = {**self.awal(), **attrs}
        for induk, anak in (
            ("program_kode", "kegiatan_kode"),
            ("kegiatan_kode", "sub_kegiatan_kode"),
        ):
            a, b = data.get(induk), data.get(anak)
            if a and b and not b.startswith(f"{a}."):
                raise serializers.ValidationError(
                    {anak: [_("Kode ini harus diawali kode di atasnya (%(a)s.).") % {"a": a}]}
                )
        if data["opd_utama"] in (data.get("opd_pendukung") or []):
            raise serializers.ValidationError(
                {"opd_pendukung": [_("OPD penanggung jawab tidak perlu jadi pendukung.")]}
            )
        if (
            self.instance is None
            and Aksi.objects.filter(periode=data["periode"], kode=data["kode"]).exists()
        ):
            raise serializers.ValidationError(
                {
                    "kode": [
                        _("Kode %(k)s sudah dipakai aksi lain di RAD ini.") % {"k": data["kode"]}
                    ]
                }
            )
        return attrs

    def awal(self) -> dict:
        """The action as it is (for PATCH: what is not sent stays)."""
        aksi = self.instance
        if aksi is None:
            return {}
        return {
            **{name: getattr(aksi, name) for name in DataAksi.FIELDS},
            "opd_utama": aksi.opd_utama,
            "opd_pendukung": list(aksi.opd_pendukung.all()),
            "indikator_kla": [i.kode for i in aksi.indikator.all()],
        }

    def data_aksi(self) -> DataAksi:
        """The validated request as the service takes it."""
        data = {**self.awal(), **self.validated_data}
        # A year's row is replaced as a whole; its source, when left out, stays (else APBD).
        sumber = (
            {row.tahun: row.sumber_dana for row in self.instance.target.all()}
            if (self.instance)
            else {}
        )
        target = {
            row["tahun"]: (
                row.get("target"),
                row.get("pagu"),
                row.get("sumber_dana") or sumber.get(row["tahun"], SumberDana.APBD),
            )
            for row in data.pop("target", [])
        }
        teks = {
            name: (data.get(name) or "").strip()
            for name in ("nama", "indikator_kinerja", "satuan", "program", "kegiatan")
        }
        return DataAksi(
            kode=self.instance.kode if self.instance else data["kode"],
            klaster=data["klaster"],
            opd_utama=data["opd_utama"],
            opd_pendukung=list(data.get("opd_pendukung") or []),
            indikator_kla=list(data.get("indikator_kla") or []),
            program_kode=data.get("program_kode") or "",
            kegiatan_kode=data.get("kegiatan_kode") or "",
            sub_kegiatan=(data.get("sub_kegiatan") or "").strip(),
            sub_kegiatan_kode=data.get("sub_kegiatan_kode") or "",
            baseline=data.get("baseline"),
            status=data["status"],
            target=target,
            **teks,
        )


class SaringAksiSerializer(serializers.Serializer):
    """The list's filters (the page's, rencana_aksi.saringan.Saringan); a value of the wrong
    type is a 400 here rather than ignored."""

    periode = serializers.IntegerField(
        required=False, min_value=1, max_value=ID_MAX, help_text="Default: the plan in force."
    )
    tahun = serializers.IntegerField(
        required=False, help_text="The year of the figures (default: this year, within the plan)."
    )
    q = serializers.CharField(required=False, max_length=100)
    opd = serializers.IntegerField(
        required=False, min_value=1, max_value=ID_MAX, help_text="Lead or supporting agency."
    )
    klaster = serializers.ChoiceField(choices=Klaster.choices, required=False)
    status = serializers.ChoiceField(choices=Aksi.Status.choices, required=False)
    indikator = serializers.CharField(required=False, max_length=40)
    berisiko = serializers.BooleanField(required=False, default=False)
    terlambat = serializers.BooleanField(required=False, default=False)


class SaringTahunSerializer(serializers.Serializer):
    tahun = serializers.IntegerField(required=False)
    antartahun = serializers.BooleanField(required=False, default=False)
