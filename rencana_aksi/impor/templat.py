"""The spreadsheets a person downloads to fill: the plan, a quarter's realisation."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from agencies.models import Opd
from rencana_aksi.impor.keadaan import aksi_lengkap
from rencana_aksi.impor.kolom import (
    KOLOM_AKSI,
    KOLOM_RENCANA,
    KOLOM_TEMPLAT_REALISASI,
    ROMAWI_TULIS,
    TAHUNAN,
)
from rencana_aksi.impor.sel import opd_boleh
from rencana_aksi.models import Aksi, PeriodeRad, Realisasi, TargetTahunan


def aksi_templat(*, periode: PeriodeRad, pengguna, opd: Opd | None = None):
    """The actions a person's template holds: every action (or one agency's) for those who
    manage the plan, the actions its agency leads for an operator."""
    qs = Aksi.objects.filter(periode=periode)
    boleh = opd_boleh(pengguna)
    if boleh is not None:
        qs = qs.filter(opd_utama__in=boleh)
    if opd is not None:
        qs = qs.filter(opd_utama=opd)
    return qs


def templat_rencana(
    *, periode: PeriodeRad, pengguna, opd: Opd | None = None
) -> tuple[list[str], list[list]]:
    """The plan sheet: one row per action, filled with its current values and targets."""
    kolom = list(KOLOM_RENCANA)
    for tahun in periode.tahun_list:
        kolom.extend(f"{jenis}_{tahun}" for jenis in TAHUNAN)
    rows = []
    for aksi in aksi_lengkap(aksi_templat(periode=periode, pengguna=pengguna, opd=opd)):
        target = {t.tahun: t for t in aksi.target.all()}
        row = [aksi.kode, *(k.tulis_templat(aksi) for k in KOLOM_AKSI)]
        for tahun in periode.tahun_list:
            t = target.get(tahun)
            row.extend([t.target, t.pagu, t.get_sumber_dana_display()] if t else [None, None, ""])
        rows.append(row)
    return kolom, rows


def templat_realisasi(
    *, periode: PeriodeRad, pengguna, tahun: int, triwulan: int, opd: Opd | None = None
) -> tuple[list[str], list[list]]:
    """A quarter's sheet: one row per action, with the report's current values, the year's
    target to read, and the report's version (a row of a template older than the report is
    refused rather than undoing a newer save)."""
    qs = aksi_templat(periode=periode, pengguna=pengguna, opd=opd).select_related("opd_utama")
    qs = qs.prefetch_related(
        Prefetch("target", queryset=TargetTahunan.objects.filter(tahun=tahun), to_attr="tahun_ini"),
        Prefetch(
            "realisasi",
            queryset=Realisasi.objects.filter(tahun=tahun, triwulan=triwulan),
            to_attr="triwulan_ini",
        ),
    )
    rows = []
    for aksi in qs:
        target = aksi.tahun_ini[0].target if aksi.tahun_ini else None
        laporan = aksi.triwulan_ini[0] if aksi.triwulan_ini else None
        rows.append(
            [
                aksi.kode,
                aksi.nama,
                aksi.opd_utama.singkatan,
                aksi.indikator_kinerja,
                aksi.satuan,
                target,
                tahun,
                ROMAWI_TULIS[triwulan],
                laporan.capaian if laporan else None,
                laporan.anggaran if laporan else None,
                laporan.narasi if laporan else "",
                laporan.get_status_display() if laporan else _("Belum dilaporkan"),
                laporan.versi if laporan else 0,
            ]
        )
    return KOLOM_TEMPLAT_REALISASI, rows
