"""The spreadsheet a person downloads to fill with answers."""

from __future__ import annotations

from django.utils.translation import gettext as _

from clusters import scoring
from clusters.impor_jawaban.laporan import KOLOM_TEMPLAT
from clusters.impor_jawaban.nilai import angka_diminta, poin_pilihan
from clusters.impor_jawaban.periksa import daerah_dari_pengguna, daftar_soal, opd_boleh
from clusters.models import Jawaban, Pertanyaan, TahunEvaluasi


def templat(*, tahun: TahunEvaluasi, pengguna) -> tuple[list[str], list[list]]:
    """The columns and rows of the spreadsheet a person fills: one row per question they may
    import, in instrument order, prefilled with the current answers. Uploaded into another
    year, the same codes carry the answers over."""
    boleh = opd_boleh(pengguna)
    rows = []
    for p in daftar_soal(tahun, daerah_dari_pengguna(pengguna)):
        utama = p.utama[0].opd if p.utama else None
        if boleh is not None and (utama is None or utama.pk not in boleh):
            continue
        rows.append(_baris_templat(p, utama, p.kota[0] if p.kota else None))
    return KOLOM_TEMPLAT, rows


def _baris_templat(p: Pertanyaan, utama, jawaban: Jawaban | None) -> list:
    """A question's row of the template, in the order of KOLOM_TEMPLAT."""
    cara = p.cara_penilaian
    diminta = angka_diminta(p)
    return [
        p.indikator.kelompok.nama,
        p.indikator.kode,
        p.indikator.nama,
        p.kode,
        p.teks,
        p.nilai_max,
        p.get_cara_penilaian_display(),
        poin_pilihan(p) if cara == Pertanyaan.CaraPenilaian.OPSI else "",
        {0: "", 1: _("tahun ini"), 2: _("tahun ini dan tahun lalu")}[len(diminta)],
        *_isian_templat(p, jawaban, diminta),
        utama.singkatan if utama else "",
        jawaban.get_status_display() if jawaban else _("Belum dijawab"),
        p.tahun.tahun,
        jawaban.versi if jawaban else 0,
    ]


def _isian_templat(p: Pertanyaan, jawaban: Jawaban | None, diminta: tuple) -> list:
    """The answer's poin, cakupan_persen, angka_tahun_ini, angka_tahun_lalu and catatan."""
    if jawaban is None:
        return [None, None, None, None, ""]
    cara = p.cara_penilaian
    poin = None
    if cara == Pertanyaan.CaraPenilaian.OPSI and jawaban.fraksi is not None:
        poin = scoring.bulatkan(p.nilai_max * jawaban.fraksi)
    elif cara != Pertanyaan.CaraPenilaian.CAKUPAN:
        poin = jawaban.poin_langsung
    return [
        poin,
        jawaban.cakupan_persen if cara == Pertanyaan.CaraPenilaian.CAKUPAN else None,
        jawaban.angka_tahun_ini if diminta else None,
        jawaban.angka_tahun_lalu if len(diminta) == 2 else None,
        jawaban.catatan,
    ]
