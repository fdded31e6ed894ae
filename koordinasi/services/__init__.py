"""Every write of coordination: scheduling meetings and inviting, attendance, minutes,
follow-ups, calendar addresses, and the reminders.

Keyword-only functions, each in one transaction, refusing with an Indonesian ValidationError
so nothing half-done is left. A form built from an older version of a meeting or follow-up is
refused (someone saved in between, kla_portal.versi); a double submit changes nothing (the
database refuses the second meeting or decision too). E-mails about a meeting (invitation,
change, cancellation, reminder) are sent by a worker (koordinasi.tasks.kirim_email_rapat) once
the change is saved.

One module per subject: pemberitahuan (who hears, e-mails), rapat (meetings), tindak_lanjut
(follow-ups), kalender (calendar addresses), pengingat (reminders). Import from here:
``koordinasi.services.X``. The submodules call ``_simpan``, ``_pesan_ganda`` and
``_kabari_rapat`` through this package, so replacing them here (a test simulating a failure or
a race) replaces them for every caller.
"""

from kla_portal.versi import simpan as _simpan
from koordinasi.services.kalender import token_kalender_ambil, token_kalender_ganti
from koordinasi.services.pemberitahuan import (
    _kabari_rapat,
    penerima_rapat,
    pengurus_opd,
    pengurus_per_opd,
    rapat_email_kirim,
    ringkasan_rapat,
    waktu,
)
from koordinasi.services.pengingat import (
    HARI_PENGINGAT,
    rapat_ingatkan,
    tindak_lanjut_ingatkan,
)
from koordinasi.services.rapat import (
    DataRapat,
    IsianKehadiran,
    Pintasan,
    _pesan_ganda,
    kehadiran_catat,
    notulen_simpan,
    rapat_batalkan,
    rapat_jadwalkan,
    rapat_ubah,
)
from koordinasi.services.tindak_lanjut import tindak_lanjut_perbarui, tindak_lanjut_tambah

__all__ = [
    "HARI_PENGINGAT",
    "DataRapat",
    "IsianKehadiran",
    "Pintasan",
    "_kabari_rapat",
    "_pesan_ganda",
    "_simpan",
    "kehadiran_catat",
    "notulen_simpan",
    "penerima_rapat",
    "pengurus_opd",
    "pengurus_per_opd",
    "rapat_batalkan",
    "rapat_email_kirim",
    "rapat_ingatkan",
    "rapat_jadwalkan",
    "rapat_ubah",
    "ringkasan_rapat",
    "tindak_lanjut_ingatkan",
    "tindak_lanjut_perbarui",
    "tindak_lanjut_tambah",
    "token_kalender_ambil",
    "token_kalender_ganti",
    "waktu",
]
