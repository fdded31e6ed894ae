"""Who may do what in coordination. Role predicates come from agencies.rules; the task force
and the facility register (in agencies) have their permissions there.

Object permissions take a follow-up (TindakLanjut): its owner agency's head and operators
report on it and close it.
"""

import rules

from agencies.models import PERAN_OPD
from agencies.rules import (
    is_admin,
    is_anggota_opd,
    is_operator_wilayah,
    is_sekretariat,
    is_seluruh_kota,
)


@rules.predicate
def pemilik_tindak_lanjut(user, tindak_lanjut) -> bool:
    """The head or an operator of the agency that owns the follow-up."""
    if tindak_lanjut is None or not user.is_authenticated:
        return False
    return any(
        k.peran in PERAN_OPD and k.opd_id == tindak_lanjut.opd_id for k in user.keanggotaan_aktif
    )


# The coordination pages (calendar, follow-ups, facilities): everyone with a role, scoped.
rules.add_perm(
    "koordinasi.lihat_koordinasi", is_seluruh_kota | is_anggota_opd | is_operator_wilayah
)
# Schedule, change and cancel meetings; record attendance, minutes and decisions.
rules.add_perm("koordinasi.kelola_rapat", is_admin | is_sekretariat)
# Report on a follow-up and close it: its owner agency, or the secretariat for it.
rules.add_perm("koordinasi.ubah_tindak_lanjut", is_admin | is_sekretariat | pemilik_tindak_lanjut)
# The coordination effectiveness panel (the mayor's summary): city-wide roles.
rules.add_perm("koordinasi.lihat_efektivitas", is_seluruh_kota)
# Subscribe to an agency's calendar feed: its own staff, and city-wide roles for any agency.
rules.add_perm("koordinasi.kalender_opd", is_seluruh_kota | is_anggota_opd)
