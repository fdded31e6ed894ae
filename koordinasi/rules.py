"""Who may do what in coordination. Role predicates come from agencies.rules; the task force
and the facility register (in agencies) have their permissions there.

Object permissions take a follow-up (TindakLanjut: its owner agency's head and operators report
on it and close it) or a task force (GugusTugas: who schedules and keeps its meetings).
"""

import rules

from agencies.models import PERAN_OPD
from agencies.rules import (
    is_admin,
    is_anggota_opd,
    is_operator_wilayah,
    is_sekretariat,
    is_seluruh_kota,
    operator_kecamatan_gugus,
)
from koordinasi.models import opd_kerja


@rules.predicate
def pemilik_tindak_lanjut(user, tindak_lanjut) -> bool:
    """The head or an operator of the agency that owns the follow-up; for a kecamatan office's
    follow-up, also that kecamatan's area operator (who acts for the office in coordination)."""
    if tindak_lanjut is None or not user.is_authenticated:
        return False
    if any(
        k.peran in PERAN_OPD and k.opd_id == tindak_lanjut.opd_id for k in user.keanggotaan_aktif
    ):
        return True
    return bool(user.kecamatan_operator_ids()) and tindak_lanjut.opd_id in opd_kerja(user)


# The coordination pages (calendar, follow-ups, facilities): everyone with a role, scoped.
rules.add_perm(
    "koordinasi.lihat_koordinasi", is_seluruh_kota | is_anggota_opd | is_operator_wilayah
)
# Schedule, change and cancel meetings of a task force (the object); record attendance,
# minutes and decisions: the secretariat for every task force, a kecamatan's operator for the
# kecamatan's own.
rules.add_perm("koordinasi.kelola_rapat", is_admin | is_sekretariat | operator_kecamatan_gugus)
# Reopen a follow-up its owner closed (with a reason the owner is told).
rules.add_perm("koordinasi.buka_tindak_lanjut", is_admin | is_sekretariat)
# Report on a follow-up and close it: its owner agency, or the secretariat for it.
rules.add_perm("koordinasi.ubah_tindak_lanjut", is_admin | is_sekretariat | pemilik_tindak_lanjut)
# The coordination effectiveness panel (the mayor's summary): city-wide roles.
rules.add_perm("koordinasi.lihat_efektivitas", is_seluruh_kota)
# Subscribe to the calendar feed of an agency one belongs to (its heads and operators, and
# city-wide roles that sit in an agency, such as the secretariat in DP3A): a feed per person,
# which stops when they leave the agency.
rules.add_perm("koordinasi.kalender_opd", is_seluruh_kota | is_anggota_opd)
