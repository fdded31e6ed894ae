from rest_framework import serializers

from agencies.models import Keanggotaan, Opd, User, Wilayah


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
