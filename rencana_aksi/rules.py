"""Who may do what in the RAD. Role predicates come from agencies.rules.

Object permissions take an action (Aksi): its lead agency reports on it; the head of that
agency approves the report; Bappeda reviews it.
"""

import rules

from agencies.models import Peran
from agencies.rules import is_admin, is_anggota_opd, is_sekretariat, is_seluruh_kota, peran_adalah

is_bappeda = peran_adalah(Peran.BAPPEDA)
is_operator_opd = peran_adalah(Peran.OPERATOR_OPD)


def _peran_di_opd_utama(peran: str):
    @rules.predicate(name=f"{peran}_opd_utama_aksi")
    def check(user, aksi) -> bool:
        if aksi is None or not user.is_authenticated:
            return False
        return any(
            k.peran == peran and k.opd_id == aksi.opd_utama_id for k in user.keanggotaan_aktif
        )

    return check


pelapor_aksi = _peran_di_opd_utama(Peran.OPERATOR_OPD)
kepala_aksi = _peran_di_opd_utama(Peran.KEPALA_OPD)

# Read the RAD: the whole plan for city-wide roles, an agency's own actions for its staff.
rules.add_perm("rencana_aksi.lihat_rad", is_seluruh_kota | is_anggota_opd)
# Create plan periods, write actions and targets, enter the city's total budget.
rules.add_perm("rencana_aksi.kelola_rad", is_admin | is_bappeda | is_sekretariat)
# Report an action's quarter and attach its evidence: an operator of its lead agency.
rules.add_perm("rencana_aksi.lapor_realisasi", pelapor_aksi)
# Approve a quarterly report (or send it back): the head of the lead agency.
rules.add_perm("rencana_aksi.setujui_realisasi", kepala_aksi)
# Review approved reports, return them with a reason: Bappeda (and the admin).
rules.add_perm("rencana_aksi.tinjau_realisasi", is_admin | is_bappeda)
# Import from Excel: the whole plan (kelola_rad), or an operator's own actions' targets and
# quarterly realisation.
rules.add_perm("rencana_aksi.impor_rad", is_admin | is_bappeda | is_sekretariat | is_operator_opd)
