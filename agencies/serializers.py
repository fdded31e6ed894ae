from django.utils.translation import gettext as _
from rest_framework import serializers

from agencies.models import Keanggotaan, Opd, TokenApi, User, Wilayah


class WilayahSerializer(serializers.ModelSerializer):
    jenis = serializers.CharField(read_only=True)
    induk = serializers.SlugRelatedField(slug_field="kode", read_only=True)

    class Meta:
        model = Wilayah
        fields = ["kode", "nama", "tingkat", "jenis", "induk"]


class OpdSerializer(serializers.ModelSerializer):
    wilayah = serializers.SlugRelatedField(slug_field="kode", read_only=True)

    class Meta:
        model = Opd
        fields = ["id", "nama", "singkatan", "jenis", "wilayah", "aktif"]


class KeanggotaanSerializer(serializers.ModelSerializer):
    opd = serializers.PrimaryKeyRelatedField(read_only=True)
    wilayah = serializers.SlugRelatedField(slug_field="kode", read_only=True)

    class Meta:
        model = Keanggotaan
        fields = ["id", "peran", "opd", "wilayah", "mulai", "selesai"]


class SayaSerializer(serializers.ModelSerializer):
    keanggotaan_aktif = KeanggotaanSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "nama_lengkap", "email", "jabatan", "keanggotaan_aktif"]


class TokenApiSerializer(serializers.ModelSerializer):
    """A token as listed: never its secret (only the prefix that identifies it)."""

    berlaku = serializers.BooleanField(read_only=True)

    class Meta:
        model = TokenApi
        fields = [
            "id",
            "nama",
            "awalan",
            "akses",
            "dibuat",
            "terakhir_dipakai",
            "kedaluwarsa",
            "dicabut",
            "berlaku",
        ]
        read_only_fields = fields


class TokenApiBaruSerializer(serializers.Serializer):
    """What a new token needs; the service checks the values (agencies.services.token_buat)."""

    nama = serializers.CharField(max_length=100)
    akses = serializers.ChoiceField(choices=TokenApi.Akses.choices)
    kedaluwarsa = serializers.DateTimeField(required=False, allow_null=True)

    def validate(self, attrs):
        lain = sorted(set(self.initial_data) - set(self.fields))
        if lain:
            raise serializers.ValidationError(
                {nama: [_("Kolom ini tidak dikenal.")] for nama in lain}
            )
        return attrs


class TokenApiDibuatSerializer(TokenApiSerializer):
    """A token just made: the only answer that carries the token itself."""

    token = serializers.CharField(
        read_only=True, help_text="Ditampilkan sekali ini saja; simpan di tempat yang aman."
    )

    class Meta(TokenApiSerializer.Meta):
        fields = [*TokenApiSerializer.Meta.fields, "token"]
        read_only_fields = fields
