"""Regions, agencies (OPD), people and their memberships.

A person's role always comes from an active membership: which OPD or which kecamatan/kelurahan
they work for and as what. Ending a membership keeps it, with its end date and reason, so the
portal can tell who held a role when.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.daerah import DaerahQuerySet, MilikDaerah


class Peran(models.TextChoices):
    ADMIN = "admin", _("Admin")
    SEKRETARIAT = "sekretariat", _("Sekretariat Gugus Tugas")
    BAPPEDA = "bappeda", _("Bappeda")
    PIMPINAN = "pimpinan", _("Pimpinan")
    KEPALA_OPD = "kepala_opd", _("Kepala OPD")
    OPERATOR_OPD = "operator_opd", _("Operator OPD")
    OPERATOR_WILAYAH = "operator_wilayah", _("Operator kecamatan/kelurahan")
    # The province's people, in a membership of the province (its verifiers one per kab/kota
    # they verify, that kab/kota in ``wilayah``).
    ADMIN_PROVINSI = "admin_provinsi", _("Admin provinsi")
    VERIFIKATOR_PROVINSI = "verifikator_provinsi", _("Tim verifikasi provinsi")
    PIMPINAN_PROVINSI = "pimpinan_provinsi", _("Pimpinan provinsi")


# Roles that see the whole city (every agency, every area).
PERAN_SELURUH_KOTA = frozenset({Peran.ADMIN, Peran.SEKRETARIAT, Peran.BAPPEDA, Peran.PIMPINAN})
# Roles that belong to one agency and need it named.
PERAN_OPD = frozenset({Peran.KEPALA_OPD, Peran.OPERATOR_OPD})
# The province's roles: they follow and verify its kab/kota, never act inside one.
PERAN_PROVINSI = frozenset(
    {Peran.ADMIN_PROVINSI, Peran.VERIFIKATOR_PROVINSI, Peran.PIMPINAN_PROVINSI}
)


class WilayahQuerySet(models.QuerySet):
    def di_dalam(self, wilayah: Wilayah) -> WilayahQuerySet:
        """The region and everything below it."""
        return self.filter(Q(pk=wilayah.pk) | Q(kode__startswith=f"{wilayah.kode}."))

    def milik(self, user) -> WilayahQuerySet:
        """The regions of the person's kab/kota (or province); all for a superuser."""
        if user.is_superuser:
            return self
        return self.di_dalam(user.daerah) if user.daerah else self.none()

    def kecamatan(self) -> WilayahQuerySet:
        return self.filter(tingkat=Wilayah.Tingkat.KECAMATAN)

    def desa_kelurahan(self) -> WilayahQuerySet:
        return self.filter(tingkat=Wilayah.Tingkat.DESA_KELURAHAN)

    def fasilitas_visible_to(self, user) -> WilayahQuerySet:
        """Units whose facility register the user may read: every kecamatan and kelurahan of
        their city for city-wide roles and agency staff (sector agencies watch their sector
        everywhere); for an area operator their own unit, and a kecamatan's operator its
        kelurahan too."""
        if not user.is_authenticated:
            return self.none()
        units = self.filter(tingkat__in=[Wilayah.Tingkat.KECAMATAN, Wilayah.Tingkat.DESA_KELURAHAN])
        if user.has_perm("agencies.view_seluruh_kota") or user.opd_ids():
            kota = self.dilayani().values("pk") if user.is_superuser else user.daerah_ids()
            return units.filter(Q(induk_id__in=kota) | Q(induk__induk_id__in=kota))
        area = user.wilayah_ids()
        return units.filter(Q(pk__in=area) | Q(induk_id__in=area))

    def dilayani(self) -> WilayahQuerySet:
        """Every kab/kota this installation serves (``Wilayah.dilayani_sejak``)."""
        return self.filter(tingkat=Wilayah.Tingkat.KABKOTA, dilayani_sejak__isnull=False)

    def kabkota_dilayani(self) -> Wilayah | None:
        """The kab/kota of an installation that serves one: the first one served."""
        return self.dilayani().order_by("pk").first()


class Wilayah(models.Model):
    """A region of the Kemendagri tree: PP, PP.KK, PP.KK.CC, PP.KK.CC.DDDD."""

    class Tingkat(models.IntegerChoices):
        PROVINSI = 1, _("Provinsi")
        KABKOTA = 2, _("Kabupaten/Kota")
        KECAMATAN = 3, _("Kecamatan")
        DESA_KELURAHAN = 4, _("Desa/Kelurahan")

    kode = models.CharField(_("kode Kemendagri"), max_length=13, unique=True)
    nama = models.CharField(_("nama"), max_length=120)
    tingkat = models.PositiveSmallIntegerField(_("tingkat"), choices=Tingkat.choices)
    induk = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="anak",
    )
    dilayani_sejak = models.DateField(
        _("dilayani sejak"),
        null=True,
        blank=True,
        help_text=_("Untuk kabupaten/kota: sejak kapan portal ini melayaninya."),
    )

    objects = WilayahQuerySet.as_manager()

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["kode"]
        indexes = [models.Index(fields=["tingkat", "kode"])]

    def __str__(self) -> str:
        if self.tingkat in (self.Tingkat.KECAMATAN, self.Tingkat.DESA_KELURAHAN):
            return f"{self.jenis} {self.nama}"
        return self.nama

    def get_absolute_url(self) -> str:
        return reverse("agencies:wilayah-detail", args=[self.kode])

    @property
    def jenis(self) -> str:
        """Kota or Kabupaten, Kecamatan, Kelurahan, Desa or Desa Adat, as people say it."""
        if self.tingkat == self.Tingkat.KABKOTA:
            return _("Kota") if self.nama.startswith("Kota") else _("Kabupaten")
        if self.tingkat == self.Tingkat.KECAMATAN:
            return _("Kecamatan")
        if self.tingkat == self.Tingkat.DESA_KELURAHAN:
            # In the last part of the code a leading 1 is a kelurahan, 2 a desa, 3 a desa adat.
            return {"1": _("Kelurahan"), "3": _("Desa Adat")}.get(self.kode[9], _("Desa"))
        return _("Provinsi")


class OpdQuerySet(DaerahQuerySet):
    def aktif(self) -> OpdQuerySet:
        return self.filter(aktif=True)

    def berkepala(self) -> OpdQuerySet:
        """Agencies whose head (Peran.KEPALA_OPD) holds the role in the portal today."""
        kepala = Keanggotaan.objects.aktif().filter(peran=Peran.KEPALA_OPD, user__is_active=True)
        return self.filter(pk__in=kepala.values("opd_id"))

    def visible_to(self, user) -> OpdQuerySet:
        """Agencies the user may read: all of their city for city-wide roles, else their own
        agencies."""
        if user.has_perm("agencies.view_seluruh_kota"):
            return self.di_daerah(user)
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(pk__in=user.opd_ids()) | Q(wilayah_id__in=user.kecamatan_ids()))


class Opd(MilikDaerah):
    """An agency or other body that takes part in the KLA task force of one kab/kota."""

    class Jenis(models.TextChoices):
        DINAS = "dinas", _("Dinas")
        BADAN = "badan", _("Badan")
        BAGIAN = "bagian", _("Bagian Sekretariat Daerah")
        SATUAN = "satuan", _("Satuan/kantor/RSUD")
        KECAMATAN = "kecamatan", _("Kecamatan")
        VERTIKAL = "vertikal", _("Instansi vertikal")
        FORUM_ANAK = "forum_anak", _("Forum Anak")
        MASYARAKAT = "masyarakat", _("Lembaga masyarakat")
        DUNIA_USAHA = "dunia_usaha", _("Dunia usaha")
        MEDIA = "media", _("Media")
        LAINNYA = "lainnya", _("Lainnya")

    nama = models.CharField(_("nama"), max_length=200)
    singkatan = models.CharField(
        _("singkatan"), max_length=30, help_text=_("Nama pendek, misalnya Dinkes atau DP3AP2KB.")
    )
    jenis = models.CharField(_("jenis"), max_length=20, choices=Jenis.choices)
    wilayah = models.ForeignKey(
        Wilayah,
        verbose_name=_("wilayah"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opd",
        help_text=_("Untuk kecamatan: kecamatan yang dilayani."),
    )
    aktif = models.BooleanField(_("aktif"), default=True)
    dibuat = models.DateTimeField(auto_now_add=True)
    diubah = models.DateTimeField(auto_now=True)

    objects = OpdQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("OPD")
        verbose_name_plural = _("OPD")
        ordering = ["nama"]
        constraints = [
            models.UniqueConstraint(
                "daerah",
                Lower("singkatan"),
                name="opd_singkatan_unik",
                violation_error_message=_("Singkatan ini sudah dipakai OPD lain."),
            ),
        ]

    def __str__(self) -> str:
        return self.nama

    def get_absolute_url(self) -> str:
        return reverse("agencies:opd-detail", args=[self.pk])


class UserQuerySet(models.QuerySet):
    def visible_to(self, user) -> UserQuerySet:
        """People the user may read: everyone who works or worked in their city for city-wide
        roles, else colleagues and self."""
        if not user.is_authenticated:
            return self.none()
        if user.has_perm("agencies.view_seluruh_kota"):
            if user.is_superuser:
                return self
            di_kota = Keanggotaan.objects.filter(daerah_id__in=user.daerah_ids())
            return self.filter(Q(pk=user.pk) | Q(pk__in=di_kota.values("user_id")))
        colleagues = Keanggotaan.objects.aktif().filter(
            Q(opd_id__in=user.opd_ids()) | Q(wilayah_id__in=user.wilayah_ids())
        )
        return self.filter(Q(pk=user.pk) | Q(pk__in=colleagues.values("user_id"))).distinct()

    def dapat_ditautkan_oleh(self, user) -> UserQuerySet:
        """Active accounts ``user`` may link to a person of a task force: any for the admin and
        the secretariat; for a kecamatan's operator only accounts that work in that kecamatan
        (its office, its area operators, its kelurahan's), never an admin's or a city-wide
        role's; nobody else links accounts."""
        aktif = self.filter(is_active=True)
        if user.has_perm("agencies.kelola_pengguna"):
            return aktif
        kecamatan = user.kecamatan_operator_ids() if user.is_authenticated else set()
        if not kecamatan:
            return self.none()
        bekerja_di = Keanggotaan.objects.aktif().filter(
            Q(wilayah_id__in=kecamatan)
            | Q(wilayah__induk_id__in=kecamatan)
            | Q(opd__jenis=Opd.Jenis.KECAMATAN, opd__wilayah_id__in=kecamatan)
        )
        kota = Keanggotaan.objects.aktif().filter(peran__in=sorted(PERAN_SELURUH_KOTA))
        return aktif.filter(is_superuser=False, pk__in=bekerja_di.values("user_id")).exclude(
            pk__in=kota.values("user_id")
        )


class PortalUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who logs in. What they may do comes from their active memberships."""

    nama_lengkap = models.CharField(_("nama lengkap"), max_length=150)
    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    jabatan = models.CharField(_("jabatan"), max_length=150, blank=True)
    telepon = models.CharField(_("nomor WhatsApp"), max_length=20, blank=True)
    wajib_ganti_sandi = models.BooleanField(
        _("wajib ganti kata sandi"),
        default=False,
        help_text=_("Diminta mengganti kata sandi sementara pada saat masuk berikutnya."),
    )
    is_demo = models.BooleanField(_("akun demo"), default=False)

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        ordering = ["nama_lengkap", "username"]

    def __str__(self) -> str:
        return self.get_full_name()

    def get_full_name(self) -> str:
        return self.nama_lengkap or self.username

    def get_absolute_url(self) -> str:
        return reverse("agencies:pengguna-detail", args=[self.pk])

    @cached_property
    def keanggotaan_aktif(self) -> list[Keanggotaan]:
        """Active memberships, read once per request."""
        if not self.pk:
            return []
        return list(self.keanggotaan.aktif().select_related("opd", "wilayah", "daerah"))

    def peran(self) -> set[str]:
        roles = {k.peran for k in self.keanggotaan_aktif}
        if self.is_superuser:
            roles.add(Peran.ADMIN)
        return roles

    def has_role(self, *roles: str) -> bool:
        return bool(self.peran() & set(roles))

    def opd_ids(self) -> set[int]:
        return {k.opd_id for k in self.keanggotaan_aktif if k.opd_id}

    def daerah_ids(self) -> set[int]:
        """The kab/kota (or province) the person works for today."""
        return {k.daerah_id for k in self.keanggotaan_aktif}

    @cached_property
    def daerah(self) -> Wilayah | None:
        """The kab/kota (or province) the person acts for, whose pages they see and whose
        records they make: their memberships' (the first one's when they have several); a
        superuser without any acts for the first kab/kota served."""
        if self.keanggotaan_aktif:
            return self.keanggotaan_aktif[0].daerah
        if self.is_superuser:
            return Wilayah.objects.kabkota_dilayani()
        return None

    @property
    def daerah_id(self) -> int | None:
        return self.daerah.pk if self.daerah else None

    def wilayah_ids(self) -> set[int]:
        """The kecamatan/kelurahan the person works in as an area operator."""
        return {k.wilayah_id for k in self.keanggotaan_aktif if k.peran == Peran.OPERATOR_WILAYAH}

    def kota_verifikasi_ids(self) -> set[int]:
        """The kab/kota the person verifies for the province."""
        return {
            k.wilayah_id for k in self.keanggotaan_aktif if k.peran == Peran.VERIFIKATOR_PROVINSI
        }

    def kecamatan_operator_ids(self) -> set[int]:
        """Kecamatan the person is the area operator of, at kecamatan level: unlike
        ``kecamatan_ids``, a lurah's parent kecamatan is not theirs to act for."""
        return {
            k.wilayah_id
            for k in self.keanggotaan_aktif
            if k.peran == Peran.OPERATOR_WILAYAH and k.wilayah.tingkat == Wilayah.Tingkat.KECAMATAN
        }

    def kecamatan_ids(self) -> set[int]:
        """Kecamatan the person works in as an area operator (a lurah's is the parent)."""
        ids = set()
        for k in self.keanggotaan_aktif:
            if k.peran == Peran.OPERATOR_WILAYAH:
                is_kecamatan = k.wilayah.tingkat == Wilayah.Tingkat.KECAMATAN
                ids.add(k.wilayah_id if is_kecamatan else k.wilayah.induk_id)
        return ids


class KeanggotaanQuerySet(DaerahQuerySet):
    def aktif(self, pada=None) -> KeanggotaanQuerySet:
        """Memberships in force on a day (today by default)."""
        hari = pada or timezone.localdate()
        return self.filter(mulai__lte=hari).filter(Q(selesai__isnull=True) | Q(selesai__gt=hari))

    def visible_to(self, user) -> KeanggotaanQuerySet:
        """Memberships of the people the user may read; for city-wide roles, in their city."""
        kelihatan = self.filter(user__in=User.objects.visible_to(user))
        if user.has_perm("agencies.view_seluruh_kota"):
            return kelihatan.di_daerah(user)
        return kelihatan


class Keanggotaan(MilikDaerah):
    """A person's role in one agency or one area of a kab/kota, or in the kab/kota as a whole
    (the admin, the leadership), from a date until a date."""

    DAERAH_DARI = ("opd", "wilayah")

    user = models.ForeignKey(
        User, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="keanggotaan"
    )
    peran = models.CharField(_("peran"), max_length=20, choices=Peran.choices)
    opd = models.ForeignKey(
        Opd,
        verbose_name=_("OPD"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="keanggotaan",
    )
    wilayah = models.ForeignKey(
        Wilayah,
        verbose_name=_("kecamatan/kelurahan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="keanggotaan",
    )
    mulai = models.DateField(_("mulai"), default=timezone.localdate)
    selesai = models.DateField(_("selesai"), null=True, blank=True)
    alasan_selesai = models.CharField(_("alasan berakhir"), max_length=255, blank=True)
    dibuat = models.DateTimeField(auto_now_add=True)
    dibuat_oleh = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = KeanggotaanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        ordering = ["-mulai", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(peran__in=sorted(PERAN_OPD)) | Q(opd__isnull=False),
                name="keanggotaan_peran_opd_punya_opd",
            ),
            models.CheckConstraint(
                condition=~Q(peran=Peran.OPERATOR_WILAYAH) | Q(wilayah__isnull=False),
                name="keanggotaan_operator_wilayah_punya_wilayah",
            ),
            models.CheckConstraint(
                condition=Q(selesai__isnull=True) | Q(selesai__gte=models.F("mulai")),
                name="keanggotaan_selesai_setelah_mulai",
            ),
            # One open membership per person, role and unit, even with two submits at once.
            models.UniqueConstraint(
                models.F("user"),
                models.F("peran"),
                models.F("daerah"),
                Coalesce("opd", models.Value(0)),
                Coalesce("wilayah", models.Value(0)),
                condition=Q(selesai__isnull=True),
                name="keanggotaan_terbuka_unik",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_peran_display()} {self.unit or ''}".strip()

    @property
    def unit(self) -> Opd | Wilayah | None:
        """The agency or area this membership is in."""
        return self.opd or self.wilayah

    @property
    def berakhir(self) -> bool:
        return self.selesai is not None and self.selesai <= timezone.localdate()


JUDUL_MAKS = 255


def satu_baris(judul: str) -> str:
    """A notice's title as a notification and an e-mail subject hold it: a reason typed over
    several lines, or a long one, must not break the subject or the title's column. One line,
    cut to fit (the whole text is on the linked page)."""
    judul = " ".join(judul.split())
    if len(judul) > JUDUL_MAKS:
        judul = judul[: JUDUL_MAKS - 1].rstrip() + "…"
    return judul


class NotifikasiQuerySet(models.QuerySet):
    def terbuka(self) -> NotifikasiQuerySet:
        """What the bell counts: neither read nor done."""
        return self.filter(dibaca__isnull=True, selesai__isnull=True)


class Notifikasi(models.Model):
    """A message in the portal for one person (also e-mailed when they have an address).

    A notice about a record's workflow (an answer or a RAD report waiting for someone, or
    returned) links to that record and is a to-do: it is done (``selesai``) as soon as the
    record moves on (clusters.alur.jalankan), whoever moved it, and the bell stops counting it.
    """

    penerima = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifikasi")
    judul = models.CharField(_("judul"), max_length=JUDUL_MAKS)  # in Indonesian, as e-mailed
    # The words as the code wrote them and their values ({"m": msgid, "isi": {...}}), so that
    # each reader sees the notice in their own language (``teks``).
    pesan = models.JSONField(null=True, blank=True)
    tautan = models.CharField(_("tautan"), max_length=300, blank=True)
    dibuat = models.DateTimeField(auto_now_add=True)
    dibaca = models.DateTimeField(null=True, blank=True)
    selesai = models.DateTimeField(_("selesai"), null=True, blank=True)

    objects = NotifikasiQuerySet.as_manager()

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-dibuat", "-pk"]
        indexes = [
            models.Index(fields=["penerima", "dibaca"]),
            models.Index(
                fields=["tautan"], condition=Q(selesai__isnull=True), name="notifikasi_terbuka"
            ),
        ]

    def __str__(self) -> str:
        return self.judul

    @property
    def terbuka(self) -> bool:
        return self.dibaca is None and self.selesai is None

    @property
    def teks(self) -> str:
        """The notice in the reader's language (its Indonesian title when it has no words kept,
        or they no longer fit their values)."""
        if self.pesan:
            try:
                return satu_baris(gettext(self.pesan["m"]) % self.pesan["isi"])
            except (KeyError, TypeError, ValueError):
                pass
        return self.judul


class TokenApiQuerySet(models.QuerySet):
    def visible_to(self, user) -> TokenApiQuerySet:
        """A person's own tokens only: nobody else sees or revokes them, an admin neither
        (deactivating the account stops all of its tokens)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def berlaku(self) -> TokenApiQuerySet:
        """Neither revoked nor expired."""
        return self.filter(dicabut__isnull=True).filter(
            Q(kedaluwarsa__isnull=True) | Q(kedaluwarsa__gt=timezone.now())
        )


class TokenApi(models.Model):
    """A personal token for the REST API (``Authorization: Bearer kla_<awalan>_<rahasia>``).

    Only the SHA-256 of the whole token is kept; the token is shown once, when it is made
    (agencies.services.token_buat). ``awalan`` finds the row and is shown in lists. A system's
    token is the token of an account made for that system on the people pages, with its role.
    """

    class Akses(models.TextChoices):
        BACA = "baca", _("Hanya baca")
        TULIS = "tulis", _("Baca dan tulis")

    user = models.ForeignKey(
        User, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="token_api"
    )
    nama = models.CharField(_("nama"), max_length=100)
    awalan = models.CharField(_("awalan"), max_length=16, unique=True)
    hash = models.CharField(max_length=64)
    akses = models.CharField(_("akses"), max_length=5, choices=Akses.choices)
    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)
    terakhir_dipakai = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    kedaluwarsa = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)
    dicabut = models.DateTimeField(_("dicabut"), null=True, blank=True)
    dicabut_oleh = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TokenApiQuerySet.as_manager()

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-dibuat", "-pk"]

    def __str__(self) -> str:
        return f"{self.nama} (kla_{self.awalan}_…)"

    @property
    def kedaluwarsa_lewat(self) -> bool:
        return self.kedaluwarsa is not None and self.kedaluwarsa <= timezone.now()

    @property
    def berlaku(self) -> bool:
        return self.dicabut is None and not self.kedaluwarsa_lewat

    @property
    def keadaan(self) -> str:
        if self.dicabut is not None:
            return gettext("Dicabut")
        if self.kedaluwarsa_lewat:
            return gettext("Kedaluwarsa")
        return gettext("Aktif")


# The task force and the sub-district facilities, in modules of their own (see their docstrings).
from agencies.fasilitas import Fasilitas, JenisFasilitas, StatusFasilitas  # noqa: E402, F401
from agencies.gugus_tugas import (  # noqa: E402, F401
    AnggotaGugusTugas,
    GugusTugas,
    PelatihanKha,
    Personil,
    SkGugusTugas,
    SubTim,
)
