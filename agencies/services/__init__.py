"""Writes of the agencies app: loading regions, agencies, accounts and memberships, notifications,
the task force, the sub-district facilities and personal API tokens.

Every function takes keyword arguments, runs in one transaction and refuses with a
``ValidationError`` in Indonesian when the change would be wrong, so nothing half-done is left.
Callers import from here (``from agencies import services``); the modules hold one subject each.
"""

from agencies.models import JUDUL_MAKS
from agencies.models import satu_baris as judul_satu_baris
from agencies.services.fasilitas import GAMBAR, fasilitas_simpan
from agencies.services.gugus_tugas import (
    ALASAN_PINDAH,
    anggota_akhiri,
    anggota_baru_tambah,
    anggota_pindah,
    anggota_tambah,
    gugus_tugas_buat,
    pelatihan_catat,
    personil_kepergian_kabari,
    personil_simpan,
    sk_gugus_tugas_tambah,
)
from agencies.services.notifikasi import (
    Teks,
    email_kirim,
    notifikasi_baca,
    notifikasi_baca_semua,
    notifikasi_kirim,
    notifikasi_selesai,
    pengguna_dengan_peran,
)
from agencies.services.opd import opd_buat, opd_ubah
from agencies.services.pengguna import (
    keanggotaan_akhiri,
    keanggotaan_tambah,
    pengguna_buat,
    pengguna_sandi_atur_ulang,
    pengguna_sandi_diganti,
)
from agencies.services.token_api import token_buat, token_cabut, token_dipakai
from agencies.services.wilayah import HasilMuatWilayah, kabkota_layani, wilayah_muat

__all__ = [
    "ALASAN_PINDAH",
    "GAMBAR",
    "JUDUL_MAKS",
    "HasilMuatWilayah",
    "Teks",
    "anggota_akhiri",
    "anggota_baru_tambah",
    "anggota_pindah",
    "anggota_tambah",
    "email_kirim",
    "fasilitas_simpan",
    "gugus_tugas_buat",
    "judul_satu_baris",
    "kabkota_layani",
    "keanggotaan_akhiri",
    "keanggotaan_tambah",
    "notifikasi_baca",
    "notifikasi_baca_semua",
    "notifikasi_kirim",
    "notifikasi_selesai",
    "opd_buat",
    "opd_ubah",
    "pelatihan_catat",
    "pengguna_buat",
    "pengguna_dengan_peran",
    "pengguna_sandi_atur_ulang",
    "pengguna_sandi_diganti",
    "personil_kepergian_kabari",
    "personil_simpan",
    "sk_gugus_tugas_tambah",
    "token_buat",
    "token_cabut",
    "token_dipakai",
    "wilayah_muat",
]
