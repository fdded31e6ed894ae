"""Who may do what: every role check of the portal is declared here, once.

Views, templates (``{% if perms.agencies.kelola_pengguna %}``), the API and the querysets'
``visible_to`` all ask these permissions, so a role's reach is changed in one place.
"""

import rules

from agencies.models import PERAN_PROVINSI, PERAN_SELURUH_KOTA, Peran


def peran_adalah(*roles: str) -> rules.Predicate:
    """A predicate true when the user holds one of the roles in an active membership."""

    @rules.predicate(name=f"peran_{'_'.join(roles)}")
    def holds(user) -> bool:
        return user.is_authenticated and user.has_role(*roles)

    return holds


is_admin = peran_adalah(Peran.ADMIN)
is_sekretariat = peran_adalah(Peran.SEKRETARIAT)
is_seluruh_kota = peran_adalah(*PERAN_SELURUH_KOTA)
is_anggota_opd = peran_adalah(Peran.KEPALA_OPD, Peran.OPERATOR_OPD)
is_operator_wilayah = peran_adalah(Peran.OPERATOR_WILAYAH)

# Read everything in the city: every agency, every person, every area.
rules.add_perm("agencies.view_seluruh_kota", is_seluruh_kota)
# Create and edit agencies.
rules.add_perm("agencies.kelola_opd", is_admin | is_sekretariat)
# Create accounts, add and end memberships, reset passwords.
rules.add_perm("agencies.kelola_pengguna", is_admin | is_sekretariat)


@rules.predicate
def orang_lain_bukan_admin(user, person) -> bool:
    """Someone else, holding no admin power: what the secretariat may manage."""
    if person is None:
        return True
    return person.pk != user.pk and not (person.is_superuser or person.has_role(Peran.ADMIN))


@rules.predicate
def orang_lain(user, person) -> bool:
    return person is None or person.pk != user.pk


# Manage this particular person: reset their password, give or end their roles. Nobody manages
# their own account this way (no locking oneself out); only an admin manages an admin.
rules.add_perm(
    "agencies.kelola_orang_ini", (is_admin & orang_lain) | (is_sekretariat & orang_lain_bukan_admin)
)
# Give the admin role.
rules.add_perm("agencies.beri_peran_admin", is_admin)
# See the list of agencies (one's own for agency staff).
rules.add_perm("agencies.lihat_opd", is_seluruh_kota | is_anggota_opd | is_operator_wilayah)
# The Django admin, for the technical administrator only.
rules.add_perm("agencies.buka_admin_teknis", is_admin)


# --- The task force and the sub-district facilities ---------------------------------------


@rules.predicate
def operator_kecamatan_gugus(user, gugus_tugas) -> bool:
    """The area operator of the very kecamatan whose task force this is."""
    if gugus_tugas is None or not user.is_authenticated:
        return False
    return any(
        k.peran == Peran.OPERATOR_WILAYAH and k.wilayah_id == gugus_tugas.wilayah_id
        for k in user.keanggotaan_aktif
    )


@rules.predicate
def operator_unit(user, wilayah) -> bool:
    """The area operator of the unit, or of the kecamatan the kelurahan belongs to."""
    if wilayah is None or not user.is_authenticated:
        return False
    return any(
        k.peran == Peran.OPERATOR_WILAYAH and k.wilayah_id in (wilayah.pk, wilayah.induk_id)
        for k in user.keanggotaan_aktif
    )


# Read the task forces, their members and meetings' calendar: everyone with a role.
rules.add_perm("agencies.lihat_gugus_tugas", is_seluruh_kota | is_anggota_opd | is_operator_wilayah)
# Record decrees, members and KHA training: the secretariat for every task force, a kecamatan's
# operator for the kecamatan's own.
rules.add_perm("agencies.kelola_gugus_tugas", is_admin | is_sekretariat | operator_kecamatan_gugus)
# Record a unit's facilities: its own operator (a kecamatan's also its kelurahan), the
# secretariat and the admin.
rules.add_perm("agencies.ubah_fasilitas", is_admin | is_sekretariat | operator_unit)


# --- The province ---------------------------------------------------------------------------

is_admin_provinsi = peran_adalah(Peran.ADMIN_PROVINSI)
is_verifikator_provinsi = peran_adalah(Peran.VERIFIKATOR_PROVINSI)
is_provinsi = peran_adalah(*PERAN_PROVINSI)


@rules.predicate
def verifikator_kota(user, kota) -> bool:
    """A member of the province's verification team assigned to this kab/kota."""
    return kota is not None and user.is_authenticated and kota.pk in user.kota_verifikasi_ids()


# Follow every kab/kota of the province: its dashboard, PROVILA readiness, their exports.
rules.add_perm("agencies.pantau_provinsi", is_provinsi | rules.is_superuser)
# Serve a kab/kota of the province, give its first secretariat account, assign the province's
# verifiers, set and extend each city's deadline.
rules.add_perm("agencies.kelola_provinsi", is_admin_provinsi | rules.is_superuser)
# Verify a kab/kota's answers for the province: accept, give own points, return.
rules.add_perm("agencies.verifikasi_provinsi", verifikator_kota)
