"""The RAD's monitoring figures: targets against achievement, budget against spending, actions
behind pace, late reports. Pure arithmetic on rows read once (``muat``), so every page, export
and the PDF bundle count the same way.

Definitions (shown to users in the README and under the dashboard):
- an action's achievement in a year is the cumulative achievement of its latest reported
  quarter (any status: a draft is already the agency's own figure); its spending, the sum of
  its quarters;
- a quarter's report is due on the 15th of the following month (models.batas_lapor); it is
  *late* when that day has passed and no report was sent (a draft is not sent);
- nothing is expected of an action in a year it has no target row for, or once it is postponed
  or cancelled: it is neither late nor at risk;
- an action is *at risk* when, in a year under way or past, its achievement is below 75% of
  the pace expected by the quarters whose report is due (target × due quarters ÷ 4);
- a postponed or cancelled action counts in no average and in no budget share, and a year
  that has not begun has no achievement yet;
- the children's share of the city budget counts the ceilings and spending funded by the
  APBD (including DAK, which is part of it) against the year's total APBD.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch

from clusters import alur
from kla_portal.persen import persen
from rencana_aksi.models import (
    Aksi,
    AnggaranDaerah,
    PeriodeRad,
    Realisasi,
    SumberDana,
    TargetTahunan,
    batas_lapor,
)

NOL = Decimal(0)
DIKIRIM = frozenset(
    {alur.Status.MENUNGGU_KEPALA, alur.Status.MENUNGGU_VERIFIKASI, alur.Status.TERVERIFIKASI}
)
SUMBER_APBD = frozenset({SumberDana.APBD, SumberDana.DAK})
AMBANG_RISIKO = Decimal("0.75")
BERHENTI = frozenset({Aksi.Status.DIBATALKAN, Aksi.Status.DITUNDA})


def triwulan_jatuh_tempo(tahun: int, hari_ini: datetime.date) -> list[int]:
    """The quarters of ``tahun`` whose report was due by ``hari_ini``."""
    return [tw for tw in (1, 2, 3, 4) if batas_lapor(tahun, tw) < hari_ini]


@dataclass
class KeadaanAksi:
    """One action in one year."""

    aksi: Aksi
    tahun: int
    target: Decimal | None = None
    pagu: Decimal = NOL
    sumber: str = SumberDana.APBD
    capaian: Decimal | None = None
    triwulan_terakhir: int | None = None  # the latest quarter with a figure
    terserap: Decimal = NOL
    status: dict[int, str] = field(default_factory=dict)  # quarter → report status
    terlambat: list[int] = field(default_factory=list)  # quarters due and not sent
    berisiko: bool = False

    dinilai: bool = True  # False for a stopped action, or a year that has not begun

    @property
    def persen_capaian(self) -> Decimal | None:
        if not self.dinilai or not self.target:
            return None
        return persen(self.capaian or 0, self.target)

    @property
    def persen_serap(self) -> Decimal | None:
        return persen(self.terserap, self.pagu) if self.pagu else None


def keadaan(
    aksi: Aksi,
    tahun: int,
    target: TargetTahunan | None,
    laporan: list[Realisasi],
    hari_ini: datetime.date,
) -> KeadaanAksi:
    """The figures of one action in one year, from its target row and its quarterly reports."""
    hasil = KeadaanAksi(aksi=aksi, tahun=tahun)
    if target is not None:
        hasil.target, hasil.pagu, hasil.sumber = (
            target.target,
            target.pagu or NOL,
            target.sumber_dana,
        )
    for r in sorted(laporan, key=lambda r: r.triwulan):
        hasil.status[r.triwulan] = r.status
        hasil.terserap += r.anggaran or NOL
        if r.capaian is not None:
            hasil.capaian, hasil.triwulan_terakhir = r.capaian, r.triwulan
    berhenti = aksi.status in BERHENTI
    hasil.dinilai = not berhenti and tahun <= hari_ini.year
    if berhenti or target is None or (target.target is None and not target.pagu):
        return hasil  # nothing is expected of a stopped action, or in a year without a target
    hasil.terlambat = [
        tw for tw in triwulan_jatuh_tempo(tahun, hari_ini) if hasil.status.get(tw) not in DIKIRIM
    ]
    # The pace expected: the quarters whose report is due (or already reported early).
    selesai = max(len(triwulan_jatuh_tempo(tahun, hari_ini)), hasil.triwulan_terakhir or 0)
    if hasil.target and selesai:
        diharapkan = hasil.target * selesai / 4
        hasil.berisiko = (hasil.capaian or NOL) < diharapkan * AMBANG_RISIKO
    return hasil


def muat_tahun(
    aksi_qs, tahun_list: list[int], hari_ini: datetime.date | None = None
) -> dict[int, list[KeadaanAksi]]:
    """Every action of ``aksi_qs`` in each year of ``tahun_list``, in three queries whatever the
    number of actions and years."""
    hari_ini = hari_ini or datetime.date.today()
    rows = aksi_qs.select_related("opd_utama").prefetch_related(
        Prefetch(
            "target", queryset=TargetTahunan.objects.filter(tahun__in=tahun_list), to_attr="t_"
        ),
        Prefetch(
            "realisasi", queryset=Realisasi.objects.filter(tahun__in=tahun_list), to_attr="r_"
        ),
    )
    hasil: dict[int, list[KeadaanAksi]] = {t: [] for t in tahun_list}
    for a in rows:
        for t in tahun_list:
            target = next((x for x in a.t_ if x.tahun == t), None)
            laporan = [r for r in a.r_ if r.tahun == t]
            hasil[t].append(keadaan(a, t, target, laporan, hari_ini))
    return hasil


def muat(aksi_qs, tahun: int, hari_ini: datetime.date | None = None) -> list[KeadaanAksi]:
    """Every action of ``aksi_qs`` in ``tahun``, in three queries whatever their number."""
    return muat_tahun(aksi_qs, [tahun], hari_ini)[tahun]


def muat_rencana(tahun: int, hari_ini: datetime.date | None = None) -> list[KeadaanAksi]:
    """Every action of the plan covering ``tahun`` (PeriodeRad.objects.berlaku) in that year;
    nothing when no plan is recorded. For readers outside the RAD (the coordination panel)."""
    periode = PeriodeRad.objects.berlaku(tahun)
    if periode is None:
        return []
    return muat(Aksi.objects.filter(periode=periode), tahun, hari_ini)


@dataclass
class Jumlah:
    """Totals of a group of actions (an agency, a cluster, the city)."""

    nama: str
    aksi: int = 0
    pagu: Decimal = NOL
    terserap: Decimal = NOL
    berisiko: int = 0
    terlambat: int = 0  # actions with at least one late report
    persen_capaian: list[Decimal] = field(default_factory=list)

    @property
    def rata_capaian(self) -> Decimal | None:
        """The mean of the actions' achievement against target (actions with a target)."""
        if not self.persen_capaian:
            return None
        return (sum(self.persen_capaian) / len(self.persen_capaian)).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )

    @property
    def persen_serap(self) -> Decimal | None:
        return persen(self.terserap, self.pagu)


def kelompokkan(daftar: list[KeadaanAksi], kunci, nama) -> list[Jumlah]:
    """Totals per ``kunci(keadaan)``, named ``nama(keadaan)``, in the order of the names."""
    groups: dict = {}
    for k in daftar:
        key = kunci(k)
        j = groups.setdefault(key, Jumlah(nama=nama(k)))
        j.aksi += 1
        j.pagu += k.pagu
        j.terserap += k.terserap
        j.berisiko += k.berisiko
        j.terlambat += bool(k.terlambat)
        if k.persen_capaian is not None:
            j.persen_capaian.append(k.persen_capaian)
    return sorted(groups.values(), key=lambda j: j.nama)


def total(daftar: list[KeadaanAksi], nama: str) -> Jumlah:
    return kelompokkan(daftar, lambda k: 0, lambda k: nama)[0] if daftar else Jumlah(nama=nama)


@dataclass
class PorsiAnak:
    tahun: int
    apbd: Decimal | None
    pagu: Decimal
    terserap: Decimal

    @property
    def persen_pagu(self) -> Decimal | None:
        return persen(self.pagu, self.apbd)

    @property
    def persen_serap(self) -> Decimal | None:
        return persen(self.terserap, self.apbd)


def porsi_anak(daftar: list[KeadaanAksi], tahun: int) -> PorsiAnak:
    """The share of the city's budget planned and spent for children (APBD-funded actions).
    One query for the year's total budget."""
    apbd = AnggaranDaerah.objects.filter(tahun=tahun).values_list("total", flat=True).first()
    dari_apbd = [k for k in daftar if k.sumber in SUMBER_APBD and k.aksi.status not in BERHENTI]
    return PorsiAnak(
        tahun=tahun,
        apbd=apbd,
        pagu=sum((k.pagu for k in dari_apbd), NOL),
        terserap=sum((k.terserap for k in dari_apbd), NOL),
    )


def opd_belum_lapor(
    daftar: list[KeadaanAksi], tahun: int, hari_ini: datetime.date
) -> tuple[int | None, list[dict]]:
    """The last quarter whose report is due, and per lead agency the actions not sent for it."""
    jatuh_tempo = triwulan_jatuh_tempo(tahun, hari_ini)
    if not jatuh_tempo:
        return None, []
    tw = jatuh_tempo[-1]
    per_opd: dict = defaultdict(list)
    for k in daftar:
        if tw in k.terlambat:
            per_opd[k.aksi.opd_utama].append(k.aksi)
    return tw, [
        {"opd": opd, "aksi": sorted(aksi, key=lambda a: a.kode)}
        for opd, aksi in sorted(per_opd.items(), key=lambda kv: kv[0].singkatan)
    ]
