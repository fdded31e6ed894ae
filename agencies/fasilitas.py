"""Sub-district facilities: what each kecamatan and kelurahan has of what the instrument counts
(Forum Anak, PATBM, a task force, child-friendly play space, ...), with its state, decree and
photo, kept by the area operators; and the coverage that follows from the register.

The kinds of facility are data (JenisFasilitas, seeded from the 2024 instrument and DOMAIN),
each saying at which level it is counted and from which state a unit "has" it. Coverage is
computed here from the register alone; turning it into a proposed answer to the instrument's
Kelana-Dekela questions is the evaluation's business (clusters), not this app's.

Imported by agencies.models; foreign keys name their models as strings.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.daerah import DaerahQuerySet, MilikDaerah
from kla_portal.berkas import lokasi_berkas
from kla_portal.persen import persen

KECAMATAN, DESA_KELURAHAN = 3, 4  # Wilayah.Tingkat, without importing models.py


class StatusFasilitas(models.IntegerChoices):
    """The states of DOMAIN, in order: a unit "has" a facility from its kind's minimum on."""

    BELUM_ADA = 0, _("Belum ada")
    DIBENTUK = 1, _("Dibentuk")
    DITETAPKAN = 2, _("Ditetapkan (SK)")
    TERSTANDAR = 3, _("Terstandar/tersertifikasi")


class JenisFasilitas(models.Model):
    """A kind of facility the instrument counts, and how it is counted."""

    kode = models.SlugField(_("kode"), max_length=40, unique=True)
    nama = models.CharField(_("nama"), max_length=200)
    singkatan = models.CharField(_("singkatan"), max_length=30)
    untuk_kecamatan = models.BooleanField(_("dicatat per kecamatan"), default=True)
    untuk_kelurahan = models.BooleanField(_("dicatat per kelurahan/desa"), default=True)
    status_minimal = models.PositiveSmallIntegerField(
        _("dihitung ada mulai status"),
        choices=StatusFasilitas.choices,
        default=StatusFasilitas.DIBENTUK,
    )
    kata_kunci = models.CharField(
        _("kata kunci di instrumen"),
        max_length=300,
        blank=True,
        help_text=_(
            "Dipisah titik koma. Pertanyaan Kelana-Dekela yang memuat salah satunya diusulkan "
            "dihitung dari fasilitas ini."
        ),
    )
    urutan = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("jenis fasilitas")
        verbose_name_plural = _("jenis fasilitas")
        ordering = ["urutan", "pk"]

    def __str__(self) -> str:
        return self.nama

    def berlaku_untuk(self, tingkat: int) -> bool:
        return self.untuk_kecamatan if tingkat == KECAMATAN else self.untuk_kelurahan

    def daftar_kata_kunci(self) -> list[str]:
        return [k.strip() for k in self.kata_kunci.split(";") if k.strip()]


class FasilitasQuerySet(DaerahQuerySet):
    def visible_to(self, user) -> FasilitasQuerySet:
        """City-wide roles and agency staff (who watch their sector) see every unit; an area
        operator their own unit, and a kecamatan operator its kelurahan too."""
        from agencies.models import Wilayah

        return self.filter(wilayah__in=Wilayah.objects.fasilitas_visible_to(user))


class Fasilitas(MilikDaerah):
    """One unit's state for one kind of facility; a unit with no row has none of it."""

    DAERAH_DARI = ("wilayah",)

    Status = StatusFasilitas

    wilayah = models.ForeignKey(
        "agencies.Wilayah",
        verbose_name=_("kecamatan/kelurahan"),
        on_delete=models.PROTECT,
        related_name="fasilitas",
    )
    jenis = models.ForeignKey(
        JenisFasilitas, verbose_name=_("jenis"), on_delete=models.PROTECT, related_name="fasilitas"
    )
    status = models.PositiveSmallIntegerField(
        _("status"), choices=StatusFasilitas.choices, default=StatusFasilitas.BELUM_ADA
    )
    nomor_sk = models.CharField(_("nomor SK"), max_length=150, blank=True)
    tanggal_sk = models.DateField(_("tanggal SK"), null=True, blank=True)
    berkas_sk = models.FileField(
        _("berkas SK"), upload_to=lokasi_berkas, max_length=255, blank=True
    )
    berkas_sk_nama = models.CharField(max_length=255, blank=True)
    foto = models.FileField(_("foto"), upload_to=lokasi_berkas, max_length=255, blank=True)
    foto_nama = models.CharField(max_length=255, blank=True)
    keterangan = models.TextField(
        _("keterangan"), blank=True, help_text=_("Nama, alamat, jumlah unit, atau catatan lain.")
    )
    versi = models.PositiveIntegerField(default=0)
    diubah = models.DateTimeField(auto_now=True)
    diubah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = FasilitasQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fasilitas wilayah")
        verbose_name_plural = _("fasilitas wilayah")
        ordering = ["wilayah__kode", "jenis__urutan"]
        constraints = [
            models.UniqueConstraint(fields=["wilayah", "jenis"], name="fasilitas_satu_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.jenis.singkatan} · {self.wilayah}"

    @property
    def ada(self) -> bool:
        return self.status >= self.jenis.status_minimal


# --- Coverage -------------------------------------------------------------------------------


@dataclass
class Hitungan:
    """How many units of a set have a kind of facility."""

    ada: int = 0
    dari: int = 0

    @property
    def persen(self) -> Decimal | None:
        return persen(self.ada, self.dari, desimal=2)


@dataclass
class Cakupan:
    """The register read once: each unit's state per kind, and counts per kecamatan and city.

    ``status[(wilayah_id, jenis_id)]`` is the recorded state; ``kelurahan[(kecamatan_id,
    jenis_id)]`` counts the kelurahan of a kecamatan that have the kind; ``kota_kelurahan`` and
    ``kota_kecamatan`` count over the whole city (or over the units a person may see).
    """

    jenis: list[JenisFasilitas]
    kecamatan: list
    kelurahan: list
    status: dict[tuple[int, int], int] = field(default_factory=dict)
    per_kecamatan: dict[tuple[int, int], Hitungan] = field(default_factory=dict)
    kota_kelurahan: dict[int, Hitungan] = field(default_factory=dict)
    kota_kecamatan: dict[int, Hitungan] = field(default_factory=dict)

    def punya(self, wilayah_id: int, jenis: JenisFasilitas) -> bool:
        return self.status.get((wilayah_id, jenis.pk), 0) >= jenis.status_minimal

    def hitungan(self, jenis: JenisFasilitas, tingkat: int) -> Hitungan:
        """The city's count at a level: kecamatan that have it, or kelurahan that have it."""
        sumber = self.kota_kecamatan if tingkat == KECAMATAN else self.kota_kelurahan
        return sumber.get(jenis.pk, Hitungan())


def hitung_cakupan(units, register, jenis: list[JenisFasilitas]) -> Cakupan:
    """Coverage from ``units`` (Wilayah of one city, kecamatan and kelurahan, in code order) and
    ``register`` ((wilayah_id, jenis_id, status) rows). Pure: no query."""
    units = list(units)
    cakupan = Cakupan(
        jenis=jenis,
        kecamatan=[u for u in units if u.tingkat == KECAMATAN],
        kelurahan=[u for u in units if u.tingkat == DESA_KELURAHAN],
        status={(w, j): s for w, j, s in register},
    )
    per_kecamatan: dict = defaultdict(Hitungan)
    for j in jenis:
        kota_kel, kota_kec = Hitungan(), Hitungan()
        if j.untuk_kelurahan:
            for kel in cakupan.kelurahan:
                ada = cakupan.punya(kel.pk, j)
                for hitungan in (per_kecamatan[(kel.induk_id, j.pk)], kota_kel):
                    hitungan.dari += 1
                    hitungan.ada += ada
        if j.untuk_kecamatan:
            for kec in cakupan.kecamatan:
                kota_kec.dari += 1
                kota_kec.ada += cakupan.punya(kec.pk, j)
        cakupan.kota_kelurahan[j.pk], cakupan.kota_kecamatan[j.pk] = kota_kel, kota_kec
    cakupan.per_kecamatan = dict(per_kecamatan)
    return cakupan


def baca_cakupan(units_qs) -> Cakupan:
    """The coverage of the units in ``units_qs``: three queries (kinds, units, register)."""
    jenis = list(JenisFasilitas.objects.all())
    units_qs = units_qs.filter(tingkat__in=[KECAMATAN, DESA_KELURAHAN])
    units = list(units_qs.order_by("kode"))
    register = (
        Fasilitas.objects.filter(wilayah__in=units_qs.values("pk"))
        .exclude(status=StatusFasilitas.BELUM_ADA)
        .values_list("wilayah_id", "jenis_id", "status")
    )
    return hitung_cakupan(units, register, jenis)
