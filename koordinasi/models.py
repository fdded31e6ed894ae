"""Coordination meetings (rakor) of a task force, who was invited and who came, the minutes,
and the decisions that become follow-up actions with an owner agency and a due date.

Meetings also reach people's own calendars through secret ICS addresses (TokenKalender).
"""

from __future__ import annotations

import datetime
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import MD5
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.daerah import DaerahQuerySet, MilikDaerah
from agencies.models import GugusTugas, Opd, Personil
from kla_portal import models as kla_models
from kla_portal.berkas import lokasi_berkas


def opd_kerja(user) -> set[int]:
    """The agencies a person acts for: their own, and for a kecamatan's area operator the
    office of that kecamatan (the body invited to meetings). A lurah does not act for the
    kecamatan office: only what they are invited to themselves is theirs."""
    ids = set(user.opd_ids())
    kecamatan = user.kecamatan_operator_ids()
    if kecamatan:
        ids |= set(
            Opd.objects.filter(jenis=Opd.Jenis.KECAMATAN, wilayah_id__in=kecamatan).values_list(
                "pk", flat=True
            )
        )
    return ids


class RapatQuerySet(DaerahQuerySet):
    def visible_to(self, user) -> RapatQuerySet:
        """Every meeting for city-wide roles; otherwise the meetings the person's agency (or,
        for a kecamatan's operator, the kecamatan office) or the person themselves is invited
        to, and a kecamatan operator's those of their kecamatan's own task force. A lurah sees
        only what they are invited to."""
        if user.has_perm("agencies.view_seluruh_kota"):
            return self.di_daerah(user)
        if not user.is_authenticated:
            return self.none()
        condition = (
            Q(undangan__opd_id__in=opd_kerja(user))
            | Q(undangan__personil__user=user)
            | Q(gugus_tugas__wilayah_id__in=user.kecamatan_operator_ids())
        )
        return self.filter(pk__in=Rapat.objects.filter(condition).values("pk"))

    def untuk_opd(self, opd: Opd) -> RapatQuerySet:
        return self.filter(pk__in=Rapat.objects.filter(undangan__opd=opd).values("pk"))


class Rapat(MilikDaerah):
    """A coordination meeting of a task force."""

    DAERAH_DARI = ("gugus_tugas",)

    class Status(models.TextChoices):
        DIJADWALKAN = "dijadwalkan", _("Dijadwalkan")
        TERLAKSANA = "terlaksana", _("Terlaksana")
        DIBATALKAN = "dibatalkan", _("Dibatalkan")

    gugus_tugas = models.ForeignKey(
        GugusTugas, verbose_name=_("Gugus Tugas"), on_delete=models.PROTECT, related_name="rapat"
    )
    judul = models.CharField(_("judul"), max_length=200)
    mulai = models.DateTimeField(_("mulai"), db_index=True)
    selesai = models.DateTimeField(_("selesai"))
    tempat = models.CharField(_("tempat"), max_length=200, blank=True)
    tautan_daring = models.URLField(
        _("tautan rapat daring"), blank=True, help_text=_("Zoom, Google Meet, dan sebagainya.")
    )
    agenda = models.TextField(_("agenda"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DIJADWALKAN
    )
    alasan_batal = models.CharField(_("alasan dibatalkan"), max_length=255, blank=True)
    notulen = models.TextField(_("notulen"), blank=True)
    notulen_berkas = models.FileField(
        _("berkas notulen"), upload_to=lokasi_berkas, max_length=255, blank=True
    )
    notulen_berkas_nama = models.CharField(max_length=255, blank=True)
    # The event's identity and revision in people's calendars (RFC 5545 UID and SEQUENCE).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    urutan_ics = models.PositiveIntegerField(default=0)
    versi = models.PositiveIntegerField(default=1)
    pengingat_terkirim = models.DateTimeField(null=True, blank=True)
    dibuat = models.DateTimeField(auto_now_add=True)
    diubah = models.DateTimeField(auto_now=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    diubah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RapatQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rapat koordinasi")
        verbose_name_plural = _("rapat koordinasi")
        ordering = ["mulai", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(selesai__gt=models.F("mulai")), name="rapat_selesai_setelah_mulai"
            ),
            # One meeting per title and start, even with two submits at once; a cancelled one
            # may be scheduled again.
            models.UniqueConstraint(
                fields=["gugus_tugas", "judul", "mulai"],
                condition=~Q(status="dibatalkan"),
                name="rapat_sekali",
            ),
        ]

    def __str__(self) -> str:
        return self.judul

    def get_absolute_url(self) -> str:
        return reverse("koordinasi:rapat-detail", args=[self.pk])

    @property
    def mulai_lokal(self) -> datetime.datetime:
        return timezone.localtime(self.mulai)

    @property
    def sudah_mulai(self) -> bool:
        return self.mulai <= timezone.now()


class Undangan(MilikDaerah):
    """An agency, or one person of it, invited to a meeting, and whether they came."""

    DAERAH_DARI = ("rapat",)

    class Kehadiran(models.TextChoices):
        BELUM = "belum", _("Belum dicatat")
        HADIR = "hadir", _("Hadir sendiri")
        DIWAKILI = "diwakili", _("Diwakili")
        TIDAK_HADIR = "tidak_hadir", _("Tidak hadir")

    rapat = models.ForeignKey(Rapat, on_delete=models.CASCADE, related_name="undangan")
    opd = models.ForeignKey(
        Opd, verbose_name=_("lembaga"), on_delete=models.PROTECT, related_name="undangan_rapat"
    )
    personil = models.ForeignKey(
        Personil,
        verbose_name=_("orang yang diundang"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="undangan_rapat",
    )
    kehadiran = models.CharField(
        _("kehadiran"), max_length=12, choices=Kehadiran.choices, default=Kehadiran.BELUM
    )
    diwakili_oleh = models.CharField(
        _("diwakili oleh"), max_length=200, blank=True, help_text=_("Nama dan jabatan wakil.")
    )
    catatan = models.CharField(_("catatan"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("undangan rapat")
        verbose_name_plural = _("undangan rapat")
        ordering = ["rapat", "opd__nama", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rapat", "opd"],
                condition=Q(personil__isnull=True),
                name="undangan_opd_sekali",
            ),
            models.UniqueConstraint(
                fields=["rapat", "personil"],
                condition=Q(personil__isnull=False),
                name="undangan_personil_sekali",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.personil or self.opd} · {self.rapat}"


class TindakLanjutQuerySet(DaerahQuerySet):
    def visible_to(self, user) -> TindakLanjutQuerySet:
        """Every follow-up for city-wide roles; an agency's own (the ones it owns)."""
        if user.has_perm("agencies.view_seluruh_kota"):
            return self.di_daerah(user)
        if not user.is_authenticated:
            return self.none()
        return self.filter(opd_id__in=opd_kerja(user))

    def terbuka(self) -> TindakLanjutQuerySet:
        return self.exclude(status=TindakLanjut.Status.SELESAI)

    def lewat_tenggat(self, hari_ini=None) -> TindakLanjutQuerySet:
        return self.terbuka().filter(tenggat__lt=hari_ini or timezone.localdate())


class TindakLanjut(MilikDaerah):
    """A decision of a meeting that an agency must carry out by a date, with its evidence."""

    DAERAH_DARI = ("rapat",)

    class Status(models.TextChoices):
        TERBUKA = "terbuka", _("Belum dikerjakan")
        BERJALAN = "berjalan", _("Sedang dikerjakan")
        SELESAI = "selesai", _("Selesai")

    rapat = models.ForeignKey(Rapat, on_delete=models.PROTECT, related_name="tindak_lanjut")
    keputusan = models.TextField(_("keputusan/tindak lanjut"))
    opd = models.ForeignKey(
        Opd,
        verbose_name=_("OPD penanggung jawab"),
        on_delete=models.PROTECT,
        related_name="tindak_lanjut",
    )
    tenggat = models.DateField(_("tenggat"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.TERBUKA
    )
    selesai_pada = models.DateField(_("selesai pada"), null=True, blank=True)
    hasil = models.TextField(
        _("hasil dan bukti"), blank=True, help_text=_("Apa yang sudah dikerjakan, dengan buktinya.")
    )
    alasan_dibuka = models.CharField(
        _("alasan dibuka kembali"),
        max_length=255,
        blank=True,
        help_text=_("Mengapa Sekretariat membuka kembali tindak lanjut yang sudah selesai."),
    )
    versi = models.PositiveIntegerField(default=1)
    diingatkan = models.DateField(null=True, blank=True)
    dibuat = models.DateTimeField(auto_now_add=True)
    diubah = models.DateTimeField(auto_now=True)
    diubah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TindakLanjutQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        ordering = ["tenggat", "pk"]
        constraints = [
            # One decision per agency in a meeting, even with two submits at once (the text
            # by its hash: a long decision would not fit an index).
            models.UniqueConstraint("rapat", "opd", MD5("keputusan"), name="tindak_lanjut_sekali"),
        ]

    def __str__(self) -> str:
        return self.keputusan[:80]

    def get_absolute_url(self) -> str:
        return reverse("koordinasi:tindak-lanjut-detail", args=[self.pk])

    @property
    def lewat_tenggat(self) -> bool:
        return self.status != self.Status.SELESAI and self.tenggat < timezone.localdate()

    @property
    def tepat_waktu(self) -> bool:
        return self.status == self.Status.SELESAI and self.selesai_pada <= self.tenggat


class LampiranTindakLanjut(MilikDaerah, kla_models.Lampiran):
    """Evidence of a follow-up, checked and served like answers' evidence (kla_portal.berkas)."""

    DAERAH_DARI = ("tindak_lanjut",)

    URL_UNDUH = "koordinasi:lampiran-unduh"

    tindak_lanjut = models.ForeignKey(
        TindakLanjut, on_delete=models.PROTECT, related_name="lampiran"
    )

    class Meta(kla_models.Lampiran.Meta):
        verbose_name = _("bukti tindak lanjut")
        verbose_name_plural = _("bukti tindak lanjut")


def token_baru() -> str:
    return secrets.token_urlsafe(24)


class TokenKalender(models.Model):
    """The secret address of a calendar feed, always one person's: their own calendar, or the
    calendar of an agency they belong to (``opd``). Whoever holds the address reads the feed
    (calendar apps cannot log in), so it is checked when fetched: the person's account is
    active and, for an agency's calendar, they still belong to that agency. It can be
    replaced at any time."""

    token = models.CharField(max_length=64, unique=True, default=token_baru)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="token_kalender"
    )
    opd = models.ForeignKey(
        Opd, null=True, blank=True, on_delete=models.CASCADE, related_name="token_kalender"
    )
    # When this address was made; a new one (Buat alamat baru) replaces it and the time.
    berlaku_sejak = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("alamat kalender")
        verbose_name_plural = _("alamat kalender")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(opd__isnull=True), name="token_kalender_pribadi"
            ),
            models.UniqueConstraint(
                fields=["user", "opd"], condition=Q(opd__isnull=False), name="token_kalender_opd"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.opd.singkatan}" if self.opd_id else str(self.user)

    def get_absolute_url(self) -> str:
        return reverse("koordinasi:ics", args=[self.token])
