"""The KLA task force (Gugus Tugas): its decrees, structure, members and their KHA training.

A task force belongs to the city or to one kecamatan. Its decree (SK) is revised often; each
decree is kept with the one that replaced it. Members are people (Personil), whether they log
in or not: agency heads and technical staff, community organisations, business, media and the
adults who accompany the Forum Anak. What is asked of a member (leadership or technical staff)
and whether they were trained in the Convention on the Rights of the Child (KHA) is what the
studies found missing, so both are recorded here.

Imported by agencies.models; foreign keys name their models as strings so that this module
never imports models.py (which imports it).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from agencies.daerah import DaerahQuerySet, MilikDaerah
from kla_portal.berkas import lokasi_berkas

# The minimum structure (Permen PPPA 12/2022): Kelembagaan and the five clusters. Stored as
# data (names in Indonesian, as in the decree); a task force may add sub-teams of its own.
SUB_TIM_BAKU = [
    "Kelembagaan",
    "Klaster I: Hak Sipil dan Kebebasan",
    "Klaster II: Lingkungan Keluarga dan Pengasuhan Alternatif",
    "Klaster III: Kesehatan Dasar dan Kesejahteraan",
    "Klaster IV: Pendidikan, Waktu Luang dan Budaya",
    "Klaster V: Perlindungan Khusus",
]


# Stored as the portal's own (Indonesian) words, whatever language the person reads it in.
NAMA_PELATIHAN_KHA = "Pelatihan Konvensi Hak Anak (KHA)"


class GugusTugasQuerySet(DaerahQuerySet):
    def kota(self, daerah_id: int | None) -> GugusTugas | None:
        """The task force of a kab/kota (one query)."""
        return self.filter(wilayah_id=daerah_id).first()

    def visible_to(self, user) -> GugusTugasQuerySet:
        """Task forces the user may read: every one for city-wide roles; for others the
        city's and their own kecamatan's: a kecamatan operator's, a lurah's kecamatan (to read
        who sits on it), the kecamatan a kecamatan office serves. Another kecamatan's task
        force, its members and its decrees are not theirs to read."""
        if user.has_perm("agencies.view_seluruh_kota"):
            return self.di_daerah(user)
        if not user.is_authenticated:
            return self.none()
        from agencies.models import Opd, Wilayah

        kecamatan = user.kecamatan_ids() | {
            k.opd.wilayah_id
            for k in user.keanggotaan_aktif
            if k.opd_id and k.opd.jenis == Opd.Jenis.KECAMATAN and k.opd.wilayah_id
        }
        return self.filter(
            Q(wilayah__tingkat=Wilayah.Tingkat.KABKOTA) | Q(wilayah_id__in=kecamatan),
            daerah_id__in=user.daerah_ids(),
        )


class GugusTugas(MilikDaerah):
    """The task force of the kab/kota or of one kecamatan."""

    DAERAH_DARI = ("wilayah",)

    wilayah = models.OneToOneField(
        "agencies.Wilayah",
        verbose_name=_("wilayah"),
        on_delete=models.PROTECT,
        related_name="gugus_tugas",
    )
    nama = models.CharField(_("nama"), max_length=200)
    target_rapat_per_bulan = models.PositiveSmallIntegerField(
        _("target rapat koordinasi per bulan"),
        default=1,
        help_text=_("Kajian KLA menyarankan sedikitnya satu rapat koordinasi setiap bulan."),
    )
    dibuat = models.DateTimeField(auto_now_add=True)

    objects = GugusTugasQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Gugus Tugas KLA")
        verbose_name_plural = _("Gugus Tugas KLA")
        ordering = ["wilayah__kode"]

    def __str__(self) -> str:
        return self.nama


class SkGugusTugasQuerySet(DaerahQuerySet):
    def berlaku(self, pada=None) -> SkGugusTugas | None:
        """The decree in force on a day (today by default): the latest that has started. A
        decree recorded ahead of its start is not in force yet."""
        hari = pada or timezone.localdate()
        return self.filter(berlaku_mulai__lte=hari).order_by("-berlaku_mulai", "-pk").first()


class SkGugusTugas(MilikDaerah):
    """A decree (SK) that forms or revises a task force, from a date, until replaced."""

    DAERAH_DARI = ("gugus_tugas",)

    gugus_tugas = models.ForeignKey(GugusTugas, on_delete=models.CASCADE, related_name="sk")
    nomor = models.CharField(_("nomor SK"), max_length=150)
    tanggal = models.DateField(_("tanggal SK"))
    berlaku_mulai = models.DateField(_("berlaku mulai"))
    berkas = models.FileField(_("berkas SK"), upload_to=lokasi_berkas, max_length=255, blank=True)
    berkas_nama = models.CharField(max_length=255, blank=True)
    diganti_oleh = models.OneToOneField(
        "self",
        verbose_name=_("diganti oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="menggantikan",
    )
    dibuat = models.DateTimeField(auto_now_add=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SkGugusTugasQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("SK Gugus Tugas")
        verbose_name_plural = _("SK Gugus Tugas")
        ordering = ["-berlaku_mulai", "-pk"]

    def __str__(self) -> str:
        return self.nomor


class SubTim(MilikDaerah):
    """A sub-team of the task force: Kelembagaan or one cluster."""

    DAERAH_DARI = ("gugus_tugas",)

    gugus_tugas = models.ForeignKey(GugusTugas, on_delete=models.CASCADE, related_name="sub_tim")
    nama = models.CharField(_("nama"), max_length=150)
    urutan = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("sub-tim")
        verbose_name_plural = _("sub-tim")
        ordering = ["gugus_tugas", "urutan", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["gugus_tugas", "nama"], name="sub_tim_nama_unik")
        ]

    def __str__(self) -> str:
        return self.nama


class PersonilQuerySet(DaerahQuerySet):
    def visible_to(self, user) -> PersonilQuerySet:
        """People the user may read: everyone for city-wide roles; for others the people who
        hold (or held) a seat on a task force they may read, and their own agencies' people."""
        if user.has_perm("agencies.view_seluruh_kota"):
            return self.di_daerah(user)
        if not user.is_authenticated:
            return self.none()
        kursi = AnggotaGugusTugas.objects.filter(
            gugus_tugas__in=GugusTugas.objects.visible_to(user)
        )
        return self.filter(Q(pk__in=kursi.values("personil_id")) | Q(opd_id__in=user.opd_ids()))


class Personil(MilikDaerah):
    """A person who sits on a task force or is invited to its meetings.

    For the Forum Anak, record the adult who accompanies it: the portal keeps no personal data
    of children.
    """

    DAERAH_DARI = ("opd",)

    nama = models.CharField(_("nama"), max_length=150)
    jabatan = models.CharField(_("jabatan"), max_length=150, blank=True)
    opd = models.ForeignKey(
        "agencies.Opd",
        verbose_name=_("lembaga"),
        on_delete=models.PROTECT,
        related_name="personil",
        help_text=_("OPD, lembaga masyarakat, dunia usaha, media atau Forum Anak."),
    )
    email = models.EmailField(_("email"), blank=True)
    telepon = models.CharField(_("nomor WhatsApp"), max_length=20, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun portal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="personil",
    )
    dibuat = models.DateTimeField(auto_now_add=True)

    objects = PersonilQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("personil")
        verbose_name_plural = _("personil")
        ordering = ["nama", "pk"]

    def __str__(self) -> str:
        return self.nama


class AnggotaQuerySet(DaerahQuerySet):
    def aktif(self, pada=None) -> AnggotaQuerySet:
        """Seats held on a day (today by default)."""
        hari = pada or timezone.localdate()
        return self.filter(mulai__lte=hari).filter(Q(selesai__isnull=True) | Q(selesai__gt=hari))

    def dengan_terlatih(self) -> AnggotaQuerySet:
        """Each seat with ``terlatih``: whether any KHA training is recorded for its person."""
        pelatihan = PelatihanKha.objects.filter(personil=OuterRef("personil_id"))
        return self.annotate(terlatih=Exists(pelatihan))


class AnggotaGugusTugas(MilikDaerah):
    """A person's seat on a task force: their position, sub-team and kind of member."""

    DAERAH_DARI = ("gugus_tugas",)

    class Jabatan(models.TextChoices):
        KETUA = "ketua", _("Ketua")
        WAKIL_KETUA = "wakil_ketua", _("Wakil ketua")
        SEKRETARIS = "sekretaris", _("Sekretaris")
        KOORDINATOR = "koordinator", _("Koordinator sub-tim")
        ANGGOTA = "anggota", pgettext_lazy("kedudukan", "Anggota")

    class Unsur(models.TextChoices):
        PIMPINAN = "pimpinan", _("Pimpinan")
        TEKNIS = "teknis", _("Staf teknis")

    gugus_tugas = models.ForeignKey(GugusTugas, on_delete=models.CASCADE, related_name="anggota")
    personil = models.ForeignKey(
        Personil, verbose_name=_("personil"), on_delete=models.PROTECT, related_name="kursi"
    )
    jabatan = models.CharField(
        _("kedudukan"), max_length=20, choices=Jabatan.choices, default=Jabatan.ANGGOTA
    )
    sub_tim = models.ForeignKey(
        SubTim,
        verbose_name=_("sub-tim"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="anggota",
    )
    unsur = models.CharField(_("unsur"), max_length=10, choices=Unsur.choices)
    sk = models.ForeignKey(
        SkGugusTugas,
        verbose_name=_("ditetapkan dengan SK"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="anggota",
    )
    mulai = models.DateField(_("mulai"), default=timezone.localdate)
    selesai = models.DateField(_("selesai"), null=True, blank=True)
    alasan_selesai = models.CharField(_("alasan berakhir"), max_length=255, blank=True)

    objects = AnggotaQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("anggota Gugus Tugas")
        verbose_name_plural = _("anggota Gugus Tugas")
        ordering = ["gugus_tugas", "sub_tim__urutan", "jabatan", "personil__nama"]
        constraints = [
            # One open seat per person in one task force, even with two submits at once.
            models.UniqueConstraint(
                fields=["gugus_tugas", "personil"],
                condition=Q(selesai__isnull=True),
                name="anggota_gugus_tugas_terbuka_unik",
            ),
            models.CheckConstraint(
                condition=Q(selesai__isnull=True) | Q(selesai__gte=models.F("mulai")),
                name="anggota_gugus_tugas_selesai_setelah_mulai",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.personil} — {self.get_jabatan_display()}"


class PelatihanKha(MilikDaerah):
    """A KHA (Convention on the Rights of the Child) training a person completed."""

    DAERAH_DARI = ("personil",)

    personil = models.ForeignKey(Personil, on_delete=models.CASCADE, related_name="pelatihan")
    nama = models.CharField(_("nama pelatihan"), max_length=200, default=NAMA_PELATIHAN_KHA)
    tanggal = models.DateField(_("tanggal"))
    penyelenggara = models.CharField(
        _("penyelenggara"),
        max_length=200,
        help_text=_("Misalnya KemenPPPA, DP3A Provinsi Banten, atau DP3AP2KB Kota."),
    )
    sertifikat = models.FileField(
        _("sertifikat"), upload_to=lokasi_berkas, max_length=255, blank=True
    )
    sertifikat_nama = models.CharField(max_length=255, blank=True)
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    dibuat = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pelatihan KHA")
        verbose_name_plural = _("pelatihan KHA")
        ordering = ["-tanggal", "-pk"]

    def __str__(self) -> str:
        return f"{self.personil} · {self.nama} ({self.tanggal:%d/%m/%Y})"
