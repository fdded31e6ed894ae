"""The measures of effective coordination the studies name, turned into figures: meetings held
per month against the target, who shows up in person and who sends a (different) deputy, which
agencies carry out their follow-ups on time, which report their evaluation answers and RAD
realisation on time, and how many task-force members are trained in KHA.

Pure arithmetic on rows read once, so the page, its XLSX and any report count the same way.
koordinasi reads rencana_aksi's monitoring here (read only; rencana_aksi never reads
koordinasi): the task force coordinates the RAD, and whether agencies report it on time is one
of its measures.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from koordinasi.models import Rapat, TindakLanjut, Undangan
from rencana_aksi.pemantauan import triwulan_jatuh_tempo


def persen(bagian: int, seluruh: int) -> Decimal | None:
    if not seluruh:
        return None
    return (Decimal(100) * bagian / seluruh).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class Bulan:
    bulan: datetime.date
    terlaksana: int
    target: int


def rapat_per_bulan(
    rapat: list[Rapat], tahun: int, target: int, hari_ini: datetime.date
) -> list[Bulan]:
    """Meetings held (attendance recorded) in each month of ``tahun`` up to this month."""
    akhir = 12 if tahun < hari_ini.year else hari_ini.month
    hitung = defaultdict(int)
    for r in rapat:
        if r.status == Rapat.Status.TERLAKSANA and r.mulai_lokal.year == tahun:
            hitung[r.mulai_lokal.month] += 1
    return [Bulan(datetime.date(tahun, b, 1), hitung[b], target) for b in range(1, akhir + 1)]


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
    per_opd: dict[int, KehadiranOpd] = {}
    for u in undangan:
        if u.kehadiran == Undangan.Kehadiran.BELUM:
            continue
        baris = per_opd.setdefault(u.opd_id, KehadiranOpd(u.opd.singkatan))
        if u.kehadiran == Undangan.Kehadiran.HADIR:
            baris.hadir += 1
        elif u.kehadiran == Undangan.Kehadiran.DIWAKILI:
            baris.diwakili += 1
            baris.wakil.add(" ".join(u.diwakili_oleh.lower().split()))
        else:
            baris.tidak_hadir += 1
    return sorted(per_opd.values(), key=lambda b: b.opd.lower())


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
    per_opd: dict[int, TindakLanjutOpd] = {}
    for t in tindak:
        baris = per_opd.setdefault(t.opd_id, TindakLanjutOpd(t.opd.singkatan))
        selesai = t.status == TindakLanjut.Status.SELESAI
        if not selesai and t.tenggat >= hari_ini:
            baris.belum_jatuh_tempo += 1
            continue
        baris.jatuh_tempo += 1
        if not selesai:
            baris.lewat_tenggat += 1
        elif t.selesai_pada <= t.tenggat:
            baris.tepat_waktu += 1
        else:
            baris.terlambat_selesai += 1
    return sorted(per_opd.values(), key=lambda b: b.opd.lower())


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
    the newest score snapshot) and the quarterly RAD reports of its actions."""

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


TERKIRIM = ("menunggu_kepala", "menunggu_verifikasi", "terverifikasi")


def pelaporan_per_opd(
    *,
    kelengkapan: list[dict],
    nama_opd: dict[int, str],
    lewat_batas: set,
    keadaan_rad: list,
    hari_ini: datetime.date,
) -> list[PelaporanOpd]:
    """``kelengkapan``: the snapshot's rows (opd_id and counts per state); ``lewat_batas``: the
    agencies whose deadline has passed; ``keadaan_rad``: rencana_aksi.pemantauan.KeadaanAksi
    of this year (late = a due quarter not sent)."""
    per_opd: dict[int, PelaporanOpd] = {}

    def baris(opd_id: int) -> PelaporanOpd:
        return per_opd.setdefault(opd_id, PelaporanOpd(nama_opd.get(opd_id, "?")))

    for row in kelengkapan:
        if not row["opd_id"]:
            continue
        b = baris(row["opd_id"])
        semua = sum(n for k, n in row.items() if k not in ("opd_id", "kelompok_id"))
        terkirim = sum(row.get(k, 0) for k in TERKIRIM)
        b.jawaban += semua
        b.jawaban_terkirim += terkirim
        if row["opd_id"] in lewat_batas:
            b.jawaban_terlambat += semua - terkirim
    for k in keadaan_rad:
        if not k.dinilai or k.target is None:
            continue
        b = baris(k.aksi.opd_utama_id)
        nama_opd.setdefault(k.aksi.opd_utama_id, k.aksi.opd_utama.singkatan)
        b.opd = nama_opd[k.aksi.opd_utama_id]
        b.laporan_rad += len(triwulan_jatuh_tempo(k.tahun, hari_ini))
        b.laporan_rad_terlambat += len(k.terlambat)
    return sorted(per_opd.values(), key=lambda b: b.opd.lower())
