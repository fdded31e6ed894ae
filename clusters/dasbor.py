"""What the score dashboards show, from a snapshot's detail (clusters.rincian); no database.

Every table is a ``Tabel``: the page renders it and the same object becomes the XLSX
download, so what a person sees and what they export never differ. ``Lingkup`` is the slice a
person may see: the whole city, or their own agencies' questions and their own units.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusters import scoring
from clusters.rincian import (
    RincianIndikator,
    RincianKelompok,
    RincianPertanyaan,
    RincianSkor,
    angka,
)
from kla_portal.ekspor import Kolom, Tabel
from kla_portal.persen import persen as persen_dari
from kla_portal.tabel import tulis_angka

NOL = Decimal(0)
SELESAI = {"menunggu_kepala", "menunggu_verifikasi", "terverifikasi"}
BISA_DIPERBAIKI = {"belum", "draft", "dikembalikan"}  # what the agency itself can change


@dataclass(frozen=True)
class Lingkup:
    """What a person may see of the figures beyond the city total."""

    seluruh_kota: bool
    opd_ids: frozenset[int] = frozenset()
    wilayah_ids: frozenset[int] = frozenset()

    def boleh_opd(self, opd_id) -> bool:
        return self.seluruh_kota or opd_id in self.opd_ids


def persen(bagian, seluruh) -> Decimal:
    """A share to 0,01, as the score tables show it; 0 (not empty) when there is no whole."""
    hasil = persen_dari(bagian, seluruh, desimal=2)
    return NOL if hasil is None else hasil


def dari(n: int, seluruh: int) -> str:
    """ "2/12 (17%)": how many units of how many, the share rounded half up."""
    share = persen(n, seluruh).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{n}/{seluruh} ({share}%)"


def catatan_batas(indikator: RincianIndikator) -> str:
    """ "dibatasi pada 51 (jumlah pertanyaan: mandiri 53 · ...)" where an indicator's capped
    figures are shown (ATURAN_BATAS); "" where its questions stay within its maximum."""
    jumlah = indikator.dibatasi
    if jumlah is None:
        return ""
    label = {"mandiri": _("mandiri"), "berbukti": _("berbukti"), "verifikasi": _("terverifikasi")}
    return _("dibatasi pada %(max)s (jumlah poin pertanyaannya: %(jumlah)s)") % {
        "max": tulis_angka(indikator.max),
        "jumlah": " · ".join(f"{label[k]} {tulis_angka(getattr(jumlah, k))}" for k in label),
    }


# --- Ringkasan ----------------------------------------------------------------------------


PROVINSI = (
    "provinsi",
    gettext_lazy("Poin verifikasi provinsi"),
    gettext_lazy("Poin jawaban yang sudah diterima tim verifikasi provinsi, dengan poin provinsi."),
)


def ringkasan(rincian: RincianSkor, total_provinsi: Decimal | None = None) -> dict:
    """The three totals, and the province's when it accepted answers (the snapshot's
    ``total_provinsi``), with their categories and the distance to the next category."""
    ambang = list(rincian.kategori)
    total = rincian.total
    kartu = []
    provinsi = [PROVINSI] if total_provinsi is not None else []
    for key, label, keterangan in (
        (
            "mandiri",
            _("Poin mandiri OPD"),
            _("Jumlah poin yang diisi OPD, apa pun status jawabannya."),
        ),
        (
            "berbukti",
            _("Poin berbukti"),
            _("Poin mandiri yang data dukung wajibnya sudah terlampir: perkiraan paling jujur."),
        ),
        (
            "verifikasi",
            _("Poin terverifikasi"),
            _("Poin yang diberikan verifikator, hanya untuk jawaban yang sudah diverifikasi."),
        ),
        *provinsi,
    ):
        poin = total_provinsi if key == "provinsi" else getattr(total, key)
        berikut, kurang = scoring.kategori_berikut(poin, ambang)
        kartu.append(
            {
                "kunci": key,
                "label": label,
                "keterangan": keterangan,
                "poin": poin,
                "persen": persen(poin, total.max),
                "kategori": scoring.kategori(poin, ambang),
                "berikut": berikut,
                "kurang": kurang,
            }
        )
    return {"total": total, "kartu": kartu, "ambang": ambang}


def kelompok_lingkup(rincian: RincianSkor, lingkup: Lingkup) -> list[RincianKelompok]:
    """Per group: the city's figures for city-wide roles; for an agency, its own questions'
    shares of their capped indicators."""
    if lingkup.seluruh_kota:
        return list(rincian.kelompok)
    per_ind = {i.id: i.kelompok_id for i in rincian.indikator}
    rows: dict = defaultdict(list)
    for p in _soal_terlihat(rincian, lingkup):
        rows[per_ind[p.indikator_id]].append(p.skala)
    return [
        replace(g, **angka(scoring.jumlahkan(rows[g.id]))) for g in rincian.kelompok if g.id in rows
    ]


def _kolom_poin(pertama: str) -> list[Kolom]:
    """The first columns of a table of points: a name, then maximum, own and backed points."""
    poin = [Kolom(label, "angka") for label in (_("Maksimum"), _("Mandiri"), _("Berbukti"))]
    return [Kolom(pertama), *poin]


def tabel_kelompok(rincian: RincianSkor, lingkup: Lingkup) -> Tabel:
    kelompok = kelompok_lingkup(rincian, lingkup)
    tabel = Tabel(
        "poin-per-kelompok",
        _("Poin per kelompok")
        if lingkup.seluruh_kota
        else _("Poin per kelompok dari pertanyaan OPD Anda"),
        [
            *_kolom_poin(_("Kelompok")),
            Kolom(_("Terverifikasi"), "angka"),
            Kolom(_("Berbukti (% maks.)"), "persen"),
        ],
    )
    baris = [(g.nama, g, "") for g in kelompok]
    if kelompok:
        total = rincian.total if lingkup.seluruh_kota else scoring.jumlahkan(kelompok)
        baris.append((_("Total"), total, "fw-semibold"))
    for nama, t, kelas in baris:
        poin = (t.max, t.mandiri, t.berbukti, t.verifikasi)
        tabel.tambah(nama, *poin, persen(t.berbukti, t.max), kelas=kelas)
    return tabel


def opd_saya(rincian: RincianSkor, lingkup: Lingkup) -> list:
    """The person's own agencies' figures (for an agency's view of the summary)."""
    return [o for o in rincian.opd if o.id in lingkup.opd_ids]


# --- Kelengkapan --------------------------------------------------------------------------

KEADAAN = [
    ("dikerjakan", gettext_lazy("Belum dikirim")),
    ("dikembalikan", gettext_lazy("Dikembalikan")),
    ("menunggu_kepala", gettext_lazy("Menunggu kepala")),
    ("menunggu_verifikasi", gettext_lazy("Menunggu verifikasi")),
    ("terverifikasi", gettext_lazy("Terverifikasi")),
]


TERLAMBAT = object()  # the overdue count kept beside the states while adding up an agency


def _keadaan(counts: dict) -> dict[str, int]:
    hasil = {key: counts.get(key, 0) for key, _label in KEADAAN}
    hasil["dikerjakan"] = counts.get("belum", 0) + counts.get("draft", 0)
    return hasil


def kelengkapan(
    rincian: RincianSkor,
    lingkup: Lingkup,
    *,
    lewat_batas: set,
    kelompok_id: int | None = None,
    tautan=None,
) -> Tabel:
    """Agencies × states: questions to do, returned, waiting, verified, and overdue (not sent
    while the agency's deadline has passed). ``tautan(opd_id, status)`` links a cell."""
    tabel = Tabel(
        "kelengkapan-opd",
        _("Kelengkapan jawaban per OPD"),
        [
            Kolom(_("OPD")),
            Kolom(_("Pertanyaan"), "jumlah"),
            *(Kolom(label, "jumlah") for _key, label in KEADAAN),
            Kolom(_("Terlambat"), "jumlah"),
            Kolom(_("Sudah dikirim"), "persen"),
        ],
    )
    nama = rincian.singkatan_opd
    per_opd: dict = defaultdict(lambda: defaultdict(int))
    for row in rincian.kelengkapan:
        if (not kelompok_id or row.kelompok_id == kelompok_id) and lingkup.boleh_opd(row.opd_id):
            for key, n in row.jumlah.items():
                per_opd[row.opd_id][key] += n
            per_opd[row.opd_id][TERLAMBAT] += row.terlambat(lewat_batas)
    for opd_id, counts in sorted(per_opd.items(), key=lambda kv: nama.get(kv[0]) or "~"):
        terlambat = counts.pop(TERLAMBAT)
        keadaan = _keadaan(counts)
        jumlah = sum(keadaan.values())
        belum_kirim = keadaan["dikerjakan"] + keadaan["dikembalikan"]
        tabel.tambah(
            nama.get(opd_id) or _("(belum ada OPD penanggung jawab)"),
            jumlah,
            *keadaan.values(),
            terlambat,
            persen(jumlah - belum_kirim, jumlah),
            tautan=tautan(opd_id) if tautan and opd_id else "",
            kelas="table-danger" if terlambat else "",
        )
    _baris_jumlah(tabel, persen_dari=(1, 2, 3))
    return tabel


def _baris_jumlah(tabel: Tabel, *, persen_dari: tuple[int, ...] = ()) -> None:
    """A "Jumlah" row under a table of two rows or more: counts and points are added up; a
    percentage column is recomputed as (first - second - third) / first of ``persen_dari``
    (the share sent: all questions less those not sent and those returned)."""
    if len(tabel.baris) < 2:
        return
    sums = []
    for i, kolom in enumerate(tabel.kolom[1:], start=1):
        if kolom.jenis in {"angka", "jumlah"}:
            sums.append(sum((row["sel"][i] or 0) for row in tabel.baris))
        elif kolom.jenis == "persen" and persen_dari:
            semua, *kurang = (sums[j - 1] for j in persen_dari)
            sums.append(persen(semua - sum(kurang), semua))
        else:
            sums.append("")
    tabel.tambah(_("Jumlah"), *sums, kelas="fw-semibold")


def matriks_kelengkapan(rincian: RincianSkor, lingkup: Lingkup) -> Tabel:
    """Agencies × groups: sent or further out of the agency's questions in the group."""
    kelompok = rincian.kelompok
    tabel = Tabel(
        "kelengkapan-opd-kelompok",
        _("Sudah dikirim per OPD dan kelompok"),
        [Kolom(_("OPD")), *(Kolom(g.nama, "teks") for g in kelompok)],
        catatan=_(
            "Jawaban yang sudah dikirim (menunggu kepala, menunggu verifikasi, "
            "terverifikasi) dari jumlah pertanyaan OPD di kelompok itu."
        ),
    )
    nama = rincian.singkatan_opd
    sel: dict = defaultdict(dict)
    for row in rincian.kelengkapan:
        if lingkup.boleh_opd(row.opd_id):
            sel[row.opd_id][row.kelompok_id] = f"{row.dalam(SELESAI)}/{row.semua}"
    for opd_id, cells in sorted(sel.items(), key=lambda kv: nama.get(kv[0]) or "~"):
        tabel.tambah(
            nama.get(opd_id) or _("(belum ada OPD)"),
            *(cells.get(g.id, "") for g in kelompok),
        )
    return tabel


# --- Poin yang hilang ---------------------------------------------------------------------


def hilang(row) -> dict:
    """A row's figures and the points it loses; ``row``: anything with the four figures."""
    return {
        **angka(row),
        "belum_diklaim": row.max - row.mandiri,
        "tanpa_bukti": row.mandiri - row.berbukti,
        "berisiko": row.max - row.berbukti,
    }


# The figures of a "points lost" row, in the order of its columns.
KOLOM_HILANG = ("max", "mandiri", "berbukti", "belum_diklaim", "tanpa_bukti", "berisiko")


def _kolom_hilang(pertama: str) -> list[Kolom]:
    return [
        *_kolom_poin(pertama),
        Kolom(_("Belum diklaim"), "angka"),
        Kolom(_("Diklaim tanpa data dukung"), "angka"),
        Kolom(_("Total poin yang hilang"), "angka"),
    ]


def hilang_per_opd(
    rincian: RincianSkor, lingkup: Lingkup, *, tautan=None
) -> tuple[Tabel, list[dict]]:
    """Points at stake per lead agency, largest first; also the rows for the chart."""
    tabel = Tabel(
        "poin-hilang-opd",
        _("Poin yang hilang per OPD"),
        _kolom_hilang(_("OPD")),
        catatan=_(
            "Angka tiap OPD dibulatkan sendiri-sendiri, sehingga jumlahnya dapat berbeda "
            "beberapa sen dari total kota."
        ),
    )
    rows = []
    for o in rincian.opd:
        if lingkup.boleh_opd(o.id):
            rows.append({"id": o.id, "nama": o.singkatan or _("(belum ada OPD)"), **hilang(o)})
    rows.sort(key=lambda r: (-r["berisiko"], r["nama"]))
    for r in rows:
        tautan_opd = tautan(r["id"]) if tautan and r["id"] else ""
        tabel.tambah(r["nama"], *(r[k] for k in KOLOM_HILANG), tautan=tautan_opd)
    _baris_jumlah(tabel)
    return tabel, rows


def _soal_terlihat(rincian: RincianSkor, lingkup: Lingkup) -> list[RincianPertanyaan]:
    return [p for p in rincian.pertanyaan if lingkup.boleh_opd(p.opd_id)]


def hilang_per_indikator(rincian: RincianSkor, lingkup: Lingkup, *, tautan=None) -> Tabel:
    """Points at stake per indicator; for an agency, from its own questions only.
    ``tautan(kode)`` links an indicator (to the RAD actions that serve it)."""
    tabel = Tabel(
        "poin-hilang-indikator",
        _("Poin yang hilang per indikator"),
        _kolom_hilang(_("Indikator")),
        catatan=_("Klik indikator untuk melihat aksi RAD KLA yang dapat memulihkan poinnya.")
        if tautan
        else "",
    )
    if lingkup.seluruh_kota:
        rows = [(i, hilang(i)) for i in rincian.indikator]
    else:
        per_ind: dict = defaultdict(list)
        for p in _soal_terlihat(rincian, lingkup):
            per_ind[p.indikator_id].append(p.skala)
        rows = [
            (i, hilang(scoring.jumlahkan(per_ind[i.id])))
            for i in rincian.indikator
            if i.id in per_ind
        ]
    rows.sort(key=lambda r: -r[1]["berisiko"])
    for ind, h in rows:
        batas = catatan_batas(ind)
        if batas and not lingkup.seluruh_kota:
            # An agency's row holds its questions' shares of the capped indicator.
            batas = _("indikator dibatasi pada %(max)s") % {"max": tulis_angka(ind.max)}
        tabel.tambah(
            f"{ind.kode}. {ind.nama}" + (f" ({batas})" if batas else ""),
            *(h[k] for k in KOLOM_HILANG),
            tautan=tautan(ind.kode) if tautan else "",
        )
    return tabel


def perbaiki_dulu(rincian: RincianSkor, lingkup: Lingkup, *, n: int = 25, tautan=None) -> Tabel:
    """The questions whose completion gains most: the evidence-backed points still missing,
    largest first; where gains are equal, a missing file (quick to fix) comes first."""
    tabel = Tabel(
        "perbaiki-dulu",
        _("Perbaiki ini dulu: %(n)s pertanyaan teratas") % {"n": n},
        [
            Kolom(_("Pertanyaan")),
            Kolom(_("OPD")),
            Kolom(_("Status")),
            Kolom(_("Yang perlu dilakukan")),
            Kolom(_("Poin yang dapat diraih"), "angka"),
        ],
        catatan=_(
            "Pertanyaan yang masih dapat diubah OPD (belum dijawab, draf, dikembalikan), "
            "diurutkan menurut poin berbukti yang masih dapat diraih."
        ),
    )
    calon = []
    for p in _soal_terlihat(rincian, lingkup):
        if p.status not in BISA_DIPERBAIKI:
            continue  # with the head, the secretariat, or verified: the agency cannot act now
        gain = scoring.bulatkan(p.skala.max - p.skala.berbukti)
        if gain > 0:
            calon.append((gain, p))
    calon.sort(key=lambda c: (-c[0], not c[1].kurang_bukti, c[1].id))
    for gain, p in calon[:n]:
        tabel.tambah(
            judul_soal(rincian, p),
            rincian.singkatan_opd.get(p.opd_id, "") or _("(belum ada OPD)"),
            rincian.label_status(p.status),
            _tindakan(p),
            gain,
            tautan=tautan(p.id) if tautan else "",
        )
    return tabel


def _tindakan(p: RincianPertanyaan) -> str:
    """What the agency should do first to gain a question's points."""
    if p.kurang_bukti:
        return _("Lampirkan data dukung")
    if not p.terjawab:
        return _("Jawab pertanyaan ini")
    if p.status == "dikembalikan":
        return _("Perbaiki jawaban yang dikembalikan")
    return _("Tingkatkan capaian")


def judul_soal(rincian: RincianSkor, p: RincianPertanyaan) -> str:
    """ "Indikator 3 · Pertanyaan 12: <text>", as the tables name a question."""
    return f"{rincian.kode_indikator.get(p.indikator_id, '')} · {p.kode}: {p.teks}"
