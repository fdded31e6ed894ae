from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

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
    StatusFasilitas,
    SubTim,
    TokenApi,
    User,
    Wilayah,
)
from kla_portal.api import TanpaIsianAsing


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


class TokenApiBaruSerializer(TanpaIsianAsing, serializers.Serializer):
    """What a new token needs; the service checks the values (agencies.services.token_buat)."""

    nama = serializers.CharField(max_length=100)
    akses = serializers.ChoiceField(choices=TokenApi.Akses.choices)
    kedaluwarsa = serializers.DateTimeField(required=False, allow_null=True)


class TokenApiDibuatSerializer(TokenApiSerializer):
    """A token just made: the only answer that carries the token itself."""

    token = serializers.CharField(
        read_only=True, help_text="Ditampilkan sekali ini saja; simpan di tempat yang aman."
    )

    class Meta(TokenApiSerializer.Meta):
        fields = [*TokenApiSerializer.Meta.fields, "token"]
        read_only_fields = fields


# --- Strict input, the task force and the facility register (agencies.api_gugus) -----------


def tautan(serializer, nama: str, *args) -> str:
    """The absolute address of a page (``nama`` a URL name), for the API's links."""
    alamat = reverse(nama, args=args)
    request = serializer.context.get("request")
    return request.build_absolute_uri(alamat) if request else alamat


class OpdRingkasSerializer(serializers.ModelSerializer):
    class Meta:
        model = Opd
        fields = ["id", "singkatan", "nama"]


class SubTimSerializer(serializers.ModelSerializer):
    class Meta:
        model = SubTim
        fields = ["id", "nama", "urutan"]


class SkGugusTugasSerializer(serializers.ModelSerializer):
    berkas = serializers.SerializerMethodField()

    class Meta:
        model = SkGugusTugas
        fields = ["id", "nomor", "tanggal", "berlaku_mulai", "diganti_oleh", "berkas"]

    def get_berkas(self, sk) -> str | None:
        return tautan(self, "koordinasi:sk-unduh", sk.pk) if sk.berkas else None


def sk_berlaku(gugus: GugusTugas) -> SkGugusTugas | None:
    """The decree in force today from the prefetched decrees (SkGugusTugas.objects.berlaku,
    without a query per task force)."""
    hari = timezone.localdate()
    berlaku = [s for s in gugus.sk.all() if s.berlaku_mulai <= hari]
    return max(berlaku, key=lambda s: (s.berlaku_mulai, s.pk), default=None)


class GugusTugasSerializer(serializers.ModelSerializer):
    wilayah = WilayahSerializer(read_only=True)
    sk_berlaku = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = GugusTugas
        fields = ["id", "nama", "wilayah", "target_rapat_per_bulan", "sk_berlaku", "url"]

    def get_sk_berlaku(self, gugus) -> SkGugusTugasSerializer(allow_null=True):
        sk = sk_berlaku(gugus)
        return SkGugusTugasSerializer(sk, context=self.context).data if sk else None

    def get_url(self, gugus) -> str:
        return tautan(self, "koordinasi:gugus-tugas-detail", gugus.pk)


class GugusTugasDetailSerializer(GugusTugasSerializer):
    sk = SkGugusTugasSerializer(many=True, read_only=True)
    sub_tim = SubTimSerializer(many=True, read_only=True)
    jumlah_anggota = serializers.IntegerField(read_only=True)
    jumlah_terlatih = serializers.IntegerField(read_only=True)
    jumlah_teknis = serializers.IntegerField(read_only=True)

    class Meta(GugusTugasSerializer.Meta):
        fields = [
            *GugusTugasSerializer.Meta.fields,
            "sk",
            "sub_tim",
            "jumlah_anggota",
            "jumlah_terlatih",
            "jumlah_teknis",
        ]


class PersonilRingkasSerializer(serializers.ModelSerializer):
    opd = OpdRingkasSerializer(read_only=True)

    class Meta:
        model = Personil
        fields = ["id", "nama", "jabatan", "opd"]


class AnggotaSerializer(serializers.ModelSerializer):
    personil = PersonilRingkasSerializer(read_only=True)
    sub_tim = SubTimSerializer(read_only=True)
    terlatih = serializers.BooleanField(read_only=True)

    class Meta:
        model = AnggotaGugusTugas
        fields = [
            "id",
            "gugus_tugas",
            "personil",
            "jabatan",
            "unsur",
            "sub_tim",
            "sk",
            "mulai",
            "selesai",
            "alasan_selesai",
            "terlatih",
        ]


class PelatihanSerializer(serializers.ModelSerializer):
    sertifikat = serializers.SerializerMethodField()

    class Meta:
        model = PelatihanKha
        fields = ["id", "nama", "tanggal", "penyelenggara", "sertifikat"]

    def get_sertifikat(self, pelatihan) -> str | None:
        """The certificate's address, only to whom the page shows it (a personal document)."""
        boleh = self.context.get("boleh_sertifikat")
        if not pelatihan.sertifikat or not (boleh and boleh(pelatihan.personil)):
            return None
        return tautan(self, "koordinasi:sertifikat-unduh", pelatihan.pk)


class PersonilSerializer(PersonilRingkasSerializer):
    pelatihan = PelatihanSerializer(many=True, read_only=True)

    class Meta(PersonilRingkasSerializer.Meta):
        fields = [*PersonilRingkasSerializer.Meta.fields, "pelatihan"]


class AnggotaTambahSerializer(TanpaIsianAsing, serializers.Serializer):
    """A seat for a person already recorded (``personil``), or for a new one (``nama`` and
    ``opd``), as on the task force's page."""

    gugus_tugas = serializers.PrimaryKeyRelatedField(queryset=GugusTugas.objects.none())
    personil = serializers.PrimaryKeyRelatedField(
        queryset=Personil.objects.none(), required=False, allow_null=True
    )
    nama = serializers.CharField(max_length=150, required=False, allow_blank=True)
    jabatan_dinas = serializers.CharField(max_length=150, required=False, allow_blank=True)
    opd = serializers.PrimaryKeyRelatedField(
        queryset=Opd.objects.none(), required=False, allow_null=True
    )
    email = serializers.EmailField(required=False, allow_blank=True)
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), required=False, allow_null=True
    )
    jabatan = serializers.ChoiceField(
        choices=AnggotaGugusTugas.Jabatan.choices, default=AnggotaGugusTugas.Jabatan.ANGGOTA
    )
    sub_tim = serializers.PrimaryKeyRelatedField(
        queryset=SubTim.objects.all(), required=False, allow_null=True
    )
    unsur = serializers.ChoiceField(choices=AnggotaGugusTugas.Unsur.choices)
    mulai = serializers.DateField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self.fields["gugus_tugas"].queryset = GugusTugas.objects.visible_to(user)
            self.fields["personil"].queryset = Personil.objects.visible_to(user)
            self.fields["opd"].queryset = Opd.objects.di_daerah(user).aktif()
            self.fields["user"].queryset = User.objects.dapat_ditautkan_oleh(user)

    def validate(self, attrs):
        if not attrs.get("personil") and not (attrs.get("nama", "").strip() and attrs.get("opd")):
            raise serializers.ValidationError(
                _("Pilih personil yang sudah tercatat, atau isi nama dan lembaga orang baru.")
            )
        return attrs


class AnggotaAkhiriSerializer(TanpaIsianAsing, serializers.Serializer):
    alasan = serializers.CharField(max_length=255)
    selesai = serializers.DateField(required=False, allow_null=True)


class AnggotaPindahSerializer(TanpaIsianAsing, serializers.Serializer):
    jabatan = serializers.ChoiceField(
        choices=AnggotaGugusTugas.Jabatan.choices, default=AnggotaGugusTugas.Jabatan.ANGGOTA
    )
    sub_tim = serializers.PrimaryKeyRelatedField(
        queryset=SubTim.objects.all(), required=False, allow_null=True
    )
    unsur = serializers.ChoiceField(choices=AnggotaGugusTugas.Unsur.choices)
    mulai = serializers.DateField(required=False, allow_null=True)


class PelatihanCatatSerializer(TanpaIsianAsing, serializers.Serializer):
    tanggal = serializers.DateField()
    penyelenggara = serializers.CharField(max_length=200)
    nama = serializers.CharField(max_length=200, required=False, allow_blank=True)
    sertifikat = serializers.FileField(required=False, allow_null=True)


class JenisFasilitasSerializer(serializers.ModelSerializer):
    class Meta:
        model = JenisFasilitas
        fields = [
            "kode",
            "nama",
            "singkatan",
            "untuk_kecamatan",
            "untuk_kelurahan",
            "status_minimal",
        ]


class FasilitasSerializer(serializers.ModelSerializer):
    wilayah = serializers.SlugRelatedField(slug_field="kode", read_only=True)
    jenis = serializers.SlugRelatedField(slug_field="kode", read_only=True)
    ada = serializers.BooleanField(read_only=True)
    berkas_sk = serializers.SerializerMethodField()
    foto = serializers.SerializerMethodField()

    class Meta:
        model = Fasilitas
        fields = [
            "id",
            "wilayah",
            "jenis",
            "status",
            "ada",
            "nomor_sk",
            "tanggal_sk",
            "keterangan",
            "berkas_sk",
            "foto",
            "versi",
            "diubah",
        ]

    def get_berkas_sk(self, fasilitas) -> str | None:
        if not fasilitas.berkas_sk:
            return None
        return tautan(self, "koordinasi:fasilitas-berkas", fasilitas.pk, "sk")

    def get_foto(self, fasilitas) -> str | None:
        if not fasilitas.foto:
            return None
        return tautan(self, "koordinasi:fasilitas-berkas", fasilitas.pk, "foto")


class FasilitasSimpanSerializer(TanpaIsianAsing, serializers.Serializer):
    """One unit's state for one kind, as the unit's page records it; ``versi`` is the version
    read (0 when the unit has no record of that kind yet)."""

    wilayah = serializers.SlugRelatedField(slug_field="kode", queryset=Wilayah.objects.none())
    jenis = serializers.SlugRelatedField(slug_field="kode", queryset=JenisFasilitas.objects.all())
    status = serializers.ChoiceField(choices=StatusFasilitas.choices)
    nomor_sk = serializers.CharField(max_length=150, required=False, allow_blank=True)
    tanggal_sk = serializers.DateField(required=False, allow_null=True)
    keterangan = serializers.CharField(required=False, allow_blank=True)
    berkas_sk = serializers.FileField(required=False, allow_null=True)
    foto = serializers.FileField(required=False, allow_null=True)
    versi = serializers.IntegerField(min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self.fields["wilayah"].queryset = Wilayah.objects.fasilitas_visible_to(user)
