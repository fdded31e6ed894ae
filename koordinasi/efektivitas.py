"""The measures of effective coordination the studies name, turned into figures and tables:
meetings of the city's task force held per month against the target, who shows up in person and
who sends a (different) deputy, which agencies carry out their follow-ups on time, which report
their evaluation answers and RAD realisation on time, and how many task-force members are
trained in KHA.

Pure arithmetic on rows read once (``panel`` reads them), so the page, its XLSX and any report
count the same way. What grows with the data (meetings, invitations, follow-ups, RAD actions
and their quarterly reports) is counted in the database per month or agency (``baca_*``,
``hitung_rapat_per_bulan``), so the panel's cost does not grow with it; the same arithmetic
also takes the rows one by one (``*_per_opd``).
koordinasi reads rencana_aksi's monitoring here, and only that (rencana_aksi.pemantauan's
definitions, and the plan's actions and reports counted by them, read only; rencana_aksi never
reads koordinasi): the task force coordinates the RAD, and whether agencies report it on time
is one of its measures. The panel's tables are drawn by koordinasi.efektivitas_tabel.
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils.translation import gettext as _

from agencies.models import GugusTugas
from clusters.models import SkorSnapshot, TahunEvaluasi
from clusters.rincian import RincianKelengkapan
from kla_portal.ekspor import Tabel
from kla_portal.persen import persen
from koordinasi.efektivitas_tabel import (
    tabel_bulan,
    tabel_kehadiran,
    tabel_pelaporan,
    tabel_ringkasan,
    tabel_tindak_lanjut,
)
from koordinasi.gugus_tugas import anggota_aktif, lembaga, tabel_terlatih
from koordinasi.models import Rapat, TindakLanjut, Undangan
from rencana_aksi import pemantauan
from rencana_aksi.models import Aksi, PeriodeRad, Realisasi


@dataclass
class Bulan:
    bulan: datetime.date
    terlaksana: int
    target: int
    berjalan: bool = False  # this month: not over yet, so not short of its target yet

    @property
    def kurang(self) -> bool:
        return self.terlaksana < self.target and not self.berjalan

    @property
    def target_sejauh_ini(self) -> int:
        """The target of a month that ended; of this month, only as far as it is met."""
        return min(self.target, self.terlaksana) if self.berjalan else self.target


def rapat_per_bulan(
    rapat: list[Rapat], tahun: int, target: int, hari_ini: datetime.date
) -> list[Bulan]:
    """Meetings held (attendance recorded) in each month of ``tahun`` up to this month."""
    hitung = defaultdict(int)
    for r in rapat:
        if r.status == Rapat.Status.TERLAKSANA and r.mulai_lokal.year == tahun:
            hitung[r.mulai_lokal.month] += 1
    return _per_bulan(hitung, tahun, target, hari_ini)


def _per_bulan(hitung: dict, tahun: int, target: int, hari_ini: datetime.date) -> list[Bulan]:
    akhir = 12 if tahun < hari_ini.year else hari_ini.month
    return [
        Bulan(
            datetime.date(tahun, b, 1),
            hitung.get(b, 0),
            target,
            berjalan=(tahun, b) == (hari_ini.year, hari_ini.month),
        )
        for b in range(1, akhir + 1)
    ]


def hitung_rapat_per_bulan(rapat_terlaksana) -> dict[int, int]:
    """Meetings held (a queryset of one year) per local month, counted in the database: twelve
    rows at most, whatever the number of meetings (``rapat_per_bulan`` counts the same)."""
    return dict(
        rapat_terlaksana.annotate(b=ExtractMonth("mulai"))
        .values_list("b")
        .annotate(n=Count("pk"))
        .order_by()
    )


@dataclass
class KehadiranOpd:
    """An agency's attendance at meetings held: the invited official in person, a deputy (and
    how many different deputies), or nobody."""

    opd: str
    hadir: int = 0
    diwakili: int = 0
    tidak_hadir: int = 0
    wakil: set = field(default_factory=set)

    @property
    def dicatat(self) -> int:
        return self.hadir + self.diwakili + self.tidak_hadir

    @property
    def persen_hadir_sendiri(self) -> Decimal | None:
        return persen(self.hadir, self.dicatat)

    @property
    def persen_hadir(self) -> Decimal | None:
        return persen(self.hadir + self.diwakili, self.dicatat)

    @property
    def wakil_berbeda(self) -> int:
        return len(self.wakil)


def kehadiran_per_opd(undangan: list[Undangan]) -> list[KehadiranOpd]:
    """Per agency, over invitations to meetings held; ``undangan`` with ``opd`` loaded.
    Attendance not recorded counts nowhere."""
    return _kehadiran(
        (u.opd_id, u.opd.singkatan, u.kehadiran, u.diwakili_oleh, 1) for u in undangan
    )


def _kehadiran(baris_undangan: Iterable[tuple]) -> list[KehadiranOpd]:
    """``baris_undangan``: (agency id, its short name, attendance, deputy, how many)."""
    per_opd: dict[int, KehadiranOpd] = {}
    for opd_id, singkatan, kehadiran, diwakili_oleh, n in baris_undangan:
        if kehadiran == Undangan.Kehadiran.BELUM:
            continue
        baris = per_opd.setdefault(opd_id, KehadiranOpd(singkatan))
        if kehadiran == Undangan.Kehadiran.HADIR:
            baris.hadir += n
        elif kehadiran == Undangan.Kehadiran.DIWAKILI:
            baris.diwakili += n
            baris.wakil.add(" ".join(diwakili_oleh.lower().split()))
        else:
            baris.tidak_hadir += n
    return sorted(per_opd.values(), key=lambda b: b.opd.lower())


def baca_kehadiran(rapat_ids) -> list[KehadiranOpd]:
    """Attendance at these meetings (ids, or a queryset of them), counted per agency, state
    and deputy in the database."""
    return _kehadiran(
        Undangan.objects.filter(rapat__in=rapat_ids)
        .exclude(kehadiran=Undangan.Kehadiran.BELUM)
        .values_list("opd_id", "opd__singkatan", "kehadiran", "diwakili_oleh")
        .annotate(n=Count("pk"))
        .order_by()
    )


@dataclass
class TindakLanjutOpd:
    """An agency's follow-ups: those due by today, done on time, done late, open past due."""

    opd: str
    jatuh_tempo: int = 0
    tepat_waktu: int = 0
    terlambat_selesai: int = 0
    lewat_tenggat: int = 0
    belum_jatuh_tempo: int = 0

    @property
    def persen_tepat_waktu(self) -> Decimal | None:
        return persen(self.tepat_waktu, self.jatuh_tempo)


def tindak_lanjut_per_opd(
    tindak: list[TindakLanjut], hari_ini: datetime.date
) -> list[TindakLanjutOpd]:
    """Per agency; a follow-up is due once its due date has passed or it is done. ``tindak``
    with ``opd`` loaded."""
    return _tindak_lanjut(
        (
            t.opd_id,
            t.opd.singkatan,
            t.status == TindakLanjut.Status.SELESAI,
            t.tenggat >= hari_ini,
            t.tepat_waktu,
            1,
        )
        for t in tindak
    )


def _tindak_lanjut(baris_tindak: Iterable[tuple]) -> list[TindakLanjutOpd]:
    """``baris_tindak``: (agency id, its short name, done, not due yet, done on time, how many)."""
    per_opd: dict[int, TindakLanjutOpd] = {}
    for opd_id, singkatan, selesai, belum_tempo, tepat_waktu, n in baris_tindak:
        baris = per_opd.setdefault(opd_id, TindakLanjutOpd(singkatan))
        if not selesai and belum_tempo:
            baris.belum_jatuh_tempo += n
            continue
        baris.jatuh_tempo += n
        if not selesai:
            baris.lewat_tenggat += n
        elif tepat_waktu:
            baris.tepat_waktu += n
        else:
            baris.terlambat_selesai += n
    return sorted(per_opd.values(), key=lambda b: b.opd.lower())


def baca_tindak_lanjut(gugus: GugusTugas, tahun: int, hari_ini: datetime.date):
    """Follow-ups of the task force's meetings due in ``tahun``, counted per agency and state
    in the database: one query, a few rows per agency."""
    selesai = Q(status=TindakLanjut.Status.SELESAI)
    return _tindak_lanjut(
        TindakLanjut.objects.filter(rapat__gugus_tugas=gugus, tenggat__year=tahun)
        .annotate(
            selesai=ExpressionWrapper(selesai, output_field=BooleanField()),
            belum_tempo=ExpressionWrapper(Q(tenggat__gte=hari_ini), output_field=BooleanField()),
            tepat=ExpressionWrapper(
                selesai & Q(selesai_pada__lte=F("tenggat")), output_field=BooleanField()
            ),
        )
        .values_list("opd_id", "opd__singkatan", "selesai", "belum_tempo", "tepat")
        .annotate(n=Count("pk"))
        .order_by()
    )


def total(baris: list, nama: str):
    """A row adding up the counts of rows of one kind."""
    jumlah = type(baris[0])(nama) if baris else None
    for b in baris:
        for name, value in vars(b).items():
            if isinstance(value, int):
                setattr(jumlah, name, getattr(jumlah, name) + value)
            elif isinstance(value, set):
                getattr(jumlah, name).update(f"{b.opd}:{v}" for v in value)
    return jumlah


@dataclass
class PelaporanOpd:
    """Whether an agency sends what is asked of it on time: evaluation answers it leads (from
    the year's newest score snapshot) and the quarterly RAD reports of its actions."""

    opd: str
    jawaban: int = 0
    jawaban_terkirim: int = 0
    jawaban_terlambat: int = 0
    laporan_rad: int = 0
    laporan_rad_terlambat: int = 0

    @property
    def persen_jawaban_terkirim(self) -> Decimal | None:
        return persen(self.jawaban_terkirim, self.jawaban)

    @property
    def persen_rad_tepat(self) -> Decimal | None:
        return persen(self.laporan_rad - self.laporan_rad_terlambat, self.laporan_rad)


@dataclass(frozen=True)
class RadOpd:
    """RAD reports of one agency's actions (or one action): due, and late of those."""

    opd_id: int
    singkatan: str
    jatuh_tempo: int
    terlambat: int


def pelaporan_per_opd(
    *,
    kelengkapan: Iterable[RincianKelengkapan],
    nama_opd: dict[int, str],
    lewat_batas: set,
    keadaan_rad: list = (),
    rad: Iterable[RadOpd] = (),
    hari_ini: datetime.date,
) -> list[PelaporanOpd]:
    """``kelengkapan``: the snapshot's rows (counts per state); ``lewat_batas``: the
    agencies whose deadline has passed; the RAD either as ``keadaan_rad``
    (rencana_aksi.pemantauan.KeadaanAksi of this year: late = a due quarter not sent) or as
    ``rad``, counted per agency in the database (``baca_rad``). Sent means what the RAD calls
    sent (pemantauan.DIKIRIM): waiting for the head, waiting for verification, verified."""
    per_opd: dict[int, PelaporanOpd] = {}

    def baris(opd_id: int) -> PelaporanOpd:
        return per_opd.setdefault(opd_id, PelaporanOpd(nama_opd.get(opd_id, "?")))

    for row in kelengkapan:
        if not row.opd_id:
            continue
        b = baris(row.opd_id)
        b.jawaban += row.semua
        b.jawaban_terkirim += row.dalam(pemantauan.DIKIRIM)
        b.jawaban_terlambat += row.terlambat(lewat_batas)
    per_aksi = (
        RadOpd(
            k.aksi.opd_utama_id,
            k.aksi.opd_utama.singkatan,
            len(pemantauan.triwulan_jatuh_tempo(k.tahun, hari_ini)),
            len(k.terlambat),
        )
        for k in keadaan_rad
        if k.dinilai and k.target is not None
    )
    for r in itertools.chain(per_aksi, rad):
        b = baris(r.opd_id)
        nama_opd.setdefault(r.opd_id, r.singkatan)
        b.opd = nama_opd[r.opd_id]
        b.laporan_rad += r.jatuh_tempo
        b.laporan_rad_terlambat += r.terlambat
    return sorted(per_opd.values(), key=lambda b: b.opd.lower())


# --- Reading the year, and the panel's tables ---------------------------------------------


def baca_rad(tahun: int, hari_ini: datetime.date, daerah_id: int | None) -> list[RadOpd]:
    """The RAD reports due in ``tahun`` per lead agency of the plan covering it, counted as
    rencana_aksi.pemantauan.keadaan does, in the database: the plan, then one aggregate,
    whatever the number of actions and reports. An action counts when it goes on (not
    postponed or cancelled), in a year begun, with a target for the year; a due quarter is
    late when no report of it was sent (a report per quarter: realisasi_satu_per_triwulan)."""
    periode = PeriodeRad.objects.filter(daerah_id=daerah_id).berlaku(tahun)
    if periode is None or tahun > hari_ini.year:
        return []
    jatuh_tempo = pemantauan.triwulan_jatuh_tempo(tahun, hari_ini)
    # Per action, its sent reports of the due quarters: a look-up in the unique (action, year,
    # quarter) index, not a join of every report of the plan counted distinct.
    terkirim = (
        Realisasi.objects.filter(
            aksi=OuterRef("pk"),
            tahun=tahun,
            triwulan__in=jatuh_tempo,
            status__in=pemantauan.DIKIRIM,
        )
        .order_by()
        .values("aksi")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Aksi.objects.filter(periode=periode, target__tahun=tahun, target__target__isnull=False)
        .exclude(status__in=pemantauan.BERHENTI)
        .annotate(dikirim=Coalesce(Subquery(terkirim), 0) if jatuh_tempo else Value(0))
        .values_list("opd_utama_id", "opd_utama__singkatan")
        .annotate(aksi=Count("pk"), terkirim=Sum("dikirim"))  # one target per action and year
        .order_by()
    )
    return [
        RadOpd(opd_id, singkatan, aksi * len(jatuh_tempo), aksi * len(jatuh_tempo) - dikirim)
        for opd_id, singkatan, aksi, dikirim in rows
    ]


def baca_pelaporan(
    tahun: int, hari_ini: datetime.date, daerah_id: int | None
) -> list[PelaporanOpd]:
    """Answers from the newest snapshot of the chosen year's evaluation (only its
    completeness and agencies read out of its detail, by the database), RAD reports of the
    plan covering that year (``baca_rad``)."""
    evaluasi = TahunEvaluasi.objects.filter(tahun=tahun).first()
    dari_snapshot = (
        SkorSnapshot.objects.filter(tahun=evaluasi, daerah_id=daerah_id, rincian__isnull=False)
        .order_by("-data_per")
        .values_list("rincian__kelengkapan", "rincian__opd")
        .first()
        if evaluasi
        else None
    )
    kelengkapan, nama, lewat = [], {}, set()
    if dari_snapshot is not None:
        kelengkapan = [RincianKelengkapan.dari_json(k) for k in dari_snapshot[0]]
        nama = {o["id"]: o["singkatan"] for o in dari_snapshot[1] if o["id"]}
        lewat = evaluasi.opd_lewat_batas(nama, pada=None)
    return pelaporan_per_opd(
        kelengkapan=kelengkapan,
        nama_opd=nama,
        lewat_batas=lewat,
        rad=baca_rad(tahun, hari_ini, daerah_id),
        hari_ini=hari_ini,
    )


@dataclass
class Panel:
    """What the effectiveness page shows for a year: the cards, the tables (the mayor's
    summary first) and the rows the charts are drawn from."""

    tahun: int
    gugus: GugusTugas | None
    kartu: dict
    tabel: list[Tabel]
    bulan: list[Bulan]
    hadir: list[KehadiranOpd]


def panel(*, tahun: int, hari_ini: datetime.date, daerah_id: int | None) -> Panel:
    """The year's figures for a kab/kota's task force: its meetings, the attendance at those
    held, the follow-ups of its meetings due this year, its members, and reporting on time."""
    gugus = GugusTugas.objects.kota(daerah_id)
    terlaksana = Rapat.objects.filter(
        gugus_tugas=gugus, mulai__year=tahun, status=Rapat.Status.TERLAKSANA
    )
    hitung = hitung_rapat_per_bulan(terlaksana) if gugus else {}
    bulan = _per_bulan(hitung, tahun, gugus.target_rapat_per_bulan if gugus else 1, hari_ini)
    # Attendance at the meetings held, read by the database (none held: no query).
    hadir = baca_kehadiran(terlaksana.values("pk") if hitung else [])
    tindak = baca_tindak_lanjut(gugus, tahun, hari_ini) if gugus else []
    anggota = anggota_aktif(gugus) if gugus else []
    lapor = baca_pelaporan(tahun, hari_ini, daerah_id)

    semua_hadir, semua_tindak = total(hadir, "kota"), total(tindak, "kota")
    terlatih = sum(a.terlatih for a in anggota)
    kartu = {
        "rapat": sum(b.terlaksana for b in bulan),
        "target": sum(b.target_sejauh_ini for b in bulan),
        "bulan_kurang": sum(b.kurang for b in bulan),
        "hadir_sendiri": semua_hadir.persen_hadir_sendiri if semua_hadir else None,
        "tepat_waktu": semua_tindak.persen_tepat_waktu if semua_tindak else None,
        "lewat_tenggat": semua_tindak.lewat_tenggat if semua_tindak else 0,
        "anggota": len(anggota),
        "terlatih": terlatih,
        "terlatih_persen": persen(terlatih, len(anggota)),
    }
    tabel = [
        tabel_ringkasan(hadir, tindak, lapor, anggota),
        tabel_bulan(bulan),
        tabel_kehadiran(hadir),
        tabel_tindak_lanjut(tindak),
        tabel_pelaporan(lapor),
        tabel_terlatih(
            "terlatih-per-lembaga",
            _("Anggota Gugus Tugas terlatih KHA per lembaga"),
            _("Lembaga"),
            anggota,
            lembaga,
        ),
    ]
    return Panel(tahun, gugus, kartu, tabel, bulan, hadir)
