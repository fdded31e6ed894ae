"""Who may do what in the evaluation. Role predicates come from agencies.rules.

Object permissions take an answer (Jawaban), saved or not yet saved: an unsaved one still
knows its question, its unit and its lead agency, which is all these rules need.
"""

import rules

from agencies.models import Opd, Peran, Wilayah
from agencies.rules import (
    is_admin,
    is_anggota_opd,
    is_operator_wilayah,
    is_sekretariat,
    is_seluruh_kota,
    peran_adalah,
)

is_operator_opd = peran_adalah(Peran.OPERATOR_OPD)


def _kecamatan_id(wilayah: Wilayah) -> int:
    return wilayah.pk if wilayah.tingkat == Wilayah.Tingkat.KECAMATAN else wilayah.induk_id


@rules.predicate
def pengisi_jawaban(user, jawaban) -> bool:
    """An operator of the lead agency, or of the very kecamatan/kelurahan the answer is for."""
    if jawaban is None or not user.is_authenticated:
        return False
    for k in user.keanggotaan_aktif:
        if jawaban.wilayah_id is None:
            if k.peran == Peran.OPERATOR_OPD and k.opd_id and k.opd_id == jawaban.opd_id:
                return True
        elif k.peran == Peran.OPERATOR_WILAYAH and k.wilayah_id == jawaban.wilayah_id:
            return True
    return False


@rules.predicate
def kepala_jawaban(user, jawaban) -> bool:
    """The head of the lead agency, or of the kecamatan office for a kecamatan/kelurahan."""
    if jawaban is None or not user.is_authenticated:
        return False
    for k in user.keanggotaan_aktif:
        if k.peran != Peran.KEPALA_OPD or not k.opd_id:
            continue
        if jawaban.wilayah_id is None and k.opd_id == jawaban.opd_id:
            return True
        if (
            jawaban.wilayah_id is not None
            and k.opd.jenis == Opd.Jenis.KECAMATAN
            and k.opd.wilayah_id == _kecamatan_id(jawaban.wilayah)
        ):
            return True
    return False


@rules.predicate
def satu_kota(user) -> bool:
    """The installation serves one kab/kota (read once per request)."""
    if not hasattr(user, "_satu_kota"):
        user._satu_kota = Wilayah.objects.dilayani().count() <= 1
    return user._satu_kota


# Map agencies, assign questions, give extensions, verify: the city's own round.
rules.add_perm("clusters.kelola_evaluasi", is_admin | is_sekretariat)
# The year itself, shared by every city an installation serves: create it, import its
# instrument, open and close it, its deadline, which facilities count a question. A city's
# secretariat in a one-city installation; with several cities, the province's admin (or the
# installation's operator), so that no city closes the year of another.
rules.add_perm(
    "clusters.kelola_tahun",
    rules.is_superuser
    | peran_adalah(Peran.ADMIN_PROVINSI)
    | ((is_admin | is_sekretariat) & satu_kota),
)
# Follow the whole city's evaluation (read only for Bappeda and pimpinan).
rules.add_perm("clusters.pantau_evaluasi", is_seluruh_kota | peran_adalah(Peran.ADMIN_PROVINSI))
# See the score dashboards: the city total for everyone with a role; the whole city's detail
# for city-wide roles, an agency's or a unit's own slice for the others (clusters.dasbor).
rules.add_perm("clusters.lihat_skor", is_seluruh_kota | is_anggota_opd | is_operator_wilayah)
# Have a task inbox: agency staff and area operators.
rules.add_perm("clusters.lihat_tugas", is_anggota_opd | is_operator_wilayah)
# Answer a question and attach its evidence.
rules.add_perm("clusters.isi_jawaban", pengisi_jawaban)
# Approve an answer before it goes to the secretariat, or send it back.
rules.add_perm("clusters.setujui_jawaban", kepala_jawaban)
# Verify, return and reopen answers.
rules.add_perm("clusters.verifikasi_jawaban", is_admin | is_sekretariat)
# Import answers from a spreadsheet: every question, or an operator's own agency's questions.
rules.add_perm("clusters.impor_jawaban", is_admin | is_sekretariat | is_operator_opd)
