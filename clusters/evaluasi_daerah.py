"""A kab/kota's round of a year's evaluation (``EvaluasiDaerah``) and the province's check of
each of its answers (``VerifikasiProvinsi``): the year and its instrument are the
installation's, each city's score and its submission to the province are its own. Imported by
models.py (never the other way).

The chain (DOMAIN): the city's secretariat verifies its answers, then sends the year to the
province; the province's verifiers accept each answer (with the city's points or their own) or
return it with a reason, and a returned answer goes back through the city's own workflow
(clusters.alur) until the city verifies it again and it waits for the province once more.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.daerah import DaerahQuerySet, MilikDaerah


class EvaluasiDaerahQuerySet(DaerahQuerySet):
    def perlu_dihitung(self) -> EvaluasiDaerahQuerySet:
        return self.filter(skor_perlu_dihitung_sejak__isnull=False)

    def tanda_luar(self) -> models.Subquery:
        """The mark of the outer row's year and city (a snapshot's), as a subquery."""
        sama = self.filter(tahun=models.OuterRef("tahun"), daerah=models.OuterRef("daerah"))
        return models.Subquery(sama.values("skor_perlu_dihitung_sejak")[:1])


class EvaluasiDaerah(MilikDaerah):
    """One kab/kota's round of one year's evaluation."""

    class StatusProvinsi(models.TextChoices):
        BELUM = "belum", _("Belum dikirim ke provinsi")
        DIKIRIM = "dikirim", _("Diverifikasi provinsi")
        SELESAI = "selesai", _("Selesai diverifikasi provinsi")

    tahun = models.ForeignKey(
        "clusters.TahunEvaluasi", on_delete=models.CASCADE, related_name="per_daerah"
    )
    # Set in the transaction of every change that affects the city's points, cleared by the
    # recompute that read the data after it: a change whose recompute could not be queued (the
    # broker down) is still recomputed once a worker runs (clusters.tasks.hitung_skor_tertunda).
    skor_perlu_dihitung_sejak = models.DateTimeField(
        _("skor perlu dihitung ulang sejak"), null=True, blank=True, editable=False
    )
    status_provinsi = models.CharField(
        _("verifikasi provinsi"),
        max_length=10,
        choices=StatusProvinsi.choices,
        default=StatusProvinsi.BELUM,
    )
    dikirim_provinsi = models.DateTimeField(_("dikirim ke provinsi"), null=True, blank=True)
    dikirim_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set by the province, per city; moved later with a reason (an extension).
    batas_kirim = models.DateField(_("batas kirim ke provinsi"), null=True, blank=True)
    alasan_batas = models.CharField(_("alasan perpanjangan"), max_length=255, blank=True)

    objects = EvaluasiDaerahQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["skor_perlu_dihitung_sejak"])

    class Meta:
        verbose_name = _("evaluasi kabupaten/kota")
        verbose_name_plural = _("evaluasi kabupaten/kota")
        constraints = [
            models.UniqueConstraint(fields=["tahun", "daerah"], name="evaluasi_daerah_unik")
        ]

    def __str__(self) -> str:
        return f"{self.tahun} · {self.daerah}"


class VerifikasiProvinsi(MilikDaerah):
    """The province's check of one city-level answer, made when the city sends its year."""

    DAERAH_DARI = ("jawaban",)

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", _("Menunggu verifikasi provinsi")
        DIKEMBALIKAN = "dikembalikan", _("Dikembalikan provinsi")
        DITERIMA = "diterima", _("Diterima provinsi")

    jawaban = models.OneToOneField(
        "clusters.Jawaban", on_delete=models.CASCADE, related_name="verifikasi_provinsi"
    )
    status = models.CharField(
        _("status provinsi"), max_length=12, choices=Status.choices, default=Status.MENUNGGU
    )
    poin = models.DecimalField(
        _("poin provinsi"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    alasan = models.TextField(_("alasan dikembalikan provinsi"), blank=True)
    versi = models.PositiveIntegerField(default=1)
    diubah = models.DateTimeField(auto_now=True)
    diubah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = DaerahQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verifikasi provinsi")
        verbose_name_plural = _("verifikasi provinsi")
        indexes = [models.Index(fields=["daerah", "status"])]

    def __str__(self) -> str:
        return f"{self.jawaban} · {self.get_status_display()}"
