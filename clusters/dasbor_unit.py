"""The score dashboards' kecamatan and kelurahan tables: which units meet each per-unit
question, as clusters.dasbor's other tables are built (a ``Tabel`` for the page and its XLSX),
from a snapshot's detail; no database."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from clusters import instrumen
from clusters.dasbor import Lingkup, dari, persen
from clusters.rincian import RincianPertanyaan, RincianSkor, RincianUnit
from kla_portal.ekspor import Kolom, Tabel

# --- Kecamatan dan kelurahan --------------------------------------------------------------


@dataclass(frozen=True)
class _Unit:
    """Who may see which unit's answer to which per-unit question, and what it says."""

    jawaban: dict[tuple[int, int], RincianUnit]
    lingkup: Lingkup

    def boleh(self, p: RincianPertanyaan, unit_id: int, induk_id: int | None = None) -> bool:
        """The question's lead agency sees every unit; a unit's people see their own."""
        return self.lingkup.boleh_opd(p.opd_id) or bool(
            {unit_id, induk_id} & self.lingkup.wilayah_ids
        )

    def tanda(self, p: RincianPertanyaan, unit_id: int) -> str:
        u = self.jawaban.get((p.id, unit_id))
        if u is None or u.memenuhi is None:
            return "–"
        return "✓" if u.memenuhi else "✗"

    def memenuhi(self, p: RincianPertanyaan, unit_ids) -> int:
        return sum(1 for unit_id in unit_ids if self.tanda(p, unit_id) == "✓")

    def terlihat(self, soal, lingkup_soal: str, unit_ids) -> list[RincianPertanyaan]:
        return [
            p
            for p in soal
            if p.lingkup == lingkup_soal and any(self.boleh(p, *ids) for ids in unit_ids)
        ]


def unit(
    rincian: RincianSkor,
    *,
    kecamatan: list[dict],
    kelurahan: list[dict],
    lingkup: Lingkup,
    pilih_kecamatan: int | None = None,
) -> list[Tabel]:
    """For the per-unit questions, which units meet them.

    ``kecamatan``/``kelurahan``: dicts with id, kode, nama (and induk_id for kelurahan).
    Tables: kecamatan × kecamatan-level questions; kecamatan × kelurahan-level questions as
    "meets/all (percent)"; with ``pilih_kecamatan``, its kelurahan one by one; and the coverage
    the units' answers give against the coverage the lead agency entered (which is scored).
    A person sees every unit of the questions their agency leads, and their own units.
    """
    soal = [p for p in rincian.pertanyaan if p.per_unit]
    u = _Unit({(j.pertanyaan_id, j.wilayah_id): j for j in rincian.unit}, lingkup)
    anak: dict = defaultdict(list)
    for kel in kelurahan:
        anak[kel["induk_id"]].append(kel)
    soal_kec = u.terlihat(soal, "kecamatan", [(k["id"],) for k in kecamatan])
    soal_kel = u.terlihat(soal, "desa_kelurahan", [(k["id"], k["induk_id"]) for k in kelurahan])

    tables = [
        _tabel_tanda(
            Tabel(
                "unit-kecamatan",
                _("Pertanyaan per kecamatan"),
                [Kolom(_("Kecamatan"))],
                catatan=_("✓ memenuhi, ✗ belum memenuhi, – belum diisi oleh kecamatan."),
            ),
            u,
            soal_kec,
            kecamatan,
        ),
        _tabel_kelurahan_per_kecamatan(u, soal_kel, kecamatan, kelurahan, anak),
    ]
    if pilih_kecamatan:
        t3 = Tabel(
            "unit-kelurahan",
            _("Kelurahan/desa di kecamatan ini"),
            [Kolom(_("Kelurahan/desa"))],
            catatan=_("✓ memenuhi, ✗ belum memenuhi, – belum diisi oleh kelurahan/desa."),
        )
        tables.append(_tabel_tanda(t3, u, soal_kel, anak[pilih_kecamatan], pilih_kecamatan))
    t4 = _tabel_cakupan(u, soal, kecamatan, kelurahan)
    if t4.baris:
        tables.append(t4)
    return tables


def _tabel_tanda(
    tabel: Tabel, u: _Unit, soal: list[RincianPertanyaan], units: list[dict], induk_id=None
) -> Tabel:
    """One row per unit the person may see: ✓, ✗ or – per question, and how many it meets.
    ``tabel`` comes with its first column (the unit); a column per question follows."""
    tabel.kolom += [*(_kolom_soal(p) for p in soal), Kolom(_("Memenuhi"), "jumlah")]
    for wilayah in units:
        if not any(u.boleh(p, wilayah["id"], induk_id) for p in soal):
            continue
        cells = [
            u.tanda(p, wilayah["id"]) if u.boleh(p, wilayah["id"], induk_id) else "" for p in soal
        ]
        tabel.tambah(wilayah["nama"], *cells, cells.count("✓"))
    return tabel


def _tabel_kelurahan_per_kecamatan(
    u: _Unit, soal_kel: list[RincianPertanyaan], kecamatan, kelurahan, anak
) -> Tabel:
    """Per kecamatan, how many of its kelurahan/desa meet each kelurahan-level question."""
    tabel = Tabel(
        "unit-kelurahan-per-kecamatan",
        _("Pertanyaan kelurahan/desa: yang memenuhi per kecamatan"),
        [
            Kolom(_("Kecamatan")),
            Kolom(_("Kel./desa"), "jumlah"),
            *(_kolom_soal(p) for p in soal_kel),
        ],
        catatan=_("Jumlah kelurahan/desa yang memenuhi dari seluruh kelurahan/desa kecamatan itu."),
    )
    for kec in kecamatan:
        cells, jumlah = [], 0
        for p in soal_kel:
            daftar = [k["id"] for k in anak[kec["id"]] if u.boleh(p, k["id"], kec["id"])]
            jumlah = max(jumlah, len(daftar))
            cells.append(dari(u.memenuhi(p, daftar), len(daftar)) if daftar else "")
        if jumlah:
            tabel.tambah(kec["nama"], jumlah, *cells, tautan=f"?kecamatan={kec['kode']}")
    if u.lingkup.seluruh_kota and kelurahan and soal_kel:
        semua = [k["id"] for k in kelurahan]
        cells = [dari(u.memenuhi(p, semua), len(semua)) for p in soal_kel]
        tabel.tambah(_("Seluruh kota"), len(kelurahan), *cells, kelas="fw-semibold")
    return tabel


def _tabel_cakupan(u: _Unit, soal: list[RincianPertanyaan], kecamatan, kelurahan) -> Tabel:
    """The coverage the units' answers give against the one the lead agency entered."""
    tabel = Tabel(
        "unit-cakupan",
        _("Cakupan dari jawaban unit dibanding isian OPD"),
        [
            Kolom(_("Pertanyaan")),
            Kolom(_("Unit memenuhi"), "teks"),
            Kolom(_("Cakupan dari jawaban unit"), "persen"),
            Kolom(_("Cakupan diisi OPD (dinilai)"), "persen"),
        ],
        catatan=_(
            "Poin dihitung dari cakupan yang diisi OPD penanggung jawab. Baris kuning: "
            "isian OPD berbeda dari jawaban kecamatan/kelurahan."
        ),
    )
    units = {
        "kecamatan": [k["id"] for k in kecamatan],
        "desa_kelurahan": [k["id"] for k in kelurahan],
    }
    for p in soal:
        if not u.lingkup.boleh_opd(p.opd_id) or not units[p.lingkup]:
            continue
        semua = units[p.lingkup]
        n = u.memenuhi(p, semua)
        dari_unit = persen(n, len(semua))
        beda = p.cakupan_persen is None or abs(p.cakupan_persen - dari_unit) >= 1
        tabel.tambah(
            f"{instrumen.singkat(p.kode)}: {p.teks}",
            f"{n}/{len(semua)}",
            dari_unit,
            p.cakupan_persen,
            kelas="table-warning" if beda else "",
        )
    return tabel


def _kolom_soal(p: RincianPertanyaan) -> Kolom:
    """A question's column: its code, a few words naming it, the whole question on hover."""
    return Kolom(instrumen.singkat(p.kode), keterangan=instrumen.label_pendek(p.teks), judul=p.teks)


def soal_unit(rincian: RincianSkor) -> list[dict]:
    """The per-unit questions with their codes, for the legend under the unit tables."""
    return [
        {
            "singkat": instrumen.singkat(p.kode),
            "kode": p.kode,
            "indikator": rincian.kode_indikator.get(p.indikator_id),
            "lingkup": p.lingkup,
            "teks": p.teks,
        }
        for p in rincian.pertanyaan
        if p.per_unit
    ]
