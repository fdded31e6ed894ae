"""Who may build and read the reports. Role predicates come from agencies.rules.

The bundle holds the whole city's answers and evidence: the secretariat builds it, every
city-wide role (secretariat, Bappeda, pimpinan, admin) downloads it. An agency's report card
(rapor OPD) is read by the city-wide roles and by that agency's own staff.
"""

import rules

from agencies.rules import is_admin, is_anggota_opd, is_sekretariat, is_seluruh_kota


@rules.predicate
def anggota_opd_ini(user, opd) -> bool:
    """The person works in this agency (head or operator)."""
    return opd is not None and user.is_authenticated and opd.pk in user.opd_ids()


# Start building an evaluation bundle, or send the agencies' report cards to their heads.
rules.add_perm("laporan.buat_bundel", is_admin | is_sekretariat)
# See and download the bundles built so far.
rules.add_perm("laporan.unduh_bundel", is_seluruh_kota)
# Open the reports page: the bundles for city-wide roles, the agency's own report card for
# its staff.
rules.add_perm("laporan.lihat_laporan", is_seluruh_kota | is_anggota_opd)
# Read one agency's report card.
rules.add_perm("laporan.lihat_rapor_opd", is_seluruh_kota | (is_anggota_opd & anggota_opd_ini))
