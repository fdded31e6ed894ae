"""Steps shared by the task-force and facility writes."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kla_portal.berkas import dibuang_bila_gagal, periksa_berkas, simpan_berkas


def _periksa_tanggal_lalu(tanggal: date, field: str) -> None:
    if tanggal > timezone.localdate():
        raise ValidationError({field: _("Tanggal tidak boleh di masa depan.")})


def _simpan_berkas(instance, field: str, berkas, nama_file: str, tersimpan: list) -> None:
    """Store an upload (checked before) in ``field`` (with ``<field>_nama``), noting it in
    ``tersimpan`` (kla_portal.berkas.dibuang_bila_gagal) so a failed save removes it again."""
    info = periksa_berkas(berkas)
    setattr(instance, f"{field}_nama", info.nama)
    simpan_berkas(getattr(instance, field), f"{nama_file}.{info.ekstensi}", berkas)
    tersimpan.append(getattr(instance, field))


def _simpan_dengan_berkas(instance, *, by, field: str, berkas, nama_file: str) -> None:
    """Save ``instance`` (with ``by`` in its history) and its upload in ``field`` when there
    is one, checked before: a failed save removes the stored file again."""
    instance._history_user = by
    with dibuang_bila_gagal() as tersimpan:
        if berkas is not None:
            _simpan_berkas(instance, field, berkas, nama_file, tersimpan)
        instance.save()
