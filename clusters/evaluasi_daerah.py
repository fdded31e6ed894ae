"""A kab/kota's round of a year's evaluation (``EvaluasiDaerah``): the year and its instrument
are the installation's, each city's score is its own. Imported by models.py (never the other
way)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

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

    tahun = models.ForeignKey(
        "clusters.TahunEvaluasi", on_delete=models.CASCADE, related_name="per_daerah"
    )
    # Set in the transaction of every change that affects the city's points, cleared by the
    # recompute that read the data after it: a change whose recompute could not be queued (the
    # broker down) is still recomputed once a worker runs (clusters.tasks.hitung_skor_tertunda).
    skor_perlu_dihitung_sejak = models.DateTimeField(
        _("skor perlu dihitung ulang sejak"), null=True, blank=True, editable=False
    )

    objects = EvaluasiDaerahQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluasi kabupaten/kota")
        verbose_name_plural = _("evaluasi kabupaten/kota")
        constraints = [
            models.UniqueConstraint(fields=["tahun", "daerah"], name="evaluasi_daerah_unik")
        ]

    def __str__(self) -> str:
        return f"{self.tahun} · {self.daerah_id}"
