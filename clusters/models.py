"""The yearly evaluation: the versioned instrument, its assignment to agencies, the answers.

An evaluation year (TahunEvaluasi) holds its own copy of the instrument: groups (Kelembagaan,
Klaster I-V, Kelana-Dekela), indicators and questions, imported from that year's spreadsheet.
Indicators, questions and weights are data, never code.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.daerah import DaerahQuerySet, MilikDaerah
from agencies.models import Opd, Wilayah
from clusters import alur
from clusters.akses import boleh_lihat_jawaban, wilayah_kerja  # noqa: F401 (read from here)
from clusters.opsi import OPSI_BAKU, OPSI_UNIT
from clusters.rincian import RincianSkor
from kla_portal import models as kla_models
from kla_portal.json import OrjsonDecoder, OrjsonEncoder

POIN = {"max_digits": 7, "decimal_places": 2}


class TahunEvaluasiQuerySet(models.QuerySet):
    def terkini(self) -> TahunEvaluasi | None:
        """The year people mean by "now": the newest open one, else the newest."""
        return self.order_by("-dibuka", "-tahun").first()


class TahunEvaluasi(models.Model):
    """One round of the KLA evaluation, with its own instrument and deadline."""

    tahun = models.PositiveSmallIntegerField(_("tahun"), unique=True)
    batas_waktu = models.DateTimeField(
        _("batas waktu pengiriman OPD"),
        null=True,
        blank=True,
        help_text=_(
            "Setelah ini operator tidak dapat mengirim jawaban, kecuali diberi perpanjangan."
        ),
    )
    dibuka = models.BooleanField(_("dibuka untuk menjawab"), default=False)
    dibuat = models.DateTimeField(auto_now_add=True)

    objects = TahunEvaluasiQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tahun evaluasi")
        verbose_name_plural = _("tahun evaluasi")
        ordering = ["-tahun"]

    def __str__(self) -> str:
        return f"Evaluasi KLA {self.tahun}"

    def get_absolute_url(self) -> str:
        return reverse("clusters:tahun-detail", args=[self.tahun])

    def lewat_batas(self, *, opd: Opd | int | None = None, pada=None, perpanjangan=None) -> bool:
        """Whether sending is closed for an agency: past the deadline and no extension.

        ``perpanjangan``: the agency's extensions already read (any year), to check many
        agencies without a query each (``opd`` may then be the agency's id)."""
        pada = pada or timezone.now()
        if self.batas_waktu is None or pada <= self.batas_waktu:
            return False
        if opd is None:
            return True
        if perpanjangan is not None:
            return not any(p.tahun_id == self.pk and p.sampai >= pada for p in perpanjangan)
        return not self.perpanjangan.filter(opd=opd, sampai__gte=pada).exists()

    def jawaban_terlambat(self, status: str | None, *, opd=None, perpanjangan=None) -> bool:
        """Whether an answer is overdue: not sent yet (``status`` None when not answered, or a
        draft, or returned) while sending is closed for the agency responsible for it (see
        ``lewat_batas``). ``opd``: that agency, its id, or a function returning it, called only
        for an unsent answer (finding a kecamatan office costs a query)."""
        if status is not None and status not in alur.BISA_DIUBAH:
            return False
        return self.lewat_batas(opd=opd() if callable(opd) else opd, perpanjangan=perpanjangan)

    def opd_lewat_batas(self, opd_ids, *, pada=None) -> set[int]:
        """The agencies among ``opd_ids`` whose sending is closed (deadline passed, no
        extension): two queries, whatever the number of agencies."""
        agencies = Opd.objects.filter(pk__in=opd_ids).prefetch_related("perpanjangan")
        return {
            opd.pk
            for opd in agencies
            if self.lewat_batas(opd=opd, pada=pada, perpanjangan=opd.perpanjangan.all())
        }


class Kelompok(models.Model):
    """A group of indicators: Kelembagaan, Klaster I-V, Kelana-Dekela."""

    tahun = models.ForeignKey(TahunEvaluasi, on_delete=models.CASCADE, related_name="kelompok")
    nama = models.CharField(_("nama"), max_length=100)
    urutan = models.PositiveSmallIntegerField(_("urutan"))

    class Meta:
        verbose_name = _("kelompok")
        verbose_name_plural = _("kelompok")
        ordering = ["tahun", "urutan"]
        constraints = [
            models.UniqueConstraint(fields=["tahun", "nama"], name="kelompok_nama_unik_per_tahun")
        ]

    def __str__(self) -> str:
        return self.nama


class IndikatorQuerySet(models.QuerySet):
    def with_jumlah_nilai_pertanyaan(self) -> IndikatorQuerySet:
        return self.annotate(
            jumlah_max_pertanyaan=Coalesce(Sum("pertanyaan__nilai_max"), Decimal(0))
        )


class Indikator(models.Model):
    tahun = models.ForeignKey(TahunEvaluasi, on_delete=models.CASCADE, related_name="indikator")
    kelompok = models.ForeignKey(Kelompok, on_delete=models.CASCADE, related_name="indikator")
    kode = models.CharField(_("kode"), max_length=40)
    nama = models.CharField(_("nama"), max_length=300)
    urutan = models.PositiveSmallIntegerField(_("urutan"))
    nilai_max = models.DecimalField(_("nilai maksimum"), **POIN)

    objects = IndikatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikator")
        ordering = ["kelompok__urutan", "urutan"]
        constraints = [
            models.UniqueConstraint(fields=["tahun", "kode"], name="indikator_kode_unik_per_tahun")
        ]

    def __str__(self) -> str:
        return f"{self.kode}. {self.nama}"


class PertanyaanQuerySet(models.QuerySet):
    def tanpa_utama(self, daerah_id) -> PertanyaanQuerySet:
        """Questions with no lead agency in the city."""
        return self.exclude(
            pk__in=Penugasan.objects.filter(daerah_id=daerah_id, utama=True).values("pertanyaan_id")
        )

    def visible_to(self, user) -> PertanyaanQuerySet:
        """Questions the user may open: all for city-wide roles; an agency's assigned questions
        (lead or supporting); the per-unit questions for people working in a kecamatan or
        kelurahan (who see only their own units' answers to them)."""
        if user.has_perm("agencies.view_seluruh_kota"):
            return self
        if not user.is_authenticated:
            return self.none()
        condition = Q(penugasan__opd_id__in=user.opd_ids())
        if wilayah_kerja(user):
            condition |= ~Q(lingkup=Pertanyaan.Lingkup.KABKOTA)
        return self.filter(pk__in=self.filter(condition).values("pk"))


class Pertanyaan(models.Model):
    """One question of the instrument, with its weight, scope and how it is scored."""

    class Lingkup(models.TextChoices):
        KABKOTA = "kabkota", _("Kabupaten/kota")
        KECAMATAN = "kecamatan", _("Per kecamatan")
        DESA_KELURAHAN = "desa_kelurahan", _("Per desa/kelurahan")

    class CaraPenilaian(models.TextChoices):
        OPSI = "opsi", _("Pilihan bertingkat")
        CAKUPAN = "cakupan", _("Persentase cakupan")
        LANGSUNG = "langsung", _("Poin langsung")

    tahun = models.ForeignKey(TahunEvaluasi, on_delete=models.CASCADE, related_name="pertanyaan")
    indikator = models.ForeignKey(Indikator, on_delete=models.CASCADE, related_name="pertanyaan")
    kode = models.CharField(_("kode"), max_length=40)
    teks = models.TextField(_("pertanyaan"))
    urutan = models.PositiveSmallIntegerField(_("urutan"))
    nilai_max = models.DecimalField(_("nilai maksimum"), **POIN)
    lingkup = models.CharField(_("lingkup"), max_length=20, choices=Lingkup.choices)
    cara_penilaian = models.CharField(
        _("cara penilaian"), max_length=20, choices=CaraPenilaian.choices
    )
    opsi = models.JSONField(
        _("pilihan jawaban"),
        default=list,
        blank=True,
        help_text=_("Kosong: lima tingkat baku 0, 0,25, 0,5, 0,75 dan 1 dari nilai maksimum."),
    )
    wajib_lampiran = models.BooleanField(_("wajib data dukung"), default=False)
    petunjuk_lampiran = models.CharField(_("petunjuk data dukung"), max_length=500, blank=True)
    minta_angka = models.BooleanField(_("meminta angka"), default=False)
    dua_tahun = models.BooleanField(_("angka dua tahun"), default=False)
    sumber_data = models.JSONField(_("sumber data (nama di instrumen)"), default=list, blank=True)
    # A Kelana-Dekela question counted from the sub-district facility register: which kind of
    # facility, at which level. Proposed from the question's text, editable by the secretariat.
    jenis_fasilitas = models.ForeignKey(
        "agencies.JenisFasilitas",
        verbose_name=_("dihitung dari fasilitas"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pertanyaan",
    )
    tingkat_fasilitas = models.PositiveSmallIntegerField(
        _("tingkat unit yang dihitung"),
        null=True,
        blank=True,
        choices=[
            (Wilayah.Tingkat.KECAMATAN, _("Kecamatan")),
            (Wilayah.Tingkat.DESA_KELURAHAN, _("Desa/kelurahan")),
        ],
    )

    objects = PertanyaanQuerySet.as_manager()

    class Meta:
        verbose_name = _("pertanyaan")
        verbose_name_plural = _("pertanyaan")
        ordering = ["indikator__kelompok__urutan", "indikator__urutan", "urutan", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indikator", "kode"], name="pertanyaan_kode_unik_per_indikator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indikator.kode} · {self.kode}"

    def get_absolute_url(self) -> str:
        return reverse("clusters:pertanyaan-detail", args=[self.pk])

    @property
    def per_unit(self) -> bool:
        return self.lingkup != self.Lingkup.KABKOTA

    def pilihan(self, *, untuk_unit: bool = False) -> list[dict]:
        """The options a person picks from, each with its label and fraction of the maximum."""
        if untuk_unit:
            return OPSI_UNIT
        return self.opsi or OPSI_BAKU


class SumberDataQuerySet(DaerahQuerySet):
    def nama_terpetakan(self) -> set[str]:
        """Data-source names already mapped to an agency: the importer's known names."""
        return set(self.filter(opd__isnull=False).values_list("nama", flat=True))


class SumberData(MilikDaerah):
    """A data-source agency name used by the instrument, mapped once to the city's OPD."""

    nama = models.CharField(_("nama di instrumen"), max_length=100)
    opd = models.ForeignKey(
        Opd,
        verbose_name=_("OPD"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sumber_data",
    )

    objects = SumberDataQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pemetaan sumber data")
        verbose_name_plural = _("pemetaan sumber data")
        ordering = ["nama"]
        constraints = [
            models.UniqueConstraint(fields=["daerah", "nama"], name="sumber_data_unik_per_daerah")
        ]

    def __str__(self) -> str:
        return self.nama


class Penugasan(MilikDaerah):
    """An agency assigned to a question: the lead answers it, supporting agencies contribute."""

    DAERAH_DARI = ("opd",)

    pertanyaan = models.ForeignKey(Pertanyaan, on_delete=models.CASCADE, related_name="penugasan")
    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="penugasan")
    utama = models.BooleanField(_("OPD penanggung jawab"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("penugasan")
        verbose_name_plural = _("penugasan")
        ordering = ["-utama", "opd__nama"]
        constraints = [
            models.UniqueConstraint(fields=["pertanyaan", "opd"], name="penugasan_unik"),
            models.UniqueConstraint(  # one lead agency per question in each city
                fields=["daerah", "pertanyaan"],
                condition=Q(utama=True),
                name="penugasan_satu_utama",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pertanyaan} → {self.opd.singkatan}"


class Perpanjangan(MilikDaerah):
    """More time for one agency after the year's deadline."""

    DAERAH_DARI = ("opd",)

    tahun = models.ForeignKey(TahunEvaluasi, on_delete=models.CASCADE, related_name="perpanjangan")
    opd = models.ForeignKey(Opd, on_delete=models.CASCADE, related_name="perpanjangan")
    sampai = models.DateTimeField(_("sampai"))
    alasan = models.CharField(_("alasan"), max_length=255)
    diberikan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("perpanjangan")
        verbose_name_plural = _("perpanjangan")
        ordering = ["-sampai"]

    def __str__(self) -> str:
        return f"{self.opd.singkatan} sampai {timezone.localtime(self.sampai):%d/%m/%Y %H.%M}"


class JawabanQuerySet(DaerahQuerySet):
    def visible_to(self, user) -> JawabanQuerySet:
        """Answers the user may read: all for city-wide roles; every answer (city and units) to
        a question the user's agency is assigned to; the answers of the units the user works
        in; a province verifier's cities'. boleh_lihat_jawaban: the rule on one answer."""
        if user.has_perm("agencies.view_seluruh_kota"):
            return self.di_daerah(user)
        if not user.is_authenticated:
            return self.none()
        areas = wilayah_kerja(user)
        condition = Q(daerah_id__in=user.daerah_ids()) & (
            Q(pertanyaan__penugasan__opd_id__in=user.opd_ids())
            | Q(wilayah_id__in=areas)
            | Q(wilayah__induk_id__in=areas)
        ) | Q(daerah_id__in=user.kota_verifikasi_ids())  # the province's verifiers
        return self.filter(pk__in=self.filter(condition).values("pk"))


class Jawaban(MilikDaerah):
    """The answer to one question, for the city or for one kecamatan/kelurahan.

    The agency's own points and the verifier's points are kept side by side. ``versi`` grows
    with every save, so a form saved from a stale page is refused instead of overwriting.
    """

    DAERAH_DARI = ("opd", "wilayah")

    Status = alur.Status
    # What the agency fills in (jawaban_simpan takes, the import sets, the history compares).
    ISIAN = (
        "fraksi",
        "cakupan_persen",
        "poin_langsung",
        "angka_tahun_ini",
        "angka_tahun_lalu",
        "catatan",
    )

    pertanyaan = models.ForeignKey(Pertanyaan, on_delete=models.PROTECT, related_name="jawaban")
    wilayah = models.ForeignKey(
        Wilayah,
        verbose_name=_("kecamatan/kelurahan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="jawaban",
    )
    opd = models.ForeignKey(
        Opd, null=True, blank=True, on_delete=models.PROTECT, related_name="jawaban"
    )
    status = models.CharField(
        _("status"), max_length=24, choices=alur.Status.choices, default=alur.Status.DRAFT
    )
    fraksi = models.DecimalField(
        _("pilihan (fraksi)"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    cakupan_persen = models.DecimalField(
        _("cakupan (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    poin_langsung = models.DecimalField(_("poin"), null=True, blank=True, **POIN)
    poin_opd = models.DecimalField(_("poin OPD"), null=True, blank=True, **POIN)
    poin_verifikator = models.DecimalField(_("poin verifikator"), null=True, blank=True, **POIN)
    angka_tahun_ini = models.DecimalField(
        _("angka tahun ini"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    angka_tahun_lalu = models.DecimalField(
        _("angka tahun lalu"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    catatan = models.TextField(_("catatan"), blank=True)
    alasan = models.TextField(_("alasan dikembalikan/dibuka kembali"), blank=True)
    # Who sent it to the head last: that person may not approve it (clusters.alur).
    dikirim_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dikirim oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    versi = models.PositiveIntegerField(default=1)
    diubah = models.DateTimeField(auto_now=True)
    diubah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = JawabanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jawaban")
        verbose_name_plural = _("jawaban")
        constraints = [
            models.UniqueConstraint(
                models.F("daerah"),
                models.F("pertanyaan"),
                Coalesce("wilayah", models.Value(0)),
                name="jawaban_satu_per_pertanyaan_unit",
            ),
        ]

    def __str__(self) -> str:
        unit = f" · {self.wilayah}" if self.wilayah_id else ""
        return f"{self.pertanyaan}{unit}"

    def get_absolute_url(self) -> str:
        return reverse("clusters:jawaban-detail", args=[self.pk])

    @property
    def bisa_diubah(self) -> bool:
        return self.status in alur.BISA_DIUBAH


def lokasi_lampiran(lampiran: Lampiran, nama: str) -> str:
    # The stored name is random: the name a person gave never becomes a path.
    ekstensi = nama.rsplit(".", 1)[-1].lower()
    return f"lampiran/{lampiran.jawaban.pertanyaan.tahun.tahun}/{uuid.uuid4().hex}.{ekstensi}"


class LampiranQuerySet(DaerahQuerySet):
    def aktif(self) -> LampiranQuerySet:
        """Current files: a replaced or removed file stays for the history only."""
        return self.filter(diganti_oleh__isnull=True, dihapus__isnull=True)


class Lampiran(MilikDaerah, kla_models.Lampiran):
    """An evidence file (data dukung) of an answer, served only through a checked view."""

    DAERAH_DARI = ("jawaban",)

    URL_UNDUH = "clusters:lampiran-unduh"

    jawaban = models.ForeignKey(Jawaban, on_delete=models.PROTECT, related_name="lampiran")
    berkas = models.FileField(upload_to=lokasi_lampiran, max_length=255)
    diganti_oleh = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="menggantikan"
    )
    dihapus = models.DateTimeField(_("dilepas dari jawaban"), null=True, blank=True)

    objects = LampiranQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(kla_models.Lampiran.Meta):
        verbose_name = _("data dukung")
        verbose_name_plural = _("data dukung")


KATEGORI_NAMA = ("Pratama", "Madya", "Nindya", "Utama", "KLA")
# The 2024 bands (DOMAIN: Pratama 500-600, Madya 601-700, Nindya 701-800, Utama 801-900,
# KLA 901-1000); each year gets its own copy, editable when the ministry changes them.
KATEGORI_BAKU = [
    (nama, Decimal(n)) for nama, n in zip(KATEGORI_NAMA, (500, 601, 701, 801, 901), strict=True)
]


class Kategori(models.Model):
    """A category band of a year: the category starts at ``poin_min``."""

    tahun = models.ForeignKey(TahunEvaluasi, on_delete=models.CASCADE, related_name="kategori")
    nama = models.CharField(_("nama"), max_length=40)
    poin_min = models.DecimalField(_("mulai dari (poin)"), **POIN)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kategori")
        verbose_name_plural = _("kategori")
        ordering = ["tahun", "poin_min"]
        constraints = [
            models.UniqueConstraint(fields=["tahun", "nama"], name="kategori_nama_unik"),
            models.UniqueConstraint(fields=["tahun", "poin_min"], name="kategori_batas_unik"),
        ]

    def __str__(self) -> str:
        return f"{self.nama} ≥ {self.poin_min}"


class SkorSnapshotQuerySet(DaerahQuerySet):
    def terbaru(self, tahun: TahunEvaluasi, *, daerah_id: int | None, hanya_pk: bool = False):
        """A kab/kota's snapshot read from the newest data (not the one written last: a slow
        worker that read older data and finished later never hides a newer snapshot), with
        ``perlu_dihitung_sejak``: the city's year is marked for a recompute since then."""
        newest = self.filter(tahun=tahun, daerah_id=daerah_id, rincian__isnull=False)
        newest = newest.order_by("-data_per")
        if hanya_pk:
            return newest.values_list("pk", flat=True).first()
        return newest.annotate(perlu_dihitung_sejak=EvaluasiDaerah.objects.tanda_luar()).first()

    def terbaru_per_tahun(self, *, daerah_id: int | None) -> SkorSnapshotQuerySet:
        """A kab/kota's newest snapshot of each year, totals only, with ``sedang``: its year is
        still being verified (open, or an answer waiting for a head or the secretariat)."""
        newest = (
            self.model.objects.filter(tahun=models.OuterRef("tahun"), daerah_id=daerah_id)
            .order_by("-data_per")
            .values("pk")[:1]
        )
        # A draft left in a closed year waits for nobody: not "in verification" for ever.
        belum = Jawaban.objects.filter(
            daerah_id=daerah_id,
            pertanyaan__tahun=models.OuterRef("tahun"),
            status__in=[alur.Status.MENUNGGU_KEPALA, alur.Status.MENUNGGU_VERIFIKASI],
        )
        return (
            self.filter(pk=models.Subquery(newest))
            .annotate(sedang=Q(tahun__dibuka=True) | models.Exists(belum))
            .defer("rincian")
            .select_related("tahun")
            .order_by("tahun__tahun")
        )


class SkorSnapshot(MilikDaerah):
    """A year's figures at every level, computed by a worker, read by the dashboards.

    ``rincian`` holds questions, indicators, groups, agencies, completeness and per-unit
    answers as JSON; read it as typed records through ``rincian_skor`` (clusters.rincian).
    Older snapshots keep their totals only (one per day), for the trend.
    """

    tahun = models.ForeignKey(TahunEvaluasi, on_delete=models.CASCADE, related_name="skor")
    data_per = models.DateTimeField(_("data per"), db_index=True)
    dihitung = models.DateTimeField(_("dihitung"), auto_now_add=True)
    durasi_ms = models.PositiveIntegerField(default=0)
    total_mandiri = models.DecimalField(_("poin mandiri"), **POIN)
    total_verifikasi = models.DecimalField(_("poin verifikasi"), **POIN)
    total_berbukti = models.DecimalField(_("poin berbukti"), **POIN)
    # The answers the province accepted, at its points (None: nothing accepted yet).
    total_provinsi = models.DecimalField(_("poin provinsi"), null=True, blank=True, **POIN)
    rincian = models.JSONField(null=True, blank=True, encoder=OrjsonEncoder, decoder=OrjsonDecoder)

    objects = SkorSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("skor")
        verbose_name_plural = _("skor")
        ordering = ["-data_per"]

    def __str__(self) -> str:
        return f"Skor {self.tahun.tahun} per {timezone.localtime(self.data_per):%d/%m/%Y %H.%M}"

    @cached_property
    def rincian_skor(self) -> RincianSkor | None:
        """``rincian`` as typed records (clusters.rincian); None for a totals-only snapshot."""
        return None if self.rincian is None else RincianSkor.dari_json(self.rincian)


from clusters.evaluasi_daerah import EvaluasiDaerah, VerifikasiProvinsi  # noqa: E402, F401
