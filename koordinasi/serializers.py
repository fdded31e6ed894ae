"""Serializers of the coordination API (koordinasi.api): meetings with their invitations and
attendance, minutes, follow-ups. Reads show what the pages show; write serializers only read
the request, and the viewsets pass what they read to koordinasi.services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agencies.models import GugusTugas, Opd, Personil
from agencies.serializers import OpdRingkasSerializer, tautan
from kla_portal.api import TanpaIsianAsing
from koordinasi.models import LampiranTindakLanjut, Rapat, TindakLanjut, Undangan


class PersonilUndanganSerializer(serializers.ModelSerializer):
    class Meta:
        model = Personil
        fields = ["id", "nama", "jabatan"]


class UndanganSerializer(serializers.ModelSerializer):
    opd = OpdRingkasSerializer(read_only=True)
    personil = PersonilUndanganSerializer(read_only=True)

    class Meta:
        model = Undangan
        fields = ["id", "opd", "personil", "kehadiran", "diwakili_oleh", "catatan"]


class RapatRingkasSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rapat
        fields = ["id", "judul", "mulai"]


class RapatSerializer(serializers.ModelSerializer):
    """A meeting in a list: when, where, its state, how many invited and follow-ups, and the
    addresses of its page and of its calendar file (the page's "add to my calendar")."""

    diundang = serializers.IntegerField(read_only=True)
    jumlah_tindak_lanjut = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()
    ics = serializers.SerializerMethodField()

    class Meta:
        model = Rapat
        fields = [
            "id",
            "gugus_tugas",
            "judul",
            "mulai",
            "selesai",
            "tempat",
            "tautan_daring",
            "status",
            "alasan_batal",
            "diundang",
            "jumlah_tindak_lanjut",
            "versi",
            "url",
            "ics",
        ]

    def get_url(self, rapat) -> str:
        return tautan(self, "koordinasi:rapat-detail", rapat.pk)

    def get_ics(self, rapat) -> str:
        return tautan(self, "koordinasi:rapat-ics", rapat.pk)


class TindakLanjutRingkasSerializer(serializers.ModelSerializer):
    opd = OpdRingkasSerializer(read_only=True)

    class Meta:
        model = TindakLanjut
        fields = ["id", "keputusan", "opd", "tenggat", "status", "selesai_pada", "versi"]


class RapatDetailSerializer(RapatSerializer):
    """One meeting with its agenda, invitations and attendance, minutes and decisions."""

    undangan = UndanganSerializer(many=True, read_only=True)
    tindak_lanjut = TindakLanjutRingkasSerializer(many=True, read_only=True)
    notulen_berkas = serializers.SerializerMethodField()

    class Meta(RapatSerializer.Meta):
        fields = [
            *RapatSerializer.Meta.fields,
            "agenda",
            "notulen",
            "notulen_berkas",
            "undangan",
            "tindak_lanjut",
            "dibuat",
            "diubah",
        ]

    def get_notulen_berkas(self, rapat) -> str | None:
        return tautan(self, "koordinasi:notulen-unduh", rapat.pk) if rapat.notulen_berkas else None


class _Pengguna:
    """Querysets of a write serializer's choices, scoped to the person asking."""

    def user(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


class RapatJadwalSerializer(TanpaIsianAsing, _Pengguna, serializers.Serializer):
    """A new meeting of a task force, as the scheduling page takes it: whom it invites
    (agencies, people, or the shortcuts ``semua_anggota`` and ``semua_kepala_opd``)."""

    gugus_tugas = serializers.PrimaryKeyRelatedField(queryset=GugusTugas.objects.none())
    judul = serializers.CharField(max_length=200)
    mulai = serializers.DateTimeField()
    selesai = serializers.DateTimeField()
    agenda = serializers.CharField()
    tempat = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    tautan_daring = serializers.URLField(required=False, allow_blank=True, default="")
    opd = serializers.PrimaryKeyRelatedField(
        queryset=Opd.objects.none(), many=True, required=False, default=list
    )
    personil = serializers.PrimaryKeyRelatedField(
        queryset=Personil.objects.none(), many=True, required=False, default=list
    )
    semua_anggota = serializers.BooleanField(required=False, default=False)
    semua_kepala_opd = serializers.BooleanField(required=False, default=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.user()
        if user is not None:
            self.fields["gugus_tugas"].queryset = GugusTugas.objects.visible_to(user)
            self.fields["opd"].child_relation.queryset = Opd.objects.di_daerah(user).aktif()
            self.fields["personil"].child_relation.queryset = Personil.objects.visible_to(user)


class RapatUbahSerializer(TanpaIsianAsing, _Pengguna, serializers.Serializer):
    """A change of a meeting: what is sent changes, the rest stays (``opd``/``personil`` sent:
    the agencies/people invited from now on). ``versi`` is the version read."""

    judul = serializers.CharField(max_length=200, required=False)
    mulai = serializers.DateTimeField(required=False)
    selesai = serializers.DateTimeField(required=False)
    agenda = serializers.CharField(required=False)
    tempat = serializers.CharField(max_length=200, required=False, allow_blank=True)
    tautan_daring = serializers.URLField(required=False, allow_blank=True)
    opd = serializers.PrimaryKeyRelatedField(queryset=Opd.objects.none(), many=True, required=False)
    personil = serializers.PrimaryKeyRelatedField(
        queryset=Personil.objects.none(), many=True, required=False
    )
    semua_anggota = serializers.BooleanField(required=False, default=False)
    semua_kepala_opd = serializers.BooleanField(required=False, default=False)
    versi = serializers.IntegerField(min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.user()
        if user is not None:
            self.fields["opd"].child_relation.queryset = Opd.objects.di_daerah(user).aktif()
            self.fields["personil"].child_relation.queryset = Personil.objects.visible_to(user)


class IsianKehadiranSerializer(TanpaIsianAsing, serializers.Serializer):
    undangan = serializers.IntegerField(min_value=1)
    kehadiran = serializers.ChoiceField(choices=Undangan.Kehadiran.choices)
    diwakili_oleh = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    catatan = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class KehadiranSerializer(TanpaIsianAsing, serializers.Serializer):
    """Attendance of the meeting's invitations (by invitation id); those not sent keep what was
    recorded. The meeting then counts as held, once every invitation has its attendance."""

    kehadiran = IsianKehadiranSerializer(many=True, allow_empty=False)
    versi = serializers.IntegerField(min_value=0)

    def validate_kehadiran(self, isian):
        ids = [i["undangan"] for i in isian]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError(_("Setiap undangan cukup disebut sekali."))
        return isian


class NotulenSerializer(TanpaIsianAsing, serializers.Serializer):
    notulen = serializers.CharField(required=False, allow_blank=True, default="")
    berkas = serializers.FileField(required=False, allow_null=True, default=None)
    versi = serializers.IntegerField(min_value=0)


class BatalSerializer(TanpaIsianAsing, serializers.Serializer):
    alasan = serializers.CharField(max_length=255)


class TindakLanjutBaruSerializer(TanpaIsianAsing, _Pengguna, serializers.Serializer):
    """A decision of the meeting that an agency must carry out by a date."""

    keputusan = serializers.CharField()
    opd = serializers.PrimaryKeyRelatedField(queryset=Opd.objects.none())
    tenggat = serializers.DateField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.user()
        if user is not None:
            self.fields["opd"].queryset = Opd.objects.di_daerah(user).aktif()


class LampiranSerializer(serializers.ModelSerializer):
    unduh = serializers.SerializerMethodField()

    class Meta:
        model = LampiranTindakLanjut
        fields = ["id", "nama_asli", "jenis", "ukuran", "sha256", "diunggah", "unduh"]

    def get_unduh(self, lampiran) -> str:
        return tautan(self, "koordinasi:lampiran-unduh", lampiran.pk)


class TindakLanjutSerializer(serializers.ModelSerializer):
    rapat = RapatRingkasSerializer(read_only=True)
    opd = OpdRingkasSerializer(read_only=True)
    lewat_tenggat = serializers.BooleanField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = TindakLanjut
        fields = [
            "id",
            "rapat",
            "keputusan",
            "opd",
            "tenggat",
            "status",
            "lewat_tenggat",
            "selesai_pada",
            "hasil",
            "alasan_dibuka",
            "versi",
            "diubah",
            "url",
        ]

    def get_url(self, tindak) -> str:
        return tautan(self, "koordinasi:tindak-lanjut-detail", tindak.pk)


class TindakLanjutDetailSerializer(TindakLanjutSerializer):
    lampiran = LampiranSerializer(many=True, read_only=True)

    class Meta(TindakLanjutSerializer.Meta):
        fields = [*TindakLanjutSerializer.Meta.fields, "lampiran"]


class TindakLanjutPerbaruiSerializer(TanpaIsianAsing, serializers.Serializer):
    """Progress of a follow-up, as its page takes it: its state, the result, when it was done,
    new evidence files, and (the secretariat reopening a closed one) why."""

    status = serializers.ChoiceField(choices=TindakLanjut.Status.choices)
    hasil = serializers.CharField(required=False, allow_blank=True, default="")
    selesai_pada = serializers.DateField(required=False, allow_null=True, default=None)
    berkas = serializers.ListField(child=serializers.FileField(), required=False, default=list)
    alasan = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    versi = serializers.IntegerField(min_value=0)
