"""Agencies (OPD): register and change them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from agencies.models import Opd, User, Wilayah


def _check_opd_wilayah(*, jenis: str, wilayah: Wilayah | None) -> None:
    if jenis == Opd.Jenis.KECAMATAN and (
        wilayah is None or wilayah.tingkat != Wilayah.Tingkat.KECAMATAN
    ):
        raise ValidationError({"wilayah": _("Pilih kecamatan yang dilayani OPD kecamatan ini.")})


def opd_buat(
    *, nama: str, singkatan: str, jenis: str, by: User, wilayah: Wilayah | None = None
) -> Opd:
    """Register an agency of the kab/kota ``by`` acts for. Refuses a short name already used
    there (ignoring case)."""
    _check_opd_wilayah(jenis=jenis, wilayah=wilayah)
    sekota = Opd.objects.filter(daerah_id=by.daerah_id)
    if sekota.filter(singkatan__iexact=singkatan.strip()).exists():
        raise ValidationError(
            {"singkatan": _("Singkatan %(s)s sudah dipakai OPD lain.") % {"s": singkatan}}
        )
    opd = Opd(
        daerah_id=by.daerah_id,
        nama=nama.strip(),
        singkatan=singkatan.strip(),
        jenis=jenis,
        wilayah=wilayah,
    )
    opd._history_user = by
    opd.save()
    return opd


def opd_ubah(*, opd: Opd, by: User, **fields) -> Opd:
    """Change an agency's name, short name, kind, area or active flag."""
    singkatan = fields.get("singkatan", opd.singkatan).strip()
    sekota = Opd.objects.filter(daerah_id=opd.daerah_id)
    if sekota.filter(singkatan__iexact=singkatan).exclude(pk=opd.pk).exists():
        raise ValidationError(
            {"singkatan": _("Singkatan %(s)s sudah dipakai OPD lain.") % {"s": singkatan}}
        )
    _check_opd_wilayah(
        jenis=fields.get("jenis", opd.jenis), wilayah=fields.get("wilayah", opd.wilayah)
    )
    for name, value in fields.items():
        setattr(opd, name, value.strip() if isinstance(value, str) else value)
    opd._history_user = by
    opd.save()
    return opd
