"""What the score dashboards show, built from a snapshot's ``rincian``: no database here.

Every table is a ``Tabel``: the page renders it and the same object becomes the XLSX
download, so what a person sees and what they export never differ. ``Lingkup`` is the slice a
person may see: the whole city, or their own agencies' questions and their own units.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusters import scoring
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


def d(value) -> Decimal:
    return Decimal(str(value))


def persen(bagian, seluruh) -> Decimal:
    """A share to 0,01, as the score tables show it; 0 (not empty) when there is no whole."""
    hasil = persen_dari(bagian, seluruh, desimal=2)
    return NOL if hasil is None else hasil


def dari(n: int, seluruh: int) -> str:
    """ "2/12 (17%)": how many units of how many, the share rounded half up."""
    share = persen(n, seluruh).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{n}/{seluruh} ({share}%)"


def catatan_batas(indikator: dict) -> str:
    """ "dibatasi pada 51 (jumlah pertanyaan: mandiri 53 · ...)" where an indicator's capped
    figures are shown (ATURAN_BATAS); "" where its questions stay within its maximum."""
    jumlah = indikator.get("dibatasi")
    if not jumlah:
        return ""
    label = {"mandiri": _("mandiri"), "berbukti": _("berbukti"), "verifikasi": _("terverifikasi")}
    return _("dibatasi pada %(max)s (jumlah poin pertanyaannya: %(jumlah)s)") % {
        "max": tulis_angka(d(indikator["max"])),
        "jumlah": " · ".join(f"{label[k]} {tulis_angka(d(jumlah[k]))}" for k in label),
    }


# --- Ringkasan ----------------------------------------------------------------------------


def ringkasan(rincian: dict) -> dict:
    """The three totals, their categories and the distance to the next category."""
    ambang = [(nama, d(minimum)) for nama, minimum in rincian["kategori"]]
    total = {k: d(v) for k, v in rincian["total"].items()}
    kartu = []
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
    ):
        berikut, kurang = scoring.kategori_berikut(total[key], ambang)
        kartu.append(
            {
                "kunci": key,
                "label": label,
                "keterangan": keterangan,
                "poin": total[key],
                "persen": persen(total[key], total["max"]),
                "kategori": scoring.kategori(total[key], ambang),
                "berikut": berikut,
                "kurang": kurang,
            }
        )
    return {"total": total, "kartu": kartu, "ambang": ambang}


def _skala(p: dict) -> scoring.Tiga:
    """A question's figures as they weigh in the total: its share of its capped indicator."""
    return scoring.Tiga.dari(p["skala"])


def kelompok_lingkup(rincian: dict, lingkup: Lingkup) -> list[dict]:
    """Per group: the city's figures for city-wide roles; for an agency, its own questions'."""
    if lingkup.seluruh_kota:
        return rincian["kelompok"]
    per_ind = {i["id"]: i["kelompok_id"] for i in rincian["indikator"]}
    rows: dict = defaultdict(list)
    for p in _soal_terlihat(rincian, lingkup):
        rows[per_ind[p["indikator_id"]]].append(_skala(p))
    return [
        {
            **{k: g[k] for k in ("id", "nama", "urutan")},
            **scoring.jumlahkan(rows[g["id"]]).as_dict(),
        }
        for g in rincian["kelompok"]
        if g["id"] in rows
    ]


def tabel_kelompok(rincian: dict, lingkup: Lingkup) -> Tabel:
    kelompok = kelompok_lingkup(rincian, lingkup)
    tabel = Tabel(
        "poin-per-kelompok",
        _("Poin per kelompok")
        if lingkup.seluruh_kota
        else _("Poin per kelompok dari pertanyaan OPD Anda"),
        [
            Kolom(_("Kelompok")),
            Kolom(_("Maksimum"), "angka"),
            Kolom(_("Mandiri"), "angka"),
            Kolom(_("Berbukti"), "angka"),
            Kolom(_("Terverifikasi"), "angka"),
            Kolom(_("Berbukti (% maks.)"), "persen"),
        ],
    )
    for g in kelompok:
        tabel.tambah(
            g["nama"],
            d(g["max"]),
            d(g["mandiri"]),
            d(g["berbukti"]),
            d(g["verifikasi"]),
            persen(g["berbukti"], g["max"]),
        )
    if kelompok:
        t = (
            rincian["total"]
            if lingkup.seluruh_kota
            else scoring.jumlahkan(scoring.Tiga.dari(g) for g in kelompok).as_dict()
        )
        tabel.tambah(
            _("Total"),
            d(t["max"]),
            d(t["mandiri"]),
            d(t["berbukti"]),
            d(t["verifikasi"]),
            persen(t["berbukti"], t["max"]),
            kelas="fw-semibold",
        )
    return tabel


def opd_saya(rincian: dict, lingkup: Lingkup) -> list[dict]:
    """The person's own agencies' figures (for an agency's view of the summary)."""
    return [
        {**o, **{k: d(o[k]) for k in ("max", "mandiri", "berbukti", "verifikasi")}}
        for o in rincian["opd"]
        if o["id"] in lingkup.opd_ids
    ]


# --- Kelengkapan --------------------------------------------------------------------------

KEADAAN = [
    ("dikerjakan", gettext_lazy("Belum dikirim")),
    ("dikembalikan", gettext_lazy("Dikembalikan")),
    ("menunggu_kepala", gettext_lazy("Menunggu kepala")),
    ("menunggu_verifikasi", gettext_lazy("Menunggu verifikasi")),
    ("terverifikasi", gettext_lazy("Terverifikasi")),
]


def _keadaan(counts: dict) -> dict[str, int]:
    hasil = {key: counts.get(key, 0) for key, _label in KEADAAN}
    hasil["dikerjakan"] = counts.get("belum", 0) + counts.get("draft", 0)
    return hasil


def kelengkapan(
    rincian: dict,
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
    nama = {o["id"]: o["singkatan"] for o in rincian["opd"]}
    per_opd: dict = defaultdict(lambda: defaultdict(int))
    for row in rincian["kelengkapan"]:
        if kelompok_id and row["kelompok_id"] != kelompok_id:
            continue
        if not lingkup.boleh_opd(row["opd_id"]):
            continue
        for key, n in row.items():
            if key not in {"opd_id", "kelompok_id"}:
                per_opd[row["opd_id"]][key] += n
    for opd_id, counts in sorted(per_opd.items(), key=lambda kv: nama.get(kv[0]) or "~"):
        keadaan = _keadaan(counts)
        jumlah = sum(keadaan.values())
        belum_kirim = keadaan["dikerjakan"] + keadaan["dikembalikan"]
        terlambat = belum_kirim if opd_id in lewat_batas else 0
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


def matriks_kelengkapan(rincian: dict, lingkup: Lingkup) -> Tabel:
    """Agencies × groups: sent or further out of the agency's questions in the group."""
    kelompok = rincian["kelompok"]
    tabel = Tabel(
        "kelengkapan-opd-kelompok",
        _("Sudah dikirim per OPD dan kelompok"),
        [Kolom(_("OPD")), *(Kolom(g["nama"], "teks") for g in kelompok)],
        catatan=_(
            "Jawaban yang sudah dikirim (menunggu kepala, menunggu verifikasi, "
            "terverifikasi) dari jumlah pertanyaan OPD di kelompok itu."
        ),
    )
    nama = {o["id"]: o["singkatan"] for o in rincian["opd"]}
    sel: dict = defaultdict(dict)
    for row in rincian["kelengkapan"]:
        if not lingkup.boleh_opd(row["opd_id"]):
            continue
        jumlah = sum(n for k, n in row.items() if k not in {"opd_id", "kelompok_id"})
        dikirim = sum(n for k, n in row.items() if k in SELESAI)
        sel[row["opd_id"]][row["kelompok_id"]] = f"{dikirim}/{jumlah}"
    for opd_id, cells in sorted(sel.items(), key=lambda kv: nama.get(kv[0]) or "~"):
        tabel.tambah(
            nama.get(opd_id) or _("(belum ada OPD)"),
            *(cells.get(g["id"], "") for g in kelompok),
        )
    return tabel


# --- Poin yang hilang ---------------------------------------------------------------------


def _hilang(row: dict) -> dict:
    maks, mandiri, berbukti = d(row["max"]), d(row["mandiri"]), d(row["berbukti"])
    return {
        "max": maks,
        "mandiri": mandiri,
        "berbukti": berbukti,
        "verifikasi": d(row["verifikasi"]),
        "belum_diklaim": maks - mandiri,
        "tanpa_bukti": mandiri - berbukti,
        "berisiko": maks - berbukti,
    }


def _kolom_hilang(pertama: str) -> list[Kolom]:
    return [
        Kolom(pertama),
        Kolom(_("Maksimum"), "angka"),
        Kolom(_("Mandiri"), "angka"),
        Kolom(_("Berbukti"), "angka"),
        Kolom(_("Belum diklaim"), "angka"),
        Kolom(_("Diklaim tanpa data dukung"), "angka"),
        Kolom(_("Total poin yang hilang"), "angka"),
    ]


def hilang_per_opd(rincian: dict, lingkup: Lingkup, *, tautan=None) -> tuple[Tabel, list[dict]]:
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
    for o in rincian["opd"]:
        if not lingkup.boleh_opd(o["id"]):
            continue
        rows.append({"id": o["id"], "nama": o["singkatan"] or _("(belum ada OPD)"), **_hilang(o)})
    rows.sort(key=lambda r: (-r["berisiko"], r["nama"]))
    for r in rows:
        tabel.tambah(
            r["nama"],
            r["max"],
            r["mandiri"],
            r["berbukti"],
            r["belum_diklaim"],
            r["tanpa_bukti"],
            r["berisiko"],
            tautan=tautan(r["id"]) if tautan and r["id"] else "",
        )
    _baris_jumlah(tabel)
    return tabel, rows


def _soal_terlihat(rincian: dict, lingkup: Lingkup) -> list[dict]:
    return [p for p in rincian["pertanyaan"] if lingkup.boleh_opd(p["opd_id"])]


def hilang_per_indikator(rincian: dict, lingkup: Lingkup, *, tautan=None) -> Tabel:
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
        rows = [(i, _hilang(i)) for i in rincian["indikator"]]
    else:
        per_ind: dict = defaultdict(list)
        for p in _soal_terlihat(rincian, lingkup):
            per_ind[p["indikator_id"]].append(_skala(p))
        rows = [
            (i, _hilang(scoring.jumlahkan(per_ind[i["id"]]).as_dict()))
            for i in rincian["indikator"]
            if i["id"] in per_ind
        ]
    rows.sort(key=lambda r: -r[1]["berisiko"])
    for ind, h in rows:
        batas = catatan_batas(ind)
        if batas and not lingkup.seluruh_kota:
            # An agency's row holds its questions' shares of the capped indicator.
            batas = _("indikator dibatasi pada %(max)s") % {"max": tulis_angka(d(ind["max"]))}
        tabel.tambah(
            f"{ind['kode']}. {ind['nama']}" + (f" ({batas})" if batas else ""),
            h["max"],
            h["mandiri"],
            h["berbukti"],
            h["belum_diklaim"],
            h["tanpa_bukti"],
            h["berisiko"],
            tautan=tautan(ind["kode"]) if tautan else "",
        )
    return tabel


def perbaiki_dulu(rincian: dict, lingkup: Lingkup, *, n: int = 25, tautan=None) -> Tabel:
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
    opd = {o["id"]: o["singkatan"] for o in rincian["opd"]}
    indikator = {i["id"]: i["kode"] for i in rincian["indikator"]}
    label = rincian.get("status_label", {})
    calon = []
    for p in _soal_terlihat(rincian, lingkup):
        if p["status"] not in BISA_DIPERBAIKI:
            continue  # with the head, the secretariat, or verified: the agency cannot act now
        skala = _skala(p)
        gain = scoring.bulatkan(skala.max - skala.berbukti)
        if gain <= 0:
            continue
        if p["kurang_bukti"]:
            tindakan = _("Lampirkan data dukung")
        elif not p["terjawab"]:
            tindakan = _("Jawab pertanyaan ini")
        elif p["status"] == "dikembalikan":
            tindakan = _("Perbaiki jawaban yang dikembalikan")
        else:
            tindakan = _("Tingkatkan capaian")
        calon.append((gain, p["kurang_bukti"], p, tindakan))
    calon.sort(key=lambda c: (-c[0], not c[1], c[2]["id"]))
    for gain, _kurang, p, tindakan in calon[:n]:
        tabel.tambah(
            f"{indikator.get(p['indikator_id'], '')} · {p['kode']}: {p['teks']}",
            opd.get(p["opd_id"], "") or _("(belum ada OPD)"),
            label.get(p["status"], _("Belum dijawab")),
            tindakan,
            gain,
            tautan=tautan(p["id"]) if tautan else "",
        )
    return tabel


# --- Kecamatan dan kelurahan --------------------------------------------------------------


def unit(
    rincian: dict,
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
    soal = [p for p in rincian["pertanyaan"] if p["lingkup"] != "kabkota"]
    jawaban = {(u["pertanyaan_id"], u["wilayah_id"]): u for u in rincian["unit"]}
    anak: dict = defaultdict(list)
    for kel in kelurahan:
        anak[kel["induk_id"]].append(kel)

    def boleh(p, unit_id, induk_id=None) -> bool:
        return lingkup.boleh_opd(p["opd_id"]) or bool({unit_id, induk_id} & lingkup.wilayah_ids)

    def tanda(p, unit_id) -> str:
        u = jawaban.get((p["id"], unit_id))
        if u is None or u["memenuhi"] is None:
            return "–"
        return "✓" if u["memenuhi"] else "✗"

    def terlihat(daftar, lingkup_soal, unit_ids):
        return [
            p
            for p in daftar
            if p["lingkup"] == lingkup_soal and any(boleh(p, *ids) for ids in unit_ids)
        ]

    semua_kel = [(k["id"], k["induk_id"]) for k in kelurahan]
    soal_kec = terlihat(soal, "kecamatan", [(k["id"],) for k in kecamatan])
    soal_kel = terlihat(soal, "desa_kelurahan", semua_kel)

    t1 = Tabel(
        "unit-kecamatan",
        _("Pertanyaan per kecamatan"),
        [
            Kolom(_("Kecamatan")),
            *(Kolom(singkat(p["kode"])) for p in soal_kec),
            Kolom(_("Memenuhi"), "jumlah"),
        ],
        catatan=_("✓ memenuhi, ✗ belum memenuhi, – belum diisi oleh kecamatan."),
    )
    for kec in kecamatan:
        cells = [tanda(p, kec["id"]) if boleh(p, kec["id"]) else "" for p in soal_kec]
        if any(boleh(p, kec["id"]) for p in soal_kec):
            t1.tambah(kec["nama"], *cells, cells.count("✓"))

    t2 = Tabel(
        "unit-kelurahan-per-kecamatan",
        _("Pertanyaan kelurahan/desa: yang memenuhi per kecamatan"),
        [
            Kolom(_("Kecamatan")),
            Kolom(_("Kel./desa"), "jumlah"),
            *(Kolom(singkat(p["kode"])) for p in soal_kel),
        ],
        catatan=_("Jumlah kelurahan/desa yang memenuhi dari seluruh kelurahan/desa kecamatan itu."),
    )
    for kec in kecamatan:
        cells, jumlah = [], 0
        for p in soal_kel:
            daftar = [k for k in anak[kec["id"]] if boleh(p, k["id"], kec["id"])]
            jumlah = max(jumlah, len(daftar))
            n = sum(1 for k in daftar if tanda(p, k["id"]) == "✓")
            cells.append(dari(n, len(daftar)) if daftar else "")
        if jumlah:
            t2.tambah(kec["nama"], jumlah, *cells, tautan=f"?kecamatan={kec['kode']}")
    if lingkup.seluruh_kota and kelurahan and soal_kel:
        cells = []
        for p in soal_kel:
            n = sum(1 for k in kelurahan if tanda(p, k["id"]) == "✓")
            cells.append(dari(n, len(kelurahan)))
        t2.tambah(_("Seluruh kota"), len(kelurahan), *cells, kelas="fw-semibold")
    tables = [t1, t2]

    if pilih_kecamatan:
        t3 = Tabel(
            "unit-kelurahan",
            _("Kelurahan/desa di kecamatan ini"),
            [
                Kolom(_("Kelurahan/desa")),
                *(Kolom(singkat(p["kode"])) for p in soal_kel),
                Kolom(_("Memenuhi"), "jumlah"),
            ],
            catatan=_("✓ memenuhi, ✗ belum memenuhi, – belum diisi oleh kelurahan/desa."),
        )
        for kel in anak[pilih_kecamatan]:
            if not any(boleh(p, kel["id"], pilih_kecamatan) for p in soal_kel):
                continue
            cells = [
                tanda(p, kel["id"]) if boleh(p, kel["id"], pilih_kecamatan) else ""
                for p in soal_kel
            ]
            t3.tambah(kel["nama"], *cells, cells.count("✓"))
        tables.append(t3)

    t4 = Tabel(
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
        if not lingkup.boleh_opd(p["opd_id"]) or not units[p["lingkup"]]:
            continue
        semua = units[p["lingkup"]]
        n = sum(1 for unit_id in semua if tanda(p, unit_id) == "✓")
        dari_unit = persen(n, len(semua))
        diisi = d(p["cakupan_persen"]) if p.get("cakupan_persen") is not None else None
        beda = diisi is None or abs(diisi - dari_unit) >= 1
        t4.tambah(
            f"{singkat(p['kode'])}: {p['teks']}",
            f"{n}/{len(semua)}",
            dari_unit,
            diisi,
            kelas="table-warning" if beda else "",
        )
    if t4.baris:
        tables.append(t4)
    return tables


def singkat(kode: str) -> str:
    """ "Pertanyaan 12" as a column header: "P12"."""
    return kode.replace("Pertanyaan ", "P")


def soal_unit(rincian: dict) -> list[dict]:
    """The per-unit questions with their codes, for the legend under the unit tables."""
    indikator = {i["id"]: i["kode"] for i in rincian["indikator"]}
    return [
        {
            "singkat": singkat(p["kode"]),
            "kode": p["kode"],
            "indikator": indikator.get(p["indikator_id"]),
            "lingkup": p["lingkup"],
            "teks": p["teks"],
        }
        for p in rincian["pertanyaan"]
        if p["lingkup"] != "kabkota"
    ]
