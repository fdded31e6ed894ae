"""Reports for people outside the portal: the evaluation bundle for KemenPPPA.

A bundle is built by a worker (kla_portal.Pekerjaan reports its progress) and kept: who built
it, when, its size, pages and SHA-256 checksum, the totals it prints and the evidence it could
not include. The file is served only through a permission-checked view.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agencies.daerah import DaerahQuerySet, MilikDaerah
from clusters.models import TahunEvaluasi
from kla_portal.models import Pekerjaan


def lokasi_bundel(bundel: Bundel, nama: str) -> str:
    # A random stored name: the download gives the file its readable name.
    return f"laporan/bundel/{bundel.tahun.tahun}/{uuid.uuid4().hex}.{bundel.jenis}"


class BundelQuerySet(DaerahQuerySet):
    def belum_selesai(self) -> BundelQuerySet:
        return self.exclude(pekerjaan__status__in=Pekerjaan.SELESAI_SEMUA)

    def visible_to(self, user) -> BundelQuerySet:
        """The bundles of the person's city, for those who may download bundles."""
        if not user.has_perm("laporan.unduh_bundel"):
            return self.none()
        return self.di_daerah(user)

    def jadi(self) -> BundelQuerySet:
        return self.filter(pekerjaan__status=Pekerjaan.Status.SELESAI).exclude(berkas="")


class Bundel(MilikDaerah):
    """The evaluation bundle of one year, as one PDF or as a ZIP of a summary and the evidence."""

    class Jenis(models.TextChoices):
        PDF = "pdf", _("PDF lengkap dengan data dukung")
        ZIP = "zip", _("ZIP: ringkasan PDF dan data dukung per pertanyaan")

    tahun = models.ForeignKey(TahunEvaluasi, on_delete=models.PROTECT, related_name="bundel")
    jenis = models.CharField(_("jenis"), max_length=3, choices=Jenis.choices)
    pekerjaan = models.OneToOneField(Pekerjaan, on_delete=models.PROTECT, related_name="bundel")
    berkas = models.FileField(upload_to=lokasi_bundel, max_length=255, blank=True)
    nama_berkas = models.CharField(_("nama berkas"), max_length=200, blank=True)
    ukuran = models.PositiveBigIntegerField(_("ukuran (bita)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    halaman = models.PositiveIntegerField(_("halaman"), null=True, blank=True)
    # What the file holds: the totals and categories printed, the snapshot they come from,
    # the evidence included and the evidence listed as not included, with the reason.
    isi = models.JSONField(_("isi"), default=dict, blank=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    dibuat = models.DateTimeField(auto_now_add=True)

    objects = BundelQuerySet.as_manager()

    class Meta:
        verbose_name = _("bundel evaluasi")
        verbose_name_plural = _("bundel evaluasi")
        ordering = ["-dibuat", "-pk"]

    def __str__(self) -> str:
        return f"Bundel {self.tahun.tahun} ({self.get_jenis_display()})"

    def get_absolute_url(self) -> str:
        return reverse("laporan:bundel-unduh", args=[self.pk])


def lokasi_rapor(rapor: RaporOpd, nama: str) -> str:
    return f"laporan/rapor/{rapor.tahun.tahun}/{uuid.uuid4().hex}.pdf"


class RaporOpd(MilikDaerah):
    """An agency's report card of one year, built by a worker and kept until what it shows
    changes (``kunci``, laporan.rapor.kunci): asking again meanwhile serves this file."""

    DAERAH_DARI = ("opd",)

    tahun = models.ForeignKey(TahunEvaluasi, on_delete=models.CASCADE, related_name="rapor_opd")
    opd = models.ForeignKey("agencies.Opd", on_delete=models.CASCADE, related_name="+")
    # What the stored file was built from; another key means the file is out of date.
    kunci = models.CharField(max_length=64, blank=True)
    berkas = models.FileField(upload_to=lokasi_rapor, max_length=255, blank=True)
    nama_berkas = models.CharField(_("nama berkas"), max_length=200, blank=True)
    halaman = models.PositiveIntegerField(_("halaman"), null=True, blank=True)
    dibuat = models.DateTimeField(null=True, blank=True)
    # The last build asked for: a second request while it is under way waits for it.
    pekerjaan = models.ForeignKey(
        Pekerjaan, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("rapor OPD")
        verbose_name_plural = _("rapor OPD")
        constraints = [
            models.UniqueConstraint(fields=["tahun", "opd"], name="rapor_opd_satu_per_tahun")
        ]

    def __str__(self) -> str:
        return f"Rapor {self.tahun.tahun} {self.opd}"

    def siap(self, kunci: str) -> bool:
        """Its file is there and shows the data the key ``kunci`` stands for."""
        return bool(self.berkas) and self.kunci == kunci
