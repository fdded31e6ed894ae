"""The RAD's monitoring figures: targets against achievement, budget against spending, actions
behind pace, late reports. ``keadaan`` is the arithmetic of one action in one year; ``muat``
reads every action of a set at once (the PDF bundle, report cards, the coordination panel);
``angka_sql`` writes the same definitions in SQL so that a page filters, sorts, counts and
totals the whole plan in the database and works out ``keadaan`` only for the rows it shows.

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
from types import SimpleNamespace

from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    F,
    FilteredRelation,
    Prefetch,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Round
from django.db.models.lookups import LessThan
from django.utils import timezone

from agencies.models import Opd
from clusters import alur
from kla_portal.persen import persen
from kla_portal.sql_tersimpan import baca_tersimpan, kunci_sql
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


def hari_terlambat(
    tahun: int, triwulan: int, *, status: str | None, dikirim, terlambat: bool, hari_ini
) -> int:
    """How many days a quarter's report is or was late, by the rule above (due on batas_lapor,
    late once that day has passed): a report sent (DIKIRIM) stays late by the days from its due
    date to the day it was sent (``dikirim``); one not sent yet and ``terlambat`` (keadaan), by
    the days to ``hari_ini``. 0 when on time, or sent with no date recorded."""
    if status in DIKIRIM:
        if dikirim is None:
            return 0
        sampai = timezone.localdate(dikirim) if isinstance(dikirim, datetime.datetime) else dikirim
    elif terlambat:
        sampai = hari_ini
    else:
        return 0
    return max(0, (sampai - batas_lapor(tahun, triwulan)).days)


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


def muat_rencana(
    tahun: int, hari_ini: datetime.date | None = None, *, daerah_id: int | None
) -> list[KeadaanAksi]:
    """Every action of a city's plan covering ``tahun`` (PeriodeRad.objects.berlaku) in that
    year; nothing when no plan is recorded. For readers outside the RAD (the coordination
    panel)."""
    periode = PeriodeRad.objects.filter(daerah_id=daerah_id).berlaku(tahun)
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
    jumlah_persen: Decimal = NOL  # the sum of the actions' achievement against target
    banyak_persen: int = 0  # the number of actions with a target and an achievement figure

    @property
    def rata_capaian(self) -> Decimal | None:
        """The mean of the actions' achievement against target (actions with a target)."""
        if not self.banyak_persen:
            return None
        return (self.jumlah_persen / self.banyak_persen).quantize(Decimal("0.1"), ROUND_HALF_UP)

    def tambah(self, lain: Jumlah) -> None:
        """Add another group's totals to these."""
        for name in ("aksi", "pagu", "terserap", "berisiko", "terlambat"):
            setattr(self, name, getattr(self, name) + getattr(lain, name))
        self.jumlah_persen += lain.jumlah_persen
        self.banyak_persen += lain.banyak_persen

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
            j.jumlah_persen += k.persen_capaian
            j.banyak_persen += 1
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
    return tw, per_opd_utama(k.aksi for k in daftar if tw in k.terlambat)


def per_opd_utama(aksi) -> list[dict]:
    """The actions per lead agency, agencies by short name and actions by code."""
    per_opd: dict = defaultdict(list)
    for a in aksi:
        per_opd[a.opd_utama].append(a)
    return [
        {"opd": opd, "aksi": sorted(aksi, key=lambda a: a.kode)}
        for opd, aksi in sorted(per_opd.items(), key=lambda kv: kv[0].singkatan)
    ]


# --- The same figures in the database --------------------------------------------------------
# A page asks the database for the rows it shows and for totals over the whole plan, so its
# cost does not grow with the plan. The rows shown are still worked out by ``keadaan`` (from
# the columns below); the filters and totals use the same definitions written in SQL, in whole
# cents so that comparisons and sums are exact on SQLite too (which stores decimals as floating
# point). tests/rencana_aksi/test_kecepatan.py checks both agree.

TRIWULAN = (1, 2, 3, 4)


def _sen(nilai):
    """A decimal as whole cents: an exact integer in every database."""
    return Cast(Round(nilai * Value(100)), BigIntegerField())


def kondisi(q) -> Case:
    """True or false, never null (a comparison with a missing report or target is null)."""
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


def _selalu(benar: bool) -> Q:
    """A condition true (or false) for every row: the primary key is never null."""
    return Q(pk__isnull=not benar)


def angka_sql(tahun: int, hari_ini: datetime.date, *, hanya: set[str] | None = None) -> dict:
    """For QuerySet.alias/annotate on actions: their target row and four reports of ``tahun``
    (joins, one row each), and from them, named ``k<tahun>_…``: ``terlambat`` and ``berisiko``
    as ``keadaan`` decides them, the achievement against target in tenths of a percent rounded
    half up (``persen10``, only where ``keadaan`` gives one), ceiling and spending in cents
    (``pagu_sen``, ``serap_sen``), ``apbd`` (counted in the children's share) and
    ``telat1`` … ``telat4`` (that quarter is late); its reports' states ``s1`` … ``s4`` and
    when they were sent, ``d1`` … ``d4``.
    ``hanya``: only these names (without the prefix), for a query that needs a few."""
    p = f"k{tahun}_"
    t, r = f"{p}t", {tw: f"{p}r{tw}" for tw in TRIWULAN}
    jatuh_tempo = triwulan_jatuh_tempo(tahun, hari_ini)
    kolom = {
        t: FilteredRelation("target", condition=Q(target__tahun=tahun)),
        **{
            r[tw]: FilteredRelation(
                "realisasi", condition=Q(realisasi__tahun=tahun, realisasi__triwulan=tw)
            )
            for tw in TRIWULAN
        },
        f"{p}target_id": F(f"{t}__id"),
        f"{p}target": F(f"{t}__target"),
        f"{p}pagu": F(f"{t}__pagu"),
        f"{p}sumber": F(f"{t}__sumber_dana"),
    }
    for tw in TRIWULAN:
        kolom[f"{p}s{tw}"] = F(f"{r[tw]}__status")
        kolom[f"{p}c{tw}"] = F(f"{r[tw]}__capaian")
        kolom[f"{p}a{tw}"] = F(f"{r[tw]}__anggaran")
        kolom[f"{p}d{tw}"] = F(f"{r[tw]}__dikirim")
    jalan = ~Q(status__in=BERHENTI)
    # keadaan expects nothing without a target row, or with neither a target nor a ceiling.
    diharapkan = (
        jalan
        & Q(**{f"{t}__id__isnull": False})
        & (Q(**{f"{t}__target__isnull": False}) | Q(**{f"{t}__pagu__gt": 0}))
    )

    def belum_dikirim(tw):
        return Q(**{f"{r[tw]}__status__isnull": True}) | ~Q(**{f"{r[tw]}__status__in": DIKIRIM})

    telat = Q()
    for tw in jatuh_tempo:
        telat |= belum_dikirim(tw)
    capaian = _sen(Coalesce(*(F(f"{r[tw]}__capaian") for tw in (4, 3, 2, 1)), Value(NOL)))
    target = _sen(F(f"{t}__target"))
    # The pace: the quarters due, or the latest quarter reported early.
    selesai = Case(
        *(
            When(Q(**{f"{r[tw]}__capaian__isnull": False}), then=Value(tw))
            for tw in (4, 3, 2, 1)
            if tw > len(jatuh_tempo)
        ),
        default=Value(len(jatuh_tempo)),
    )
    # capaian < target × selesai ÷ 4 × 0.75, multiplied by 16
    tertinggal = LessThan(capaian * Value(16), target * selesai * Value(3))
    dinilai = jalan & Q(**{f"{t}__target__gt": 0}) & _selalu(tahun <= hari_ini.year)
    kolom |= {
        f"{p}terlambat": kondisi(diharapkan & telat if jatuh_tempo else _selalu(False)),
        f"{p}berisiko": kondisi(diharapkan & Q(**{f"{t}__target__gt": 0}) & Q(tertinggal)),
        **{
            f"{p}telat{tw}": kondisi(
                diharapkan & belum_dikirim(tw) if tw in jatuh_tempo else _selalu(False)
            )
            for tw in TRIWULAN
        },
        # round half up of capaian × 1000 ÷ target, in integers
        f"{p}persen10": Case(
            When(dinilai, then=(capaian * Value(2000) + target) / (target * Value(2))),
            output_field=BigIntegerField(),
        ),
        f"{p}pagu_sen": _sen(Coalesce(F(f"{t}__pagu"), Value(NOL))),
        f"{p}serap_sen": sum(
            (_sen(Coalesce(F(f"{r[tw]}__anggaran"), Value(NOL))) for tw in (2, 3, 4)),
            _sen(Coalesce(F(f"{r[1]}__anggaran"), Value(NOL))),
        ),
        f"{p}apbd": kondisi(
            jalan & (Q(**{f"{t}__id__isnull": True}) | Q(**{f"{t}__sumber_dana__in": SUMBER_APBD}))
        ),
    }
    return kolom if hanya is None else _pilih(kolom, p, hanya)


def _pilih(kolom: dict, p: str, nama) -> dict:
    """The columns of ``kolom`` named (without the prefix ``p``) in ``nama``, with the joins
    (FilteredRelation) they read."""
    return {
        k: v
        for k, v in kolom.items()
        if isinstance(v, FilteredRelation) or k.removeprefix(p) in nama
    }


def dengan_angka(aksi_qs, tahun: int, hari_ini: datetime.date):
    """The actions with their figures of ``tahun`` as columns (angka_sql), to filter on
    (``k<tahun>_berisiko=True``), count (``jumlah_sql``) and show (``keadaan_baris``)."""
    return aksi_qs.annotate(**angka_sql(tahun, hari_ini))


# The columns of angka_sql keadaan_baris reads (without the ``k<tahun>_`` prefix).
BARIS = (
    "target_id",
    "target",
    "pagu",
    "sumber",
    *(f"{kolom}{tw}" for kolom in "sca" for tw in TRIWULAN),
)


def dengan_baris(aksi_qs, tahun: int, hari_ini: datetime.date, saring=()):
    """``dengan_angka`` for a page of rows: the columns ``BARIS`` read (by keadaan_baris), and
    only aliased the figures named in ``saring`` (without the prefix), to filter on. Building
    every figure's expression would cost more than the page's query takes to run."""
    p = f"k{tahun}_"
    kolom = angka_sql(tahun, hari_ini, hanya={*BARIS, *saring})
    baca = _pilih(kolom, p, BARIS)
    return aksi_qs.annotate(**baca).alias(**{k: v for k, v in kolom.items() if k not in baca})


def keadaan_baris(aksi: Aksi, tahun: int, hari_ini: datetime.date) -> KeadaanAksi:
    """``keadaan`` of an action read through ``dengan_angka`` (or any object with its status
    and the columns ``BARIS``): no query of its own."""
    p = f"k{tahun}_"

    def nilai(name):
        return getattr(aksi, p + name)

    # What keadaan reads of the target row and the reports, as plain records: a page of a
    # hundred actions would otherwise make some five hundred model instances.
    target = None
    if nilai("target_id") is not None:
        target = SimpleNamespace(
            tahun=tahun, target=nilai("target"), pagu=nilai("pagu"), sumber_dana=nilai("sumber")
        )
    laporan = [
        SimpleNamespace(
            tahun=tahun,
            triwulan=tw,
            status=nilai(f"s{tw}"),
            capaian=nilai(f"c{tw}"),
            anggaran=nilai(f"a{tw}"),
        )
        for tw in TRIWULAN
        if nilai(f"s{tw}") is not None
    ]
    return keadaan(aksi, tahun, target, laporan, hari_ini)


DIJUMLAH = {"pagu_sen", "serap_sen", "berisiko", "terlambat", "persen10", "apbd"}


def agregat_sql(tahun: int, *, apbd: bool = True) -> dict:
    """Aggregates of the columns ``DIJUMLAH`` of angka_sql (alias them first), read back by
    jumlah_dari; without ``apbd``, not the children's share's (porsi_dari), which a Jumlah does
    not hold."""
    p = f"k{tahun}_"
    porsi = {
        f"{p}n_apbd_pagu": Sum(f"{p}pagu_sen", filter=Q(**{f"{p}apbd": True})),
        f"{p}n_apbd_serap": Sum(f"{p}serap_sen", filter=Q(**{f"{p}apbd": True})),
    }
    return {
        f"{p}n_aksi": Count("pk"),
        f"{p}n_pagu": Sum(f"{p}pagu_sen"),
        f"{p}n_serap": Sum(f"{p}serap_sen"),
        f"{p}n_berisiko": Count("pk", filter=Q(**{f"{p}berisiko": True})),
        f"{p}n_terlambat": Count("pk", filter=Q(**{f"{p}terlambat": True})),
        f"{p}n_persen": Sum(f"{p}persen10"),
        f"{p}n_banyak": Count(f"{p}persen10"),
        **(porsi if apbd else {}),
    }


def _rupiah(sen) -> Decimal:
    return Decimal(sen or 0).scaleb(-2)


def jumlah_dari(baris: dict, tahun: int, nama: str) -> Jumlah:
    """A Jumlah from a row of ``agregat_sql`` (the same figures as ``total`` of the rows)."""
    p = f"k{tahun}_"
    return Jumlah(
        nama=nama,
        aksi=baris[f"{p}n_aksi"],
        pagu=_rupiah(baris[f"{p}n_pagu"]),
        terserap=_rupiah(baris[f"{p}n_serap"]),
        berisiko=baris[f"{p}n_berisiko"],
        terlambat=baris[f"{p}n_terlambat"],
        jumlah_persen=Decimal(baris[f"{p}n_persen"] or 0).scaleb(-1),
        banyak_persen=baris[f"{p}n_banyak"],
    )


def porsi_dari(baris: list[dict], tahun: int, apbd: Decimal | None) -> PorsiAnak:
    """``porsi_anak`` from rows of ``agregat_sql``."""
    p = f"k{tahun}_"
    return PorsiAnak(
        tahun=tahun,
        apbd=apbd,
        pagu=_rupiah(sum(b[f"{p}n_apbd_pagu"] or 0 for b in baris)),
        terserap=_rupiah(sum(b[f"{p}n_apbd_serap"] or 0 for b in baris)),
    )


def jumlah_sql(aksi_qs, tahun: int, nama: str = "") -> Jumlah:
    """``total`` of the actions of ``aksi_qs`` (through ``dengan_angka``) in ``tahun``, in one
    query."""
    return jumlah_dari(aksi_qs.aggregate(**agregat_sql(tahun)), tahun, nama)


def jumlah_tersimpan(aksi_qs, tahun: int, hari_ini: datetime.date, saring, *kunci) -> Jumlah:
    """``jumlah_sql`` of ``saring(dengan_angka(aksi_qs, ...))``, its SQL built once per the
    SQL of ``aksi_qs``, the year, the day and ``kunci`` (what ``saring`` depends on)."""

    def bangun():
        qs = saring(aksi_qs.alias(**angka_sql(tahun, hari_ini)))
        # A constant is left out of GROUP BY: one row of totals over every action.
        # Not the children's share, which a Jumlah does not hold: a fifth of the time on SQLite.
        agregat = agregat_sql(tahun, apbd=False)
        return qs.annotate(semua=Value(1)).values("semua").annotate(**agregat).order_by()

    [baris] = baca_tersimpan(kunci_sql(aksi_qs, "jumlah", tahun, hari_ini, *kunci), bangun)
    return jumlah_dari(baris, tahun, "")


def aksi_telat(aksi, tahun: int, triwulan: int, hari_ini: datetime.date):
    """The actions of ``aksi`` whose report for ``triwulan`` of ``tahun`` is late (``telat``
    of angka_sql), by that quarter's report and the target alone."""
    telat = f"telat{triwulan}"
    return aksi.alias(**angka_sql(tahun, hari_ini, hanya={telat})).filter(
        **{f"k{tahun}_{telat}": True}
    )


def telat_per_opd(aksi, tahun: int, triwulan: int, hari_ini: datetime.date) -> list[dict]:
    """The dashboard's *belum lapor* rows (selectors._belum_per_opd) from one lean query: per
    lead agency, how many of ``aksi`` have their report for ``triwulan`` late, counted by the
    database from that quarter's report and the target alone (not every figure of the
    dashboard), for the home pages. Its SQL built once per actions read and day."""

    def bangun():
        return (
            aksi_telat(aksi, tahun, triwulan, hari_ini)
            .values("opd_utama_id", "opd_utama__singkatan")
            .annotate(jumlah=Count("pk"))
            .order_by()
        )

    kunci = kunci_sql(aksi, "telat", tahun, triwulan, hari_ini)
    return baris_belum(
        (r["opd_utama_id"], r["opd_utama__singkatan"], r["jumlah"])
        for r in baca_tersimpan(kunci, bangun)
    )


def baris_belum(per_opd) -> list[dict]:
    """The *belum lapor* rows from (lead agency id, its short name, how many late), by short
    name (``aksi`` None: the codes are read for the XLSX only)."""
    return sorted(
        (
            {"opd": Opd(pk=opd_id, singkatan=singkatan), "jumlah": n, "aksi": None}
            for opd_id, singkatan, n in per_opd
        ),
        key=lambda row: row["opd"].singkatan,
    )
