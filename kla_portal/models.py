"""Background work a person started and waits for (a large import, a PDF bundle), the keys
that make every write form send its data once (KunciKirim, below), and what every evidence
record shares (Lampiran, abstract).

A Celery task reports its step and percentage here; the page that started it polls the job
(htmx) and shows a progress bar, then the result or a clear message. The person can ask to
cancel; the task sees it at its next report and stops.

A running task beats: it writes ``detak`` at each report and from a helper thread every few
seconds (kla_portal.pekerjaan.berdetak). A job whose beat stopped has lost its worker (killed,
machine gone, database restarted under it); ``PekerjaanQuerySet.mati`` is the one rule that
says so, read by the job page, by "one build at a time" and by the sweep that marks them.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kla_portal.berkas import lokasi_berkas


class PekerjaanQuerySet(models.QuerySet):
    def belum_berakhir(self):
        return self.exclude(status__in=Pekerjaan.SELESAI_SEMUA)

    def mati(self, *, sekarang: datetime.datetime | None = None):
        """Jobs not ended whose worker is gone. A running job: no beat for
        PEKERJAAN_BATAS_DETAK seconds. A queued job: waiting PEKERJAAN_BATAS_ANTRE seconds
        while no job queued before it is still beating (behind a live 20-minute bundle it is
        waiting its turn, not dead; with nothing alive ahead, its message or every worker is
        lost)."""
        sekarang = sekarang or timezone.now()
        batas_detak = sekarang - datetime.timedelta(seconds=settings.PEKERJAAN_BATAS_DETAK)
        batas_antre = sekarang - datetime.timedelta(seconds=settings.PEKERJAAN_BATAS_ANTRE)
        hidup_di_depan = Pekerjaan.objects.filter(
            status=Pekerjaan.Status.BERJALAN, detak__gte=batas_detak, dibuat__lt=OuterRef("dibuat")
        )
        return self.annotate(
            _detak=Coalesce("detak", "mulai", "dibuat"), _ada_di_depan=Exists(hidup_di_depan)
        ).filter(
            Q(status=Pekerjaan.Status.BERJALAN, _detak__lt=batas_detak)
            | Q(status=Pekerjaan.Status.ANTRE, dibuat__lt=batas_antre, _ada_di_depan=False)
        )

    def hidup(self, *, sekarang: datetime.datetime | None = None):
        """Jobs not ended whose worker is (or may still be) at them."""
        return self.belum_berakhir().exclude(pk__in=self.mati(sekarang=sekarang).values("pk"))


class Pekerjaan(models.Model):
    class Status(models.TextChoices):
        ANTRE = "antre", _("Menunggu giliran")
        BERJALAN = "berjalan", _("Sedang dikerjakan")
        SELESAI = "selesai", _("Selesai")
        GAGAL = "gagal", _("Gagal")
        DIBATALKAN = "dibatalkan", _("Dibatalkan")

    SELESAI_SEMUA = frozenset({Status.SELESAI, Status.GAGAL, Status.DIBATALKAN})

    jenis = models.CharField(_("jenis"), max_length=40)
    judul = models.CharField(_("judul"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ANTRE
    )
    langkah = models.CharField(_("langkah"), max_length=200, blank=True)
    persen = models.PositiveSmallIntegerField(_("persen"), default=0)
    pesan = models.TextField(_("pesan"), blank=True)
    hasil = models.JSONField(_("hasil"), default=dict, blank=True)
    minta_batal = models.BooleanField(default=False)
    detak = models.DateTimeField(_("detak terakhir"), null=True, blank=True)
    task_id = models.CharField(max_length=155, blank=True)
    # What starting the same job again needs (its kind's ``ulangi`` reads it).
    parameter = models.JSONField(default=dict, blank=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pekerjaan"
    )
    dibuat = models.DateTimeField(auto_now_add=True)
    mulai = models.DateTimeField(null=True, blank=True)
    selesai = models.DateTimeField(null=True, blank=True)

    objects = PekerjaanQuerySet.as_manager()

    class Meta:
        verbose_name = _("pekerjaan latar")
        verbose_name_plural = _("pekerjaan latar")
        ordering = ["-dibuat"]

    def __str__(self) -> str:
        return f"{self.judul} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("pekerjaan", args=[self.pk])

    @property
    def berakhir(self) -> bool:
        return self.status in self.SELESAI_SEMUA

    @property
    def detak_terakhir(self) -> datetime.datetime:
        return self.detak or self.mulai or self.dibuat

    @property
    def mati(self) -> bool:
        return Pekerjaan.objects.filter(pk=self.pk).mati().exists()

    @property
    def dapat_diulang(self) -> bool:
        """Failed, and it kept what starting it again needs (the "Coba lagi" button)."""
        return self.status == self.Status.GAGAL and bool(self.parameter)

    @property
    def terlambat(self) -> bool:
        """Running, and its beat is late (two beats missed) though not yet judged dead."""
        if self.status != self.Status.BERJALAN:
            return False
        telat = datetime.timedelta(seconds=2 * settings.PEKERJAAN_DETAK_SETIAP)
        return self.detak_terakhir < timezone.now() - telat


class KunciKirim(models.Model):
    """One write a person sent, by the one-time key its form carried (kla_portal.kirim_sekali):
    a second arrival of the same key (a retry after a lost response, a re-post on reload or
    after "back") is answered from here instead of being saved again. Keyed by person and key,
    so the API's Idempotency-Key can use the same store."""

    class Status(models.TextChoices):
        DIPROSES = "diproses", _("Sedang diproses")
        SELESAI = "selesai", _("Selesai")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kunci_kirim"
    )
    kunci = models.CharField(_("kunci"), max_length=64)
    jalur = models.CharField(_("alamat yang dikirimi"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DIPROSES
    )
    # Where the first successful write sent the person (its Post/Redirect/Get location).
    lokasi = models.TextField(_("diarahkan ke"), blank=True)
    # The API's Idempotency-Key: a fingerprint of the request (the same key with another
    # request is refused) and the first answer, sent again to a repeat (kla_portal.api).
    sidik = models.CharField(_("sidik permintaan"), max_length=64, blank=True)
    respons = models.JSONField(_("jawaban pertama"), null=True, blank=True)
    mulai = models.DateTimeField(_("mulai"), default=timezone.now, db_index=True)
    selesai = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("kunci kirim")
        verbose_name_plural = _("kunci kirim")
        constraints = [
            models.UniqueConstraint(fields=["user", "kunci"], name="kunci_kirim_sekali"),
        ]

    def __str__(self) -> str:
        return f"{self.kunci} ({self.get_status_display()})"


class Lampiran(models.Model):
    """An evidence file and what was read when it was checked (kla_portal.berkas.periksa_berkas):
    the evidence of answers, of quarterly reports and of follow-ups. Stored by
    kla_portal.berkas.simpan_lampiran, served only through a view that checks who asks
    (kla_portal.berkas.respons_unduh). A child sets its parent, ``URL_UNDUH`` (the download's
    URL name) and, when its files live elsewhere, its own ``berkas`` field."""

    URL_UNDUH = ""

    berkas = models.FileField(upload_to=lokasi_berkas, max_length=255)
    nama_asli = models.CharField(_("nama berkas"), max_length=255)
    jenis = models.CharField(_("jenis"), max_length=100)
    ukuran = models.PositiveBigIntegerField(_("ukuran (bita)"))
    sha256 = models.CharField(max_length=64)
    diunggah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    diunggah = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["diunggah", "pk"]

    def __str__(self) -> str:
        return self.nama_asli

    def get_absolute_url(self) -> str:
        return reverse(self.URL_UNDUH, args=[self.pk])
