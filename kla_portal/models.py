"""Background work a person started and waits for (a large import, a PDF bundle), and the
keys that make every write form send its data once (KunciKirim, below).

A Celery task reports its step and percentage here; the page that started it polls the job
(htmx) and shows a progress bar, then the result or a clear message. The person can ask to
cancel; the task sees it at its next report and stops.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pekerjaan"
    )
    dibuat = models.DateTimeField(auto_now_add=True)
    mulai = models.DateTimeField(null=True, blank=True)
    selesai = models.DateTimeField(null=True, blank=True)

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
