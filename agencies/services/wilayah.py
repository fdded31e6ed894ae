"""Regions: one kab/kota with its province, kecamatan and desa/kelurahan (Kemendagri list)."""

from __future__ import annotations

import csv
import functools
import gzip
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Wilayah

WILAYAH_CSV = Path(__file__).resolve().parent.parent / "data" / "wilayah_kepmendagri_2025.csv.gz"
KODE_KABKOTA = re.compile(r"\d{2}\.\d{2}")


@dataclass(frozen=True)
class HasilMuatWilayah:
    kabkota: Wilayah
    kecamatan: int
    kelurahan: int
    desa: int
    baru: int

    @property
    def desa_kelurahan(self) -> int:
        return self.kelurahan + self.desa


def _tingkat(kode: str) -> int:
    return kode.count(".") + 1


@functools.lru_cache(maxsize=8)
def _baris_kabkota(kode: str) -> list[tuple[str, str]]:
    """(kode, nama) of the kab/kota, its province and everything below it, parents first."""
    provinsi = kode[:2]
    rows = []
    with gzip.open(WILAYAH_CSV, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            row_kode = row["kode"]
            if row_kode in (provinsi, kode) or row_kode.startswith(f"{kode}."):
                rows.append((row_kode, row["nama"].strip()))
    rows.sort(key=lambda row: (_tingkat(row[0]), row[0]))
    return rows


@functools.lru_cache(maxsize=4)
def kabkota_di_provinsi(kode_provinsi: str) -> tuple[tuple[str, str], ...]:
    """(kode, nama) of every kab/kota of a province in the Kemendagri list: what PROVILA
    needs in a KLA category, and what the province may serve."""
    with gzip.open(WILAYAH_CSV, "rt", encoding="utf-8", newline="") as handle:
        return tuple(
            (row["kode"], row["nama"].strip())
            for row in csv.DictReader(handle)
            if row["kode"].startswith(f"{kode_provinsi}.") and _tingkat(row["kode"]) == 2
        )


def wilayah_muat(*, kode: str) -> HasilMuatWilayah:
    """Load one kab/kota with its province, kecamatan and desa/kelurahan from the Kemendagri list.

    Idempotent: regions already present are left as they are. The first kab/kota loaded (or
    the one named by KLA_KABKOTA) becomes the one the installation serves. Refuses a malformed
    code, a code that is not a kab/kota, and a code absent from the list.
    """
    kode = kode.strip()
    _periksa_kode(kode)
    rows = _baris_kabkota(kode)
    if not any(row_kode == kode for row_kode, _nama in rows):
        raise ValidationError(
            _("Kode %(kode)s tidak ada dalam daftar wilayah Kemendagri 2025.") % {"kode": kode}
        )
    baru = _tambah_yang_belum_ada(rows)
    pertama = not settings.KLA_KABKOTA and not Wilayah.objects.dilayani().exists()
    if kode == settings.KLA_KABKOTA or pertama:
        _layani(kode)
    bawah = [row_kode for row_kode, _nama in rows if _tingkat(row_kode) == 4]
    return HasilMuatWilayah(
        kabkota=Wilayah.objects.get(kode=kode),
        kecamatan=sum(1 for row_kode, _nama in rows if _tingkat(row_kode) == 3),
        kelurahan=sum(1 for row_kode in bawah if row_kode[9] == "1"),
        desa=sum(1 for row_kode in bawah if row_kode[9] != "1"),
        baru=baru,
    )


def kabkota_layani(*, kode: str) -> HasilMuatWilayah:
    """Serve one more kab/kota (a province hosting its cities): load it as ``wilayah_muat``
    does and mark it served. Its agencies, people and data are its own from then on."""
    hasil = wilayah_muat(kode=kode)
    _layani(hasil.kabkota.kode)
    hasil.kabkota.refresh_from_db(fields=["dilayani_sejak"])
    return hasil


def _layani(kode: str) -> None:
    Wilayah.objects.filter(kode=kode, dilayani_sejak__isnull=True).update(
        dilayani_sejak=timezone.localdate()
    )


def _periksa_kode(kode: str) -> None:
    """Refuse a code that is not written as a kab/kota's, naming a province's as such."""
    if KODE_KABKOTA.fullmatch(kode):
        return
    if re.fullmatch(r"\d{2}", kode):
        raise ValidationError(
            _("Kode %(kode)s adalah provinsi. Muat satu kabupaten/kota, misalnya 36.73.")
            % {"kode": kode}
        )
    raise ValidationError(
        _(
            "Kode %(kode)r tidak valid: gunakan kode kabupaten/kota Kemendagri PP.KK, "
            "misalnya 36.73."
        )
        % {"kode": kode}
    )


@transaction.atomic
def _tambah_yang_belum_ada(rows: list[tuple[str, str]]) -> int:
    """Insert the regions of ``rows`` not yet present, level by level so each knows its
    parent; returns how many were new."""
    known = dict(
        Wilayah.objects.filter(kode__in=[row_kode for row_kode, _nama in rows]).values_list(
            "kode", "pk"
        )
    )
    baru = 0
    for tingkat in Wilayah.Tingkat.values:
        fresh = [
            Wilayah(
                kode=row_kode,
                nama=nama,
                tingkat=tingkat,
                induk_id=known.get(row_kode.rsplit(".", 1)[0]) if tingkat > 1 else None,
            )
            for row_kode, nama in rows
            if _tingkat(row_kode) == tingkat and row_kode not in known
        ]
        Wilayah.objects.bulk_create(fresh, batch_size=500)
        baru += len(fresh)
        if fresh:
            known.update(
                Wilayah.objects.filter(kode__in=[w.kode for w in fresh]).values_list("kode", "pk")
            )
    return baru
