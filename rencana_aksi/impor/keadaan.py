"""An action as the import compares it: what it holds, its fingerprint, what a row changes."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.db.models import Prefetch

from agencies.models import Opd
from rencana_aksi.impor.kolom import BIDANG, SEN, TAHUNAN
from rencana_aksi.models import Aksi, AksiIndikator, TargetTahunan
from rencana_aksi.services import DataAksi


def aksi_lengkap(queryset):
    """Actions with what the import compares: supporting agencies, KLA indicators, targets."""
    return queryset.select_related("opd_utama").prefetch_related(
        Prefetch("opd_pendukung", queryset=Opd.objects.order_by("pk")),
        Prefetch("indikator", queryset=AksiIndikator.objects.order_by("kode")),
        Prefetch("target", queryset=TargetTahunan.objects.order_by("tahun")),
    )


def _bidang_skalar() -> list[str]:
    # DataAksi.FIELDS without the lead agency, which is compared by its id.
    return [name for name in DataAksi.FIELDS if name != "opd_utama"]


def _keadaan(aksi: Aksi) -> dict:
    """An action's values as the import compares them (read through ``aksi_lengkap``)."""
    nilai = {name: getattr(aksi, name) for name in _bidang_skalar()}
    nilai["opd_utama"] = aksi.opd_utama_id
    nilai["opd_pendukung"] = frozenset(o.pk for o in aksi.opd_pendukung.all()) - {aksi.opd_utama_id}
    nilai["indikator_kla"] = frozenset(i.kode for i in aksi.indikator.all())
    nilai["target"] = {t.tahun: (t.target, t.pagu, t.sumber_dana) for t in aksi.target.all()}
    return nilai


def _keadaan_data(data: DataAksi) -> dict:
    nilai = {name: getattr(data, name) for name in _bidang_skalar()}
    nilai["opd_utama"] = data.opd_utama.pk
    nilai["opd_pendukung"] = frozenset(o.pk for o in data.opd_pendukung) - {data.opd_utama.pk}
    nilai["indikator_kla"] = frozenset(k.strip() for k in data.indikator_kla if k.strip())
    nilai["target"] = dict(data.target)
    return nilai


def sidik_aksi(aksi: Aksi) -> str:
    """A fingerprint of everything the import may change in an action (read through
    ``aksi_lengkap``): equal fingerprints, nothing changed in between."""

    def baku(value):
        if isinstance(value, Decimal):
            return str(value.quantize(SEN))
        if isinstance(value, frozenset):
            return sorted(value)
        if isinstance(value, dict):
            return sorted((k, baku(v)) for k, v in value.items())
        if isinstance(value, tuple):
            return tuple(baku(v) for v in value)
        return value

    nilai = _keadaan(aksi)
    teks = repr([(k, baku(nilai[k])) for k in sorted(nilai)])
    return hashlib.sha256(teks.encode()).hexdigest()[:20]


def perubahan(aksi: Aksi, data: DataAksi) -> tuple[str, ...]:
    """The plan columns whose value the row changes (years: target_2026 and so on)."""
    lama, baru = _keadaan(aksi), _keadaan_data(data)
    kolom_bidang = {field: kolom for kolom, field in BIDANG.items()}
    berubah = [
        kolom_bidang.get(name, name)
        for name in baru
        if name != "target" and baru[name] != lama[name]
    ]
    for tahun, nilai in sorted(baru["target"].items()):
        sekarang = lama["target"].get(tahun, (None, None, None))
        berubah.extend(
            f"{jenis}_{tahun}"
            for jenis, a, b in zip(TAHUNAN, nilai, sekarang, strict=True)
            if a != b
        )
    return tuple(berubah)
