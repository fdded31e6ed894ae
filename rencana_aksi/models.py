"""RAD KLA: the city's five-year action plan for children, and its quarterly monitoring.

A plan period (PeriodeRad, e.g. 2025-2029) has actions (Aksi), each with a code unique in the
plan, the cluster and the KLA indicators it serves, its place in the budget nomenclature
(programme, kegiatan, sub-kegiatan), a performance indicator with a baseline and a target and
budget ceiling per year (TargetTahunan), a lead agency and supporting agencies. Each quarter
the lead agency reports what it achieved and spent (Realisasi), through the same approval
workflow as evaluation answers (clusters.alur): operator, agency head, then Bappeda.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.daerah import DaerahQuerySet, MilikDaerah
from agencies.models import Opd
from clusters import alur
from kla_portal import models as kla_models

RUPIAH = {"max_digits": 18, "decimal_places": 2}
ANGKA = {"max_digits": 14, "decimal_places": 2}


class Klaster(models.TextChoices):
    """The groups of the KLA indicator framework an action belongs to."""

    KELEMBAGAAN = "kelembagaan", _("Kelembagaan")
    KLASTER_1 = "klaster_1", _("Klaster I: Hak Sipil dan Kebebasan")
    KLASTER_2 = "klaster_2", _("Klaster II: Lingkungan Keluarga dan Pengasuhan Alternatif")
    KLASTER_3 = "klaster_3", _("Klaster III: Kesehatan Dasar dan Kesejahteraan")
    KLASTER_4 = "klaster_4", _("Klaster IV: Pendidikan, Waktu Luang dan Budaya")
    KLASTER_5 = "klaster_5", _("Klaster V: Perlindungan Khusus")
    KELANA_DEKELA = "kelana_dekela", _("Kelana-Dekela: kecamatan dan desa/kelurahan layak anak")


class SumberDana(models.TextChoices):
    APBD = "apbd", "APBD"
    APBN = "apbn", "APBN"
    DAK = "dak", "DAK"
    APBDES = "apbdes", "APBDes"
    CSR = "csr", "CSR"
    LAINNYA = "lainnya", _("Lainnya")


def lokasi_dokumen(periode: PeriodeRad, nama: str) -> str:
    ekstensi = nama.rsplit(".", 1)[-1].lower()
    return f"rad/dasar-hukum/{uuid.uuid4().hex}.{ekstensi}"


class PeriodeRadQuerySet(DaerahQuerySet):
    def visible_to(self, user) -> PeriodeRadQuerySet:
        """The plans of the person's city (everyone there reads them)."""
        return self.di_daerah(user)

    def berlaku(self, tahun: int) -> PeriodeRad | None:
        """The plan whose years include ``tahun``, else the newest (one query)."""
        mencakup = models.Case(
            models.When(tahun_mulai__lte=tahun, tahun_selesai__gte=tahun, then=1),
            default=0,
        )
        return self.annotate(mencakup=mencakup).order_by("-mencakup", "-tahun_mulai").first()


class PeriodeRad(MilikDaerah):
    """A five-year plan with its legal basis (Perda/Perwal number and date, the document)."""

    tahun_mulai = models.PositiveSmallIntegerField(_("tahun mulai"))
    tahun_selesai = models.PositiveSmallIntegerField(_("tahun selesai"))
    dasar_hukum = models.CharField(
        _("dasar hukum"),
        max_length=200,
        blank=True,
        help_text=_("Misalnya Peraturan Wali Kota Serang Nomor 12 Tahun 2025."),
    )
    tanggal_penetapan = models.DateField(_("tanggal penetapan"), null=True, blank=True)
    dokumen = models.FileField(
        _("dokumen RAD"), upload_to=lokasi_dokumen, max_length=255, blank=True
    )
    dokumen_nama = models.CharField(max_length=255, blank=True)
    dibuat = models.DateTimeField(auto_now_add=True)

    objects = PeriodeRadQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("periode RAD KLA")
        verbose_name_plural = _("periode RAD KLA")
        ordering = ["-tahun_mulai"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tahun_selesai__gte=models.F("tahun_mulai")),
                name="periode_rad_urut",
            ),
            models.UniqueConstraint(
                fields=["daerah", "tahun_mulai"], name="periode_rad_unik_per_daerah"
            ),
        ]

    def __str__(self) -> str:
        return f"RAD KLA {self.tahun_mulai}–{self.tahun_selesai}"

    def get_absolute_url(self) -> str:
        return reverse("rencana_aksi:aksi-list", args=[self.pk])

    @property
    def tahun_list(self) -> list[int]:
        return list(range(self.tahun_mulai, self.tahun_selesai + 1))


class AnggaranDaerah(MilikDaerah):
    """The city's total regional budget of a year: the denominator of the children's share."""

    tahun = models.PositiveSmallIntegerField(_("tahun"))
    total = models.DecimalField(_("total APBD (Rp)"), **RUPIAH)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("APBD kota")
        verbose_name_plural = _("APBD kota")
        ordering = ["tahun"]
        constraints = [
            models.UniqueConstraint(fields=["daerah", "tahun"], name="apbd_unik_per_daerah")
        ]

    def __str__(self) -> str:
        return f"APBD {self.tahun}"


class AksiQuerySet(DaerahQuerySet):
    def visible_to(self, user) -> AksiQuerySet:
        """All actions for city-wide roles; an agency's actions, as lead or supporting."""
        if user.has_perm("agencies.view_seluruh_kota"):
            return self.di_daerah(user)
        if not user.is_authenticated:
            return self.none()
        return self.milik_opd(user.opd_ids())

    def milik_opd(self, opd_ids) -> AksiQuerySet:
        """The actions of these agencies, as lead or supporting. Two conditions without a join
        (so no duplicates), each answered from an index on SQLite (PostgreSQL hashes the
        supporting side once): an OR across a join to the supporting agencies read every
        action of the plan."""
        mendukung = Aksi.opd_pendukung.through.objects.filter(opd_id__in=opd_ids)
        return self.filter(Q(opd_utama_id__in=opd_ids) | Q(pk__in=mendukung.values("aksi_id")))


class Aksi(MilikDaerah):
    DAERAH_DARI = ("periode", "opd_utama")

    class Status(models.TextChoices):
        DIRENCANAKAN = "direncanakan", _("Direncanakan")
        BERJALAN = "berjalan", _("Berjalan")
        SELESAI = "selesai", _("Selesai")
        DITUNDA = "ditunda", _("Ditunda")
        DIBATALKAN = "dibatalkan", _("Dibatalkan")

    periode = models.ForeignKey(PeriodeRad, on_delete=models.CASCADE, related_name="aksi")
    kode = models.CharField(_("kode aksi"), max_length=40)
    nama = models.CharField(_("aksi"), max_length=500)
    klaster = models.CharField(_("kelompok/klaster"), max_length=20, choices=Klaster.choices)
    program = models.CharField(_("program"), max_length=300, blank=True)
    program_kode = models.CharField(_("kode program"), max_length=40, blank=True)
    kegiatan = models.CharField(_("kegiatan"), max_length=300, blank=True)
    kegiatan_kode = models.CharField(_("kode kegiatan"), max_length=40, blank=True)
    sub_kegiatan = models.CharField(_("sub-kegiatan"), max_length=300, blank=True)
    sub_kegiatan_kode = models.CharField(_("kode sub-kegiatan"), max_length=40, blank=True)
    indikator_kinerja = models.CharField(_("indikator kinerja"), max_length=300)
    satuan = models.CharField(_("satuan"), max_length=50)
    baseline = models.DecimalField(_("baseline"), null=True, blank=True, **ANGKA)
    opd_utama = models.ForeignKey(
        Opd,
        verbose_name=_("OPD penanggung jawab"),
        on_delete=models.PROTECT,
        related_name="aksi_rad",
    )
    opd_pendukung = models.ManyToManyField(
        Opd, verbose_name=_("OPD pendukung"), blank=True, related_name="aksi_rad_pendukung"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DIRENCANAKAN
    )
    # Grows at each save: a form built from an older version is refused (kla_portal.versi).
    versi = models.PositiveIntegerField(default=1)
    diubah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    diubah = models.DateTimeField(auto_now=True)

    objects = AksiQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[opd_pendukung])

    class Meta:
        verbose_name = _("aksi RAD")
        verbose_name_plural = _("aksi RAD")
        ordering = ["periode", "kode"]
        constraints = [
            models.UniqueConstraint(fields=["periode", "kode"], name="aksi_kode_unik_per_periode")
        ]

    def __str__(self) -> str:
        return f"{self.kode} {self.nama}"

    def get_absolute_url(self) -> str:
        return reverse("rencana_aksi:aksi-detail", args=[self.pk])


class AksiIndikator(MilikDaerah):
    """A KLA indicator an action serves, by its code in the instrument ("Indikator 21 A"), so
    it links to that indicator in every evaluation year."""

    DAERAH_DARI = ("aksi",)

    aksi = models.ForeignKey(Aksi, on_delete=models.CASCADE, related_name="indikator")
    kode = models.CharField(_("kode indikator KLA"), max_length=40, db_index=True)

    class Meta:
        verbose_name = _("indikator KLA aksi")
        verbose_name_plural = _("indikator KLA aksi")
        ordering = ["kode"]
        constraints = [models.UniqueConstraint(fields=["aksi", "kode"], name="aksi_indikator_unik")]

    def __str__(self) -> str:
        return self.kode


class TargetTahunan(MilikDaerah):
    """An action's target and budget ceiling for one year of the plan."""

    DAERAH_DARI = ("aksi",)

    aksi = models.ForeignKey(Aksi, on_delete=models.CASCADE, related_name="target")
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    target = models.DecimalField(_("target"), null=True, blank=True, **ANGKA)
    pagu = models.DecimalField(_("pagu anggaran (Rp)"), null=True, blank=True, **RUPIAH)
    sumber_dana = models.CharField(
        _("sumber dana"), max_length=10, choices=SumberDana.choices, default=SumberDana.APBD
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target tahunan")
        verbose_name_plural = _("target tahunan")
        ordering = ["aksi", "tahun"]
        constraints = [
            models.UniqueConstraint(fields=["aksi", "tahun"], name="target_satu_per_tahun"),
            models.CheckConstraint(
                condition=Q(pagu__isnull=True) | Q(pagu__gte=0), name="pagu_tidak_negatif"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.aksi.kode} {self.tahun}"


def batas_lapor(tahun: int, triwulan: int) -> datetime.date:
    """A quarter's report is due on the 15th of the month after the quarter ends."""
    bulan = triwulan * 3 + 1
    if bulan > 12:
        return datetime.date(tahun + 1, 1, 15)
    return datetime.date(tahun, bulan, 15)


class RealisasiQuerySet(DaerahQuerySet):
    def visible_to(self, user) -> RealisasiQuerySet:
        return self.filter(aksi__in=Aksi.objects.visible_to(user))


class Realisasi(MilikDaerah):
    """What an action achieved and spent in one quarter, reported by its lead agency.

    ``capaian`` is the achievement up to the end of the quarter (cumulative within the year,
    in the performance indicator's unit); ``anggaran`` is what was spent in the quarter. The
    year's achievement is its last reported quarter's; its spending, the quarters' sum.
    """

    DAERAH_DARI = ("aksi",)

    Status = alur.Status

    aksi = models.ForeignKey(Aksi, on_delete=models.CASCADE, related_name="realisasi")
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    triwulan = models.PositiveSmallIntegerField(
        _("triwulan"), choices=[(1, "I"), (2, "II"), (3, "III"), (4, "IV")]
    )
    capaian = models.DecimalField(_("capaian s.d. triwulan ini"), null=True, blank=True, **ANGKA)
    anggaran = models.DecimalField(
        _("anggaran terserap triwulan ini (Rp)"), null=True, blank=True, **RUPIAH
    )
    narasi = models.TextField(_("uraian"), blank=True)
    status = models.CharField(
        _("status"), max_length=24, choices=alur.Status.choices, default=alur.Status.DRAFT
    )
    alasan = models.TextField(_("alasan dikembalikan"), blank=True)
    versi = models.PositiveIntegerField(default=1)
    dikirim = models.DateTimeField(_("dikirim"), null=True, blank=True)
    # Who sent it to the head last: that person may not approve it (clusters.alur).
    dikirim_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dikirim oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    diubah = models.DateTimeField(auto_now=True)
    diubah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RealisasiQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("realisasi triwulan")
        verbose_name_plural = _("realisasi triwulan")
        ordering = ["aksi", "tahun", "triwulan"]
        constraints = [
            models.UniqueConstraint(
                fields=["aksi", "tahun", "triwulan"], name="realisasi_satu_per_triwulan"
            ),
            models.CheckConstraint(
                condition=Q(anggaran__isnull=True) | Q(anggaran__gte=0),
                name="realisasi_anggaran_tidak_negatif",
            ),
        ]
        indexes = [
            # Bappeda's review queue (selectors.antrean_tinjauan), oldest first: counted, paged
            # and its agencies listed from the waiting reports alone, not a scan of them all.
            models.Index(
                fields=["diubah", "aksi"],
                condition=Q(status="menunggu_verifikasi"),
                name="realisasi_antrean_tinjauan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.aksi.kode} {self.tahun} TW {self.get_triwulan_display()}"

    def get_absolute_url(self) -> str:
        return reverse("rencana_aksi:realisasi", args=[self.aksi_id, self.tahun, self.triwulan])

    @property
    def bisa_diubah(self) -> bool:
        return self.status in alur.BISA_DIUBAH

    @property
    def batas(self) -> datetime.date:
        return batas_lapor(self.tahun, self.triwulan)


def lokasi_bukti(lampiran: LampiranRealisasi, nama: str) -> str:
    ekstensi = nama.rsplit(".", 1)[-1].lower()
    return f"rad/bukti/{lampiran.realisasi.tahun}/{uuid.uuid4().hex}.{ekstensi}"


class LampiranRealisasi(MilikDaerah, kla_models.Lampiran):
    """Evidence of a quarterly report, with the upload rules and protected download of answers'
    evidence (kla_portal.berkas)."""

    DAERAH_DARI = ("realisasi",)

    URL_UNDUH = "rencana_aksi:lampiran-unduh"

    realisasi = models.ForeignKey(Realisasi, on_delete=models.PROTECT, related_name="lampiran")
    berkas = models.FileField(upload_to=lokasi_bukti, max_length=255)
    dihapus = models.DateTimeField(_("dilepas"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta(kla_models.Lampiran.Meta):
        verbose_name = _("bukti realisasi")
        verbose_name_plural = _("bukti realisasi")
