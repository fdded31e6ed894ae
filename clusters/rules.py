"""Who may do what in the evaluation. Role predicates come from agencies.rules."""

import rules

from agencies.rules import is_admin, is_sekretariat, is_seluruh_kota

# Open years, import the instrument, map agencies, assign questions, set deadlines.
rules.add_perm("clusters.kelola_evaluasi", is_admin | is_sekretariat)
# Follow the whole city's evaluation (read only for Bappeda and pimpinan).
rules.add_perm("clusters.pantau_evaluasi", is_seluruh_kota)
