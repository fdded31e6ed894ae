"""Ten times the demo, built by the demo's own functions and so through the portal's services:
more agencies with their heads (agencies.demo), more RAD actions with their quarterly reports
and evidence (rencana_aksi.demo), more meetings with attendance, minutes and follow-ups
(koordinasi.demo). Run after ``muat_demo``.
"""

from __future__ import annotations

import datetime
import random
from unittest import mock

from django.db import transaction
from django.test import override_settings

# The new heads' passwords are hashed cheaply: nobody signs in as them, and hashing hundreds
# of passwords at full strength would take minutes.
HASH_CEPAT = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def perbanyak(kali: int = 10, *, cetak=print) -> None:
    """Multiply the demo's agencies, RAD actions (with reports) and meetings by ``kali``."""
    from agencies.models import User

    admin = User.objects.get(username="admin")
    for salinan in range(2, kali + 1):
        with transaction.atomic():
            _opd(salinan, admin)
            _rad(salinan, admin)
            _rapat(salinan)
    cetak(ringkasan())


def ringkasan() -> str:
    from agencies.models import Opd, User
    from clusters.models import Lampiran
    from koordinasi.models import LampiranTindakLanjut, Rapat
    from rencana_aksi.models import Aksi, LampiranRealisasi, Realisasi

    bukti = sum(m.objects.count() for m in (Lampiran, LampiranRealisasi, LampiranTindakLanjut))
    return (
        f"{Aksi.objects.count()} RAD actions, {Realisasi.objects.count()} quarterly reports, "
        f"{bukti} evidence files, {Opd.objects.count()} agencies, "
        f"{User.objects.count()} accounts, {Rapat.objects.count()} meetings"
    )


def _opd(salinan: int, admin) -> None:
    """A copy of every demo agency (kecamatan offices as other bodies), each with its head."""
    from agencies import demo, services
    from agencies.models import Opd

    for opd in list(Opd.objects.filter(singkatan__in=_singkatan_demo()).order_by("pk")):
        jenis = Opd.Jenis.LAINNYA if opd.jenis == Opd.Jenis.KECAMATAN else opd.jenis
        services.opd_buat(
            nama=f"{opd.nama} ({salinan})",
            singkatan=f"{opd.singkatan} {salinan}",
            jenis=jenis,
            by=admin,
        )
    with override_settings(PASSWORD_HASHERS=HASH_CEPAT):
        demo._kepala_tiap_opd(admin)


def _singkatan_demo() -> list[str]:
    from agencies import demo
    from agencies.models import Opd

    kecamatan = Opd.objects.filter(jenis=Opd.Jenis.KECAMATAN, wilayah__isnull=False)
    return [s for _n, s, _j in demo.OPD_KOTA_SERANG] + list(
        kecamatan.filter(wilayah__kode__startswith=demo.KODE_KOTA_SERANG).values_list(
            "singkatan", flat=True
        )
    )


def _rad(salinan: int, admin) -> None:
    """The demo plan's actions once more, their codes suffixed with the copy's number, and
    their quarterly reports in every state (the demo's own functions)."""
    from rencana_aksi import demo
    from rencana_aksi.models import PeriodeRad

    periode = PeriodeRad.objects.get(tahun_mulai=demo.TAHUN_MULAI)
    asli = demo.daftar_contoh

    def daftar_salinan(kecamatan):
        return [(f"{kode}.{salinan}", contoh, kec) for kode, contoh, kec in asli(kecamatan)]

    with mock.patch.object(demo, "daftar_contoh", daftar_salinan):
        aksi = demo._aksi(periode, admin)
    demo._laporan(aksi, admin)


def _rapat(salinan: int) -> None:
    """Another year of the task force's monthly meetings (the demo's own function), each a few
    days after the demo's (the same title at the same time is refused as a double)."""
    from agencies.models import GugusTugas, User, Wilayah
    from koordinasi import demo

    gugus = GugusTugas.objects.get(wilayah=Wilayah.objects.kabkota_dilayani())
    sekretariat = User.objects.get(username="sekretariat")
    asli = demo._hari_rapat

    def hari_salinan(bulan: datetime.date) -> datetime.date:
        return asli(bulan) + datetime.timedelta(days=salinan - 1)

    with mock.patch.object(demo, "_hari_rapat", hari_salinan):
        demo._rapat(gugus, sekretariat, random.Random(2024 + salinan))
