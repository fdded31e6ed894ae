"""The local government (daerah) a record belongs to: a kab/kota, or the province for its own
task force and meetings.

One installation serves one kab/kota or a province with many. Every record that belongs to one
of them carries it directly in ``daerah``, indexed: scoping is one filter in the same
``visible_to`` querysets (``DaerahQuerySet.di_daerah``), and the data can later be distributed
by it (PostgreSQL partitioning, or Citus with ``daerah`` as the distribution column).

A record made under another (an answer under its agency, an action's target under the action)
takes its parent's daerah when saved (``DAERAH_DARI`` names the parent, or the first of several
that is set: an answer's agency, else its kecamatan/kelurahan); a record with no such
parent (an agency, a plan period, a score snapshot) is given its daerah by the service that
makes it. ``bulk_create`` does the same for every row in a query per kind of parent.
This module never imports models.py (which imports it).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

KABKOTA = 2  # Wilayah.Tingkat.KABKOTA, without importing models.py


class DaerahQuerySet(models.QuerySet):
    def di_daerah(self, user) -> DaerahQuerySet:
        """Records of the local governments the user works for; every one for a superuser
        (the operator of the installation)."""
        if user.is_superuser:
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(daerah_id__in=user.daerah_ids())

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        isi_daerah(objs)
        return super().bulk_create(objs, *args, **kwargs)


def isi_daerah(objs: list) -> None:
    """Give the records without a daerah the one of the record they hang under
    (``DAERAH_DARI``): read from the parent when it is loaded, else one query per kind of
    parent for all of them."""
    kosong = [obj for obj in objs if obj.daerah_id is None]
    if not kosong:
        return
    for induk in type(kosong[0]).DAERAH_DARI:
        field = type(kosong[0])._meta.get_field(induk)
        dicari = {}
        for obj in kosong:
            if field.is_cached(obj) and getattr(obj, induk) is not None:
                obj.daerah_id = daerah_dari(getattr(obj, induk))
            elif getattr(obj, field.attname) is not None:
                dicari.setdefault(getattr(obj, field.attname), []).append(obj)
        for pk, daerah_id in _peta_daerah(field.related_model, set(dicari)).items():
            for obj in dicari[pk]:
                obj.daerah_id = daerah_id
        kosong = [obj for obj in kosong if obj.daerah_id is None]
        if not kosong:
            return


def daerah_dari(induk) -> int | None:
    """The daerah of a loaded parent: its own, or for a region the kab/kota it lies in."""
    if induk is None:
        return None
    if hasattr(induk, "daerah_id"):
        return induk.daerah_id
    return _peta_daerah(type(induk), {induk.pk}).get(induk.pk)


def _peta_daerah(model, pks: set) -> dict:
    """Parent pk to daerah, in one query (two for regions: their own codes, then the kab/kota
    those codes lie in, PP.KK being a code's first five characters)."""
    if not pks:
        return {}
    semua = model._base_manager.filter(pk__in=pks)
    if any(f.name == "daerah" for f in model._meta.fields):
        return dict(semua.values_list("pk", "daerah_id"))
    kode = {pk: (kode, tingkat) for pk, kode, tingkat in semua.values_list("pk", "kode", "tingkat")}
    kabkota = dict(
        model._base_manager.filter(kode__in={k[:5] for k, _t in kode.values()}).values_list(
            "kode", "pk"
        )
    )
    return {
        pk: pk if tingkat <= KABKOTA else kabkota.get(k[:5]) for pk, (k, tingkat) in kode.items()
    }


class MilikDaerah(models.Model):
    """A record that belongs to one daerah (see the module's docstring)."""

    DAERAH_DARI: tuple[str, ...] = ()  # the foreign keys whose record gives this one its daerah

    daerah = models.ForeignKey(
        "agencies.Wilayah",
        verbose_name=_("daerah"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Kabupaten/kota (atau provinsi) pemilik data ini."),
    )

    objects = DaerahQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        isi_daerah([self])
        super().save(*args, **kwargs)


def migrasi_isi_daerah(app_label: str, *model_names: str):
    """A migration step giving the existing rows of these models their daerah: the kab/kota
    the installation served before it could serve several (the only one, or none on a fresh
    database). Run it after ``agencies`` marked that kab/kota served (migration 0008)."""
    from django.db import migrations

    def isi(apps, schema_editor):
        Wilayah = apps.get_model("agencies", "Wilayah")
        kota = (
            Wilayah.objects.filter(tingkat=KABKOTA, dilayani_sejak__isnull=False)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        for name in model_names:
            kosong = apps.get_model(app_label, name).objects.filter(daerah__isnull=True)
            if kota is not None:
                kosong.update(daerah_id=kota)
            elif kosong.exists():
                raise RuntimeError(
                    f"{app_label}.{name} punya data tetapi belum ada kabupaten/kota yang dilayani: "
                    "muat kabupaten/kotanya dahulu (manage.py load_wilayah KODE) lalu migrasi lagi."
                )

    return migrations.RunPython(isi, migrations.RunPython.noop, elidable=False)
