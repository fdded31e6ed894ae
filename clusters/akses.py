"""Who may read an answer, beside the querysets' ``visible_to`` (clusters.models): the areas a
person works in, and the rule for one answer. Imports no model of its own app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agencies.models import Opd, Wilayah

if TYPE_CHECKING:
    from clusters.models import Pertanyaan


def wilayah_kerja(user) -> set[int]:
    """The kecamatan/kelurahan a person works in: as an area operator, or in a kecamatan office
    (whose staff oversee the kecamatan and its kelurahan)."""
    areas = set(user.wilayah_ids())
    for k in user.keanggotaan_aktif:
        if k.opd_id and k.opd.jenis == Opd.Jenis.KECAMATAN:
            areas.add(k.opd.wilayah_id)
    return areas


def boleh_lihat_jawaban(user, pertanyaan: Pertanyaan, wilayah: Wilayah | None) -> bool:
    """The rule of JawabanQuerySet.visible_to for one answer, saved or not yet saved."""
    if user.has_perm("agencies.view_seluruh_kota"):
        return True
    if any(t.opd_id in user.opd_ids() for t in pertanyaan.penugasan.all()):
        return True
    areas = wilayah_kerja(user)
    return wilayah is not None and (wilayah.pk in areas or wilayah.induk_id in areas)
