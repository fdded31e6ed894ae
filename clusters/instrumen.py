"""Reading and checking an instrument spreadsheet before anything is written.

The file has one row per question with the columns of the national file
(``shared/data/instrumen_kla_2024.csv``). ``periksa`` turns it into a report: counts per group,
the total maximum, and every fault found, each with its row number. Faults that make the data
unusable (a missing column, a missing or duplicate code, a maximum that is not a number or is
negative) block the import; faults that real files carry and that the portal can live with (a
question worth 0, question maxima that do not add up to their indicator, an agency name not yet
mapped) are warnings, shown to the person importing.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

# baca_tabel is read from here by the views, the command and the demo.
from kla_portal.impor import Galat
from kla_portal.tabel import angka_id, tulis_angka
from kla_portal.tabel import baca_tabel as baca_tabel

KOLOM = [
    "kelompok",
    "kelompok_urutan",
    "indikator_kode",
    "indikator_nama",
    "indikator_urutan",
    "indikator_nilai_max",
    "pertanyaan_kode",
    "pertanyaan_teks",
    "pertanyaan_urutan",
    "nilai_max",
    "untuk_kecamatan",
    "untuk_desa",
    "sumber_data_opd",
]
YA = {"1", "ya", "y", "true", "benar", "x"}
TIDAK = {"", "0", "tidak", "t", "false", "salah", "-"}
PETUNJUK_LAMPIRAN = re.compile(r"\(([^()]*lampir[^()]*)\)", re.IGNORECASE)
DUA_TAHUN = re.compile(r"\b(2|dua)\s+tahun\s+terakhir", re.IGNORECASE)


def _temuan(pesan: str, menghalangi: bool, baris: int | None = None) -> Galat:
    """A fault found in the file (a warning when it does not block the import)."""
    return Galat(baris, "", pesan, menghalangi)


@dataclass
class BarisPertanyaan:
    baris: int
    kelompok: str
    kelompok_urutan: int
    indikator_kode: str
    indikator_nama: str
    indikator_urutan: int
    indikator_max: Decimal
    kode: str
    teks: str
    urutan: int
    nilai_max: Decimal
    lingkup: str
    sumber: list[str]

    @property
    def petunjuk_lampiran(self) -> str:
        match = PETUNJUK_LAMPIRAN.search(self.teks)
        if match:
            return match.group(1).strip()[:500]
        return "Lampirkan data dukung." if "lampir" in self.teks.lower() else ""

    @property
    def minta_angka(self) -> bool:
        teks = self.teks.lower()
        return teks.startswith("berapa") or "persentase" in teks or "jumlah" in teks

    @property
    def dua_tahun(self) -> bool:
        return bool(DUA_TAHUN.search(self.teks))


@dataclass
class LaporanInstrumen:
    """What a file would import, and what is wrong with it."""

    pertanyaan: list[BarisPertanyaan] = field(default_factory=list)
    temuan: list[Galat] = field(default_factory=list)  # faults and warnings

    @property
    def bisa_diimpor(self) -> bool:
        return bool(self.pertanyaan) and not any(t.menghalangi for t in self.temuan)

    # What the importer skeleton (kla_portal.impor) reads of a report.
    @property
    def ada_galat(self) -> bool:
        return bool(self.galat)

    @property
    def tulis(self) -> list[BarisPertanyaan]:
        return self.pertanyaan

    def versi_dilihat(self) -> dict:
        """Nothing to compare at confirmation: the instrument is upserted by its codes."""
        return {}

    @property
    def galat(self) -> list[Galat]:
        return [t for t in self.temuan if t.menghalangi]

    @property
    def peringatan(self) -> list[Galat]:
        return [t for t in self.temuan if not t.menghalangi]

    def indikator(self) -> dict[str, BarisPertanyaan]:
        """The first row of each indicator, in file order."""
        first: dict[str, BarisPertanyaan] = {}
        for row in self.pertanyaan:
            first.setdefault(row.indikator_kode, row)
        return first

    def per_kelompok(self) -> list[dict]:
        groups: dict[str, dict] = {}
        for row in sorted(self.pertanyaan, key=lambda r: r.kelompok_urutan):
            group = groups.setdefault(
                row.kelompok,
                {
                    "nama": row.kelompok,
                    "urutan": row.kelompok_urutan,
                    "indikator": {},
                    "pertanyaan": 0,
                },
            )
            group["indikator"][row.indikator_kode] = row.indikator_max
            group["pertanyaan"] += 1
        return [
            {
                "nama": g["nama"],
                "indikator": len(g["indikator"]),
                "pertanyaan": g["pertanyaan"],
                "nilai_max": sum(g["indikator"].values(), Decimal(0)),
            }
            for g in groups.values()
        ]

    @property
    def total_max(self) -> Decimal:
        return sum((row.indikator_max for row in self.indikator().values()), Decimal(0))

    def sumber_data(self) -> Counter:
        return Counter(nama for row in self.pertanyaan for nama in row.sumber)

    def as_text(self, tahun: int) -> str:
        groups = self.per_kelompok()
        lines = [
            f"Instrumen {tahun}: {len(groups)} kelompok, {len(self.indikator())} indikator, "
            f"{len(self.pertanyaan)} pertanyaan, nilai maksimum {tulis_angka(self.total_max)}."
        ]
        for g in groups:
            lines.append(
                f"  {g['nama']:<28} {g['indikator']:>3} indikator {g['pertanyaan']:>4} pertanyaan"
                f"  nilai maks. {tulis_angka(g['nilai_max']):>6}"
            )
        lines.append(f"Temuan: {len(self.galat)} galat, {len(self.peringatan)} peringatan.")
        lines.extend(f"  {t.as_text()}" for t in self.temuan)
        return "\n".join(lines)


# The former private name, kept for code written before the shared module.
_desimal = angka_id


def _bulat(raw, default: int) -> int:
    value = angka_id(raw)
    return int(value) if value is not None and value == value.to_integral() else default


def periksa(rows: list[dict[str, object]], *, nama_dikenal: set[str]) -> LaporanInstrumen:
    """Check an instrument table; ``nama_dikenal`` are the agency names already mapped to OPD."""
    laporan = LaporanInstrumen()
    masalah = _berkas_salah(rows)
    if masalah:
        laporan.temuan.append(masalah)
        return laporan
    pemeriksa = _Pemeriksa(laporan)
    for index, row in enumerate(rows):
        pemeriksa.baris(row, index + 2)  # row 1 is the header
    laporan.temuan.extend(_jumlah_salah(laporan))
    laporan.temuan.sort(key=lambda t: (t.baris is None, t.baris or 0))
    belum = sorted(set(laporan.sumber_data()) - nama_dikenal)
    if belum:
        laporan.temuan.append(
            _temuan(
                f"{len(belum)} nama sumber data belum dipetakan ke OPD: {', '.join(belum)}. "
                "Petakan setelah impor agar pertanyaannya dapat ditugaskan.",
                False,
            )
        )
    return laporan


def _berkas_salah(rows: list[dict]) -> Galat | None:
    """The fault that stops the whole file: no rows, or columns missing."""
    if not rows:
        return _temuan("Berkas tidak berisi satu pertanyaan pun.", True)
    hilang = [k for k in KOLOM if k not in rows[0]]
    if hilang:
        return _temuan(
            f"Kolom tidak ada: {', '.join(hilang)}. Gunakan kolom berkas instrumen resmi.",
            True,
            1,
        )
    return None


class _Pemeriksa:
    """Checks the rows of an instrument into a report, remembering the codes and indicator
    maxima seen so far."""

    def __init__(self, laporan: LaporanInstrumen):
        self.laporan = laporan
        self.seen: dict[tuple[str, str], int] = {}
        self.indikator_max: dict[str, tuple[Decimal, int]] = {}
        self.indikator_kelompok: dict[str, str] = {}

    def baris(self, row: dict, baris: int) -> None:
        laporan = self.laporan
        text = {k: str(row.get(k) if row.get(k) is not None else "").strip() for k in KOLOM}
        if not any(text.values()):
            return
        problems = _sel_salah(row, text)
        laporan.temuan.extend(_temuan(f"{problem}.", True, baris) for problem in problems)
        if problems:
            return
        ind_max = angka_id(row.get("indikator_nilai_max"))
        bentrok = self._bentrok(text, ind_max, baris)
        if bentrok:
            laporan.temuan.append(_temuan(bentrok, True, baris))
            return
        pertanyaan = self._pertanyaan(row, text, ind_max, baris)
        laporan.temuan.extend(_peringatan(pertanyaan))
        laporan.pertanyaan.append(pertanyaan)

    def _bentrok(self, text: dict, ind_max: Decimal, baris: int) -> str:
        """Why the row disagrees with an earlier one: a code used twice, an indicator with
        two maxima or in two groups; "" when it agrees."""
        key = (text["indikator_kode"], text["pertanyaan_kode"])
        if key in self.seen:
            return f"kode {key[1]} dipakai dua kali di {key[0]} (juga baris {self.seen[key]})."
        self.seen[key] = baris
        kode_ind = text["indikator_kode"]
        if kode_ind in self.indikator_max and self.indikator_max[kode_ind][0] != ind_max:
            first_max, first_row = self.indikator_max[kode_ind]
            return (
                f"nilai {kode_ind} {tulis_angka(ind_max)} berbeda dengan baris {first_row} "
                f"({tulis_angka(first_max)})."
            )
        self.indikator_max.setdefault(kode_ind, (ind_max, baris))
        if self.indikator_kelompok.setdefault(kode_ind, text["kelompok"]) != text["kelompok"]:
            return (
                f"{kode_ind} muncul di dua kelompok: "
                f"{self.indikator_kelompok[kode_ind]} dan {text['kelompok']}."
            )
        return ""

    def _pertanyaan(self, row: dict, text: dict, ind_max: Decimal, baris: int) -> BarisPertanyaan:
        kecamatan, desa = text["untuk_kecamatan"].lower(), text["untuk_desa"].lower()
        lingkup = "kecamatan" if kecamatan in YA else "desa_kelurahan" if desa in YA else "kabkota"
        kode_ind = text["indikator_kode"]
        return BarisPertanyaan(
            baris=baris,
            kelompok=text["kelompok"],
            kelompok_urutan=_bulat(row.get("kelompok_urutan"), len(self.indikator_kelompok)),
            indikator_kode=kode_ind,
            indikator_nama=text["indikator_nama"] or kode_ind,
            indikator_urutan=_bulat(row.get("indikator_urutan"), len(self.indikator_max)),
            indikator_max=ind_max,
            kode=text["pertanyaan_kode"],
            teks=text["pertanyaan_teks"],
            urutan=_bulat(row.get("pertanyaan_urutan"), baris),
            nilai_max=angka_id(row.get("nilai_max")),
            lingkup=lingkup,
            sumber=[s.strip() for s in text["sumber_data_opd"].split(";") if s.strip()],
        )


def _sel_salah(row: dict, text: dict) -> list[str]:
    """What is wrong with the row's own cells: blanks, numbers, yes/no flags."""
    problems = []
    for kolom, label in (
        ("kelompok", "kelompok"),
        ("indikator_kode", "kode indikator"),
        ("pertanyaan_kode", "kode pertanyaan"),
        ("pertanyaan_teks", "teks pertanyaan"),
    ):
        if not text[kolom]:
            problems.append(f"{label} kosong")
    for kolom in ("nilai_max", "indikator_nilai_max"):
        nilai = angka_id(row.get(kolom))
        if nilai is None:
            problems.append(f"{kolom} {text[kolom]!r} bukan angka")
        elif nilai < 0:
            problems.append(f"{kolom} {text[kolom]} negatif")
    kecamatan, desa = text["untuk_kecamatan"].lower(), text["untuk_desa"].lower()
    for kolom, value in (("untuk_kecamatan", kecamatan), ("untuk_desa", desa)):
        if value not in YA | TIDAK:
            problems.append(f"{kolom} {value!r} harus 0 atau 1")
    if kecamatan in YA and desa in YA:
        problems.append("untuk_kecamatan dan untuk_desa tidak boleh keduanya 1")
    return problems


def _peringatan(row: BarisPertanyaan) -> list[Galat]:
    """What a real file may carry: a question worth 0, a question without a data source."""
    peringatan = []
    if row.nilai_max == 0:
        peringatan.append(
            _temuan(f"{row.indikator_kode} {row.kode} bernilai 0 poin.", False, row.baris)
        )
    if not row.sumber:
        peringatan.append(
            _temuan(
                f"{row.indikator_kode} {row.kode} tidak menyebut sumber data; "
                "tetapkan OPD-nya secara manual.",
                False,
                row.baris,
            )
        )
    return peringatan


def _jumlah_salah(laporan: LaporanInstrumen) -> list[Galat]:
    """Warnings on the totals: an indicator whose questions do not add up to it, a whole
    instrument not worth 1.000."""
    temuan = []
    jumlah = defaultdict(Decimal)
    for row in laporan.pertanyaan:
        jumlah[row.indikator_kode] += row.nilai_max
    for kode, first in laporan.indikator().items():
        if jumlah[kode] != first.indikator_max:
            temuan.append(
                _temuan(
                    f"{kode}: jumlah nilai pertanyaannya {tulis_angka(jumlah[kode])}, tidak sama "
                    f"dengan nilai indikator {tulis_angka(first.indikator_max)}."
                    + (
                        f" Poin indikator = jumlah poin pertanyaannya, dibatasi pada "
                        f"{tulis_angka(first.indikator_max)}."
                        if jumlah[kode] > first.indikator_max
                        else ""
                    ),
                    False,
                    first.baris,
                )
            )
    if laporan.pertanyaan and laporan.total_max != 1000:
        temuan.append(
            _temuan(
                f"jumlah nilai seluruh indikator {tulis_angka(laporan.total_max)}, bukan 1.000.",
                False,
            )
        )
    return temuan


# --- A question's names in a table ---------------------------------------------------------

# The words questions open with: "Berapa persentase kecamatan yang memiliki …", "Apakah desa …".
_AWALAN_SOAL = re.compile(
    r"^(?:berapa\s+(?:persentase|jumlah)\s+|apakah\s+)"
    r"(?:(?:kecamatan|desa/kelurahan|kelurahan/desa|kelurahan|desa)\s+)?"
    r"(?:yang\s+)?(?:memiliki\s+|mempunyai\s+|terdapat\s+)?",
    re.IGNORECASE,
)
# "(PATBM)": the name people know a service by.
_SINGKATAN = re.compile(r"\(([A-Z][A-Z-]{2,9})\)")


def singkat(kode: str) -> str:
    """ "Pertanyaan 12" as a column header: "P12"."""
    return kode.replace("Pertanyaan ", "P")


def label_pendek(teks: str, kata: int = 4) -> str:
    """A question's subject in a few words, to name a table column: "Berapa persentase
    kecamatan yang memiliki Kawasan Tanpa Rokok? Lampirkan …" gives "Kawasan Tanpa Rokok",
    "… fungsi Perlindungan Anak Terpadu Berbasis Masyarakat (PATBM) …" gives "PATBM"."""
    soal = teks.split("?")[0]
    if singkatan := _SINGKATAN.search(soal):
        return singkatan.group(1)
    words = _AWALAN_SOAL.sub("", " ".join(re.sub(r"\([^)]*\)", " ", soal).split())).split()
    pendek = " ".join(words[:kata]) + ("…" if len(words) > kata else "")
    return pendek[:1].upper() + pendek[1:]
