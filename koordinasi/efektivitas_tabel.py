"""The effectiveness panel's tables (koordinasi.efektivitas reads the figures): meetings per
month, attendance, follow-ups and reporting per agency, and the mayor's summary side by side.
Built once as kla_portal.ekspor.Tabel, so the page and its XLSX show the same."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kla_portal.ekspor import Kolom, Tabel
from koordinasi.gugus_tugas import lembaga

if TYPE_CHECKING:
    from agencies.models import AnggotaGugusTugas
    from koordinasi.efektivitas import Bulan, KehadiranOpd, PelaporanOpd, TindakLanjutOpd


def nama_bulan(bulan: datetime.date) -> str:
    return date_format(bulan, "F Y")


def tabel_bulan(bulan: list[Bulan]) -> Tabel:
    tabel = Tabel(
        "rapat-per-bulan",
        _("Rapat terlaksana per bulan"),
        [Kolom(_("Bulan")), Kolom(_("Terlaksana"), "jumlah"), Kolom(_("Target"), "jumlah")],
        catatan=_("Bulan berjalan baru dihitung kurang setelah bulannya berakhir."),
    )
    for b in bulan:
        tabel.tambah(
            nama_bulan(b.bulan),
            b.terlaksana,
            b.target,
            kelas="table-warning" if b.kurang else "",
        )
    return tabel


def _tabel_per_opd(
    nama: str, judul: str, pertama: str, kolom: list[tuple], baris: list, *, catatan: str, kelas
) -> Tabel:
    """One row per agency: ``b.opd`` under ``pertama``, then for each of ``kolom`` (label,
    kind, attribute) the row's attribute; ``kelas(b)``: the row's CSS class."""
    tabel = Tabel(
        nama,
        judul,
        [Kolom(pertama), *(Kolom(label, jenis) for label, jenis, _a in kolom)],
        catatan=catatan,
    )
    for b in baris:
        tabel.tambah(b.opd, *(getattr(b, a) for _l, _j, a in kolom), kelas=kelas(b))
    return tabel


def tabel_kehadiran(hadir: list[KehadiranOpd]) -> Tabel:
    return _tabel_per_opd(
        "kehadiran-per-opd",
        _("Kehadiran per OPD/lembaga"),
        _("OPD/lembaga"),
        [
            (_("Hadir sendiri"), "jumlah", "hadir"),
            (_("Diwakili"), "jumlah", "diwakili"),
            (_("Wakil berbeda"), "jumlah", "wakil_berbeda"),
            (_("Tidak hadir"), "jumlah", "tidak_hadir"),
            (_("Hadir sendiri"), "persen", "persen_hadir_sendiri"),
            (_("Hadir (sendiri atau diwakili)"), "persen", "persen_hadir"),
        ],
        hadir,
        catatan=_(
            "Dari rapat yang kehadirannya sudah dicatat. Wakil berbeda: berapa orang berbeda yang "
            "dikirim sebagai wakil."
        ),
        kelas=lambda b: "table-warning" if (b.persen_hadir or 0) < 50 else "",
    )


def tabel_tindak_lanjut(tindak: list[TindakLanjutOpd]) -> Tabel:
    return _tabel_per_opd(
        "tindak-lanjut-per-opd",
        _("Tindak lanjut per OPD"),
        _("OPD"),
        [
            (_("Jatuh tempo"), "jumlah", "jatuh_tempo"),
            (_("Selesai tepat waktu"), "jumlah", "tepat_waktu"),
            (_("Selesai terlambat"), "jumlah", "terlambat_selesai"),
            (_("Lewat tenggat, belum selesai"), "jumlah", "lewat_tenggat"),
            (_("Belum jatuh tempo"), "jumlah", "belum_jatuh_tempo"),
            (_("Tepat waktu"), "persen", "persen_tepat_waktu"),
        ],
        tindak,
        catatan=_(
            "Tindak lanjut rapat Gugus Tugas kota bertenggat tahun ini; jatuh tempo: tenggatnya "
            "sudah lewat atau sudah selesai."
        ),
        kelas=lambda b: "table-danger" if b.lewat_tenggat else "",
    )


def tabel_pelaporan(lapor: list[PelaporanOpd]) -> Tabel:
    return _tabel_per_opd(
        "pelaporan-per-opd",
        _("Pelaporan tepat waktu per OPD"),
        _("OPD"),
        [
            (_("Jawaban evaluasi"), "jumlah", "jawaban"),
            (_("Terkirim"), "persen", "persen_jawaban_terkirim"),
            (_("Jawaban terlambat"), "jumlah", "jawaban_terlambat"),
            (_("Laporan RAD jatuh tempo"), "jumlah", "laporan_rad"),
            (_("Laporan RAD terlambat"), "jumlah", "laporan_rad_terlambat"),
            (_("RAD tepat waktu"), "persen", "persen_rad_tepat"),
        ],
        lapor,
        catatan=_(
            "Jawaban: evaluasi tahun yang dipilih, per skor terakhirnya; terlambat bila batas "
            "waktu OPD sudah lewat dan jawaban belum dikirim. Laporan RAD: triwulan yang sudah "
            "jatuh tempo pada tahun itu; terlambat bila belum dikirim."
        ),
        kelas=lambda b: "table-danger" if b.jawaban_terlambat or b.laporan_rad_terlambat else "",
    )


def tabel_ringkasan(
    hadir: list[KehadiranOpd],
    tindak: list[TindakLanjutOpd],
    lapor: list[PelaporanOpd],
    anggota: list[AnggotaGugusTugas],
) -> Tabel:
    """The mayor's summary: one row per agency, the four measures side by side."""
    tabel = Tabel(
        "ringkasan-per-opd",
        _("Ringkasan per OPD: hadir, menindaklanjuti, terlatih, melapor"),
        [
            Kolom(_("OPD/lembaga")),
            Kolom(_("Hadir sendiri"), "persen"),
            Kolom(_("Wakil berbeda"), "jumlah"),
            Kolom(_("Tindak lanjut tepat waktu"), "persen"),
            Kolom(_("Tindak lanjut lewat tenggat"), "jumlah"),
            Kolom(_("Anggota GT"), "jumlah"),
            Kolom(_("Terlatih KHA"), "jumlah"),
            Kolom(_("Jawaban terlambat"), "jumlah"),
            Kolom(_("Laporan RAD terlambat"), "jumlah"),
            Kolom(_("Perlu perhatian")),
        ],
        catatan=_(
            "Baris kuning: ada yang perlu ditegur atau dibantu; kolom terakhir menyebut apa."
        ),
    )
    per_hadir = {b.opd: b for b in hadir}
    per_tindak = {b.opd: b for b in tindak}
    per_lapor = {b.opd: b for b in lapor}
    per_anggota: dict[str, list[int]] = {}
    for a in anggota:
        n = per_anggota.setdefault(lembaga(a), [0, 0])
        n[0] += 1
        n[1] += a.terlatih
    terlambat = {o for o, p in per_lapor.items() if p.jawaban_terlambat or p.laporan_rad_terlambat}
    semua_opd = set(per_hadir) | set(per_tindak) | set(per_anggota) | terlambat
    for opd in sorted(semua_opd, key=str.lower):
        h, t, p = per_hadir.get(opd), per_tindak.get(opd), per_lapor.get(opd)
        perlu = _perlu_perhatian(h, t, p)
        tabel.tambah(
            opd,
            *_sel_ringkasan(h, t, p, per_anggota.get(opd, [0, 0])),
            "; ".join(perlu),
            kelas="table-warning" if perlu else "",
        )
    return tabel


def _sel_ringkasan(h: KehadiranOpd | None, t: TindakLanjutOpd | None, p: PelaporanOpd | None, n):
    """An agency's measures in the mayor's summary; empty where it has none of a kind."""
    return (
        h.persen_hadir_sendiri if h else None,
        h.wakil_berbeda if h else None,
        t.persen_tepat_waktu if t else None,
        t.lewat_tenggat if t else None,
        n[0],
        n[1],
        p.jawaban_terlambat if p else None,
        p.laporan_rad_terlambat if p else None,
    )


def _perlu_perhatian(
    h: KehadiranOpd | None, t: TindakLanjutOpd | None, p: PelaporanOpd | None
) -> list[str]:
    """What an agency should be reminded of or helped with."""
    perlu = []
    if h and (h.persen_hadir_sendiri or 0) < 50:
        perlu.append(_("jarang hadir sendiri"))
    if t and t.lewat_tenggat:
        perlu.append(_("tindak lanjut lewat tenggat"))
    if p and p.jawaban_terlambat:
        perlu.append(_("jawaban evaluasi terlambat"))
    if p and p.laporan_rad_terlambat:
        perlu.append(_("laporan RAD terlambat"))
    return perlu
