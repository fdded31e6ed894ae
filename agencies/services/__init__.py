"""Writes of the agencies app: loading regions, agencies, accounts and memberships, notifications,
the task force and the sub-district facilities.

Every function takes keyword arguments, runs in one transaction and refuses with a
``ValidationError`` in Indonesian when the change would be wrong, so nothing half-done is left.
Callers import from here (``from agencies import services``); the modules hold one subject each.
"""

from agencies.services.fasilitas import GAMBAR, fasilitas_simpan
from agencies.services.gugus_tugas import (
    ALASAN_PINDAH,
    anggota_akhiri,
    anggota_baru_tambah,
    anggota_pindah,
    anggota_tambah,
    gugus_tugas_buat,
    kabari_terlatih_pergi,
    pelatihan_catat,
    personil_simpan,
    sk_gugus_tugas_tambah,
)
from agencies.services.notifikasi import (
    JUDUL_MAKS,
    judul_satu_baris,
    notifikasi_baca,
    notifikasi_baca_semua,
    notifikasi_kirim,
    pengguna_dengan_peran,
)
from agencies.services.opd import opd_create, opd_update
from agencies.services.pengguna import (
    keanggotaan_add,
    keanggotaan_end,
    user_create,
    user_password_changed,
    user_reset_password,
)
from agencies.services.wilayah import HasilMuatWilayah, wilayah_load

__all__ = [
    "ALASAN_PINDAH",
    "GAMBAR",
    "JUDUL_MAKS",
    "HasilMuatWilayah",
    "anggota_akhiri",
    "anggota_baru_tambah",
    "anggota_pindah",
    "anggota_tambah",
    "fasilitas_simpan",
    "gugus_tugas_buat",
    "judul_satu_baris",
    "kabari_terlatih_pergi",
    "keanggotaan_add",
    "keanggotaan_end",
    "notifikasi_baca",
    "notifikasi_baca_semua",
    "notifikasi_kirim",
    "opd_create",
    "opd_update",
    "pelatihan_catat",
    "pengguna_dengan_peran",
    "personil_simpan",
    "sk_gugus_tugas_tambah",
    "user_create",
    "user_password_changed",
    "user_reset_password",
    "wilayah_load",
]
