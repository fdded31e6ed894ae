"""Reading and checking a spreadsheet of the RAD KLA before anything is written.

Two kinds of sheet, told apart by their header row:

- **rencana**, the plan: one row per action (``kode_aksi``) with its cluster and KLA indicators,
  its place in the budget nomenclature, its performance indicator, lead and supporting agencies,
  and for each year of the period ``target_<tahun>``, ``pagu_<tahun>`` and ``sumber_<tahun>``;
- **realisasi**, a quarter's realisation: one row per action and quarter (``kode_aksi``,
  ``tahun``, ``triwulan``) with ``capaian`` (cumulative within the year), ``anggaran`` (spent in
  the quarter) and ``uraian``; other columns (the action's name, unit, target) are there to read.

``periksa_berkas`` turns an upload into a report: what it would write, the rows it skips, how many
rows would change nothing, and every fault with its Excel row and column. Nothing here writes;
that is ``impor_tulis.rad_impor``. A blank cell, or a column the file does not have, keeps what
the action or the report already holds, so a template downloaded, partly filled and uploaded
again changes only what was typed; a row without any value is skipped.

Who may import what: ``rencana_aksi.kelola_rad`` (Bappeda, the secretariat, the admin) the whole
plan and every report; an agency operator the targets, ceilings and funding sources of the
actions its agency leads (the other columns must be blank or as in the RAD) and those actions'
quarterly reports. ``pengguna`` None (the command without ``--oleh``) may import everything.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _

from agencies.models import Opd, Peran
from clusters.impor_jawaban import Galat
from kla_portal.ekspor import AWALAN_RUMUS
from kla_portal.tabel import angka_id, baca_tabel, nilai_sel, tampil_sel, teks_sel
from rencana_aksi import services
from rencana_aksi.forms import KODE_NOMENKLATUR, kode_indikator
from rencana_aksi.models import (
    Aksi,
    AksiIndikator,
    Klaster,
    PeriodeRad,
    Realisasi,
    SumberDana,
    TargetTahunan,
)
from rencana_aksi.services import DataAksi

RENCANA, REALISASI = "rencana", "realisasi"
# The plan's columns, in template order; per year the three columns of TAHUNAN follow.
KOLOM_RENCANA = (
    "kode_aksi",
    "aksi",
    "klaster",
    "indikator_kla",
    "program_kode",
    "program",
    "kegiatan_kode",
    "kegiatan",
    "sub_kegiatan_kode",
    "sub_kegiatan",
    "indikator_kinerja",
    "satuan",
    "baseline",
    "opd",
    "opd_pendukung",
    "status",
)
TAHUNAN = ("target", "pagu", "sumber")
KOLOM_TAHUNAN = re.compile(r"^(target|pagu|sumber)_(\d{4})$")
NILAI_REALISASI = ("capaian", "anggaran", "uraian")
KOLOM_REALISASI = ("kode_aksi", "tahun", "triwulan", *NILAI_REALISASI)
KOLOM_TEMPLAT_REALISASI = [
    "kode_aksi",
    "aksi",
    "opd",
    "indikator_kinerja",
    "satuan",
    "target",
    "tahun",
    "triwulan",
    "capaian",
    "anggaran",
    "uraian",
    "status",
    "versi_laporan",
]
# Plan column → DataAksi field, for the columns that are not the code or a year's.
BIDANG = {
    "aksi": "nama",
    "klaster": "klaster",
    "indikator_kla": "indikator_kla",
    "program_kode": "program_kode",
    "program": "program",
    "kegiatan_kode": "kegiatan_kode",
    "kegiatan": "kegiatan",
    "sub_kegiatan_kode": "sub_kegiatan_kode",
    "sub_kegiatan": "sub_kegiatan",
    "indikator_kinerja": "indikator_kinerja",
    "satuan": "satuan",
    "baseline": "baseline",
    "opd": "opd_utama",
    "opd_pendukung": "opd_pendukung",
    "status": "status",
}
SKALAR = set(BIDANG.values()) - {"opd_pendukung", "indikator_kla"}
WAJIB_AKSI_BARU = ("aksi", "klaster", "indikator_kinerja", "satuan", "opd")
NOMENKLATUR = ("program_kode", "kegiatan_kode", "sub_kegiatan_kode")
SEN = Decimal("0.01")
BATAS_ANGKA = Decimal(10) ** 12  # models.ANGKA: 14 digits, two after the comma
BATAS_RUPIAH = Decimal(10) ** 16  # models.RUPIAH: 18 digits
LAPOR_PERIKSA_SETIAP = 200  # rows between two progress reports of the check
TAMPIL_MAKS = 300  # rows of each list shown on the preview page
ROMAWI = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
TRIWULAN = re.compile(r"^(?:tw|triwulan|q)?\s*\.?\s*([1-4]|i{1,3}|iv)$", re.IGNORECASE)


def _daftar_kolom() -> str:
    return _(
        "rencana: %(rencana)s, lalu per tahun target_<tahun>, pagu_<tahun>, sumber_<tahun>; "
        "realisasi: %(realisasi)s"
    ) % {"rencana": ", ".join(KOLOM_RENCANA), "realisasi": ", ".join(KOLOM_REALISASI)}


# --- The report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BarisAksi:
    """An action the file would create or change, with every value it would have afterwards."""

    baris: int
    data: DataAksi
    aksi: Aksi | None  # the action as the check read it; None for a new one
    sidik: str  # fingerprint of that action: the write refuses if it changed since
    berubah: tuple[str, ...]  # the columns that change

    @property
    def baru(self) -> bool:
        return self.aksi is None

    @property
    def kunci(self) -> str:
        return f"aksi:{self.data.kode}"

    @property
    def versi(self) -> str:
        return self.sidik or "baru"

    def __str__(self) -> str:
        return f"{self.data.kode} {self.data.nama}"


@dataclass(frozen=True)
class BarisRealisasi:
    """A quarterly report the file would create or change."""

    baris: int
    aksi: Aksi
    tahun: int
    triwulan: int
    realisasi: Realisasi | None
    capaian: Decimal | None
    anggaran: Decimal | None
    narasi: str

    @property
    def baru(self) -> bool:
        return self.realisasi is None

    @property
    def kunci(self) -> str:
        return f"realisasi:{self.aksi.pk}:{self.tahun}:{self.triwulan}"

    @property
    def versi(self) -> int:
        """The version the check read: realisasi_simpan refuses if the report changed since."""
        return self.realisasi.versi if self.realisasi else 0

    @property
    def triwulan_romawi(self) -> str:
        return ROMAWI_TULIS[self.triwulan]

    def __str__(self) -> str:
        return f"{self.aksi.kode} {self.tahun} TW {self.triwulan_romawi}"


ROMAWI_TULIS = {angka: romawi.upper() for romawi, angka in ROMAWI.items()}


@dataclass(frozen=True)
class Dilewati:
    """A row left alone: its quarterly report was sent, approved or reviewed."""

    baris: int
    label: str
    status: str


@dataclass
class LaporanRad:
    """What a file would import, what it skips, and what is wrong with it."""

    periode: PeriodeRad
    jenis: str = ""  # RENCANA or REALISASI; "" when the sheet is neither
    baris_berkas: int = 0
    tulis: list[BarisAksi | BarisRealisasi] = field(default_factory=list)
    galat: list[Galat] = field(default_factory=list)
    dilewati: list[Dilewati] = field(default_factory=list)
    tidak_berubah: int = 0
    kosong: int = 0  # rows without any value: blank lines, unfilled template rows

    @property
    def ada_galat(self) -> bool:
        return bool(self.galat)

    @property
    def baru(self) -> int:
        return sum(1 for row in self.tulis if row.baru)

    @property
    def diperbarui(self) -> int:
        return len(self.tulis) - self.baru

    @property
    def jenis_label(self) -> str:
        return {RENCANA: _("rencana aksi"), REALISASI: _("realisasi triwulan")}.get(self.jenis, "")

    def versi_dilihat(self) -> dict[str, str | int]:
        """What each row to write was checked against: kept with a preview, so that the
        confirmation refuses when anything changed in between."""
        return {row.kunci: row.versi for row in self.tulis}

    def tulis_tampil(self) -> list:
        return self.tulis[:TAMPIL_MAKS]

    def galat_tampil(self) -> list[Galat]:
        return self.galat[:TAMPIL_MAKS]

    def ringkasan(self) -> str:
        benda = _("aksi") if self.jenis == RENCANA else _("laporan")
        return _(
            "%(baris)s baris: %(baru)s %(benda)s baru, %(ubah)s diperbarui, %(sama)s tidak "
            "berubah, %(lewat)s dilewati, %(kosong)s baris kosong, %(galat)s galat."
        ) % {
            "baris": self.baris_berkas,
            "benda": benda,
            "baru": self.baru,
            "ubah": self.diperbarui,
            "sama": self.tidak_berubah,
            "lewat": len(self.dilewati),
            "kosong": self.kosong,
            "galat": len(self.galat),
        }

    def as_text(self) -> str:
        judul = f"{self.periode}"
        if self.jenis:
            judul += f", {self.jenis_label}"
        lines = [f"{judul}: {self.ringkasan()}"]
        lines.extend(f"  GALAT      {g}" for g in self.galat)
        lines.extend(
            "  dilewati   "
            + _("baris %(b)s: %(label)s (%(status)s)")
            % {"b": d.baris, "label": d.label, "status": d.status}
            for d in self.dilewati
        )
        return "\n".join(lines)


# --- Reading ------------------------------------------------------------------------------


def periksa_berkas(
    nama: str,
    isi: bytes,
    *,
    periode: PeriodeRad,
    pengguna,
    kemajuan: Callable[[int, int], None] | None = None,
) -> LaporanRad:
    """Check an uploaded file for a plan period, as ``pengguna`` would import it.

    The kind of sheet comes from its header. A file that cannot be read (empty, a PDF, a CSV
    named .xlsx) or whose sheet is neither kind is one fault without a row. ``kemajuan`` is
    told (rows checked, all rows) every few hundred rows, for a background job's progress.
    """
    laporan = LaporanRad(periode=periode)
    try:
        rows = _baca(nama, isi)
    except ValidationError as error:
        laporan.galat.append(Galat(None, "", error.messages[0]))
        return laporan
    laporan.baris_berkas = len(rows)
    kolom = list(rows[0]) if rows else []
    laporan.jenis = jenis_lembar(kolom)
    if not laporan.jenis:
        laporan.galat.append(Galat(None, "", _lembar_salah(isi, ada_baris=bool(rows))))
        return laporan
    masalah = _judul_kosong(kolom, rows)
    if masalah:
        laporan.galat.append(masalah)
        return laporan
    wajib = ("kode_aksi",) if laporan.jenis == RENCANA else ("kode_aksi", "tahun", "triwulan")
    hilang = [k for k in wajib if k not in kolom]
    if hilang:
        laporan.galat.append(
            Galat(
                1,
                ", ".join(hilang),
                _("Kolom tidak ada: %(k)s. Unduh templat dari portal dan pakai kolomnya.")
                % {"k": ", ".join(hilang)},
            )
        )
        return laporan
    if laporan.jenis == RENCANA:
        _PemeriksaRencana(laporan, kolom, pengguna).periksa(rows, kemajuan)
    else:
        _PemeriksaRealisasi(laporan, kolom, pengguna).periksa(rows, kemajuan)
    return laporan


def jenis_lembar(kolom: list[str]) -> str:
    """RENCANA or REALISASI from a sheet's header; "" when it is neither."""
    if "triwulan" in kolom or "capaian" in kolom:
        return REALISASI
    rencana = [k for k in kolom if k in KOLOM_RENCANA or KOLOM_TAHUNAN.match(k)]
    if "kode_aksi" in kolom or len(rencana) >= 2:
        return RENCANA
    return ""


def _nama_kolom(raw) -> str:
    """A header as the import names it: "Kode Aksi" and "kode-aksi" are kode_aksi."""
    return re.sub(r"[\s\-]+", "_", str(raw or "").strip().lower())


def _baca(nama: str, isi: bytes) -> list[dict[str, object]]:
    """The rows of the sheet, keyed by column name. Refuses what the portal cannot read, and a
    CSV named .xlsx: Excel itself would not open it, so it was not saved as the person
    thinks."""
    awal = isi[:8]
    biner = awal.startswith((b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0")) or b"\x00" in isi[:4096]
    if nama.lower().endswith(".xlsx") and isi.strip() and not biner:
        raise ValidationError(
            _(
                "%(nama)s bernama .xlsx tetapi isinya teks (CSV), bukan buku kerja Excel. Buka "
                "di Excel lalu simpan sebagai Buku Kerja Excel (.xlsx), atau ganti akhiran "
                "namanya menjadi .csv."
            )
            % {"nama": nama}
        )
    rows = baca_tabel(nama, isi)
    if rows and any(_nama_kolom(k) != k for k in rows[0]):
        nama_baru = {k: _nama_kolom(k) for k in rows[0]}
        rows = [{nama_baru[k]: v for k, v in row.items()} for row in rows]
    return rows


def _judul_kosong(kolom: list[str], rows: list[dict]) -> Galat | None:
    """A header cell without a name between named ones: merged header cells (only the first
    cell of a merge holds the text) or a header of two rows. A nameless column after the last
    named one is ignored when it holds nothing."""
    if "" not in kolom:
        return None
    posisi = kolom.index("")
    terisi = any(nilai_sel(row.get("")) is not None for row in rows)
    if posisi == len(kolom) - 1 and not terisi:
        return None
    sebelum = kolom[posisi - 1] if posisi else ""
    return Galat(
        1,
        "",
        _(
            "Ada sel judul kolom yang kosong atau digabung (merge)%(letak)s. Judul kolom harus "
            "satu baris, satu sel per kolom, tanpa sel gabungan: pakai templat dari portal."
        )
        % {"letak": _(" sesudah kolom %(k)s") % {"k": sebelum} if sebelum else ""},
    )


def _lembar_lain(isi: bytes) -> tuple[str, str, str]:
    """For a workbook: the title of the sheet read, and the kind and title of another sheet
    whose header is a RAD sheet's ("" when there is none, or the file is not a workbook)."""
    if not isi.startswith(b"PK\x03\x04"):
        return "", "", ""
    try:
        buku = openpyxl.load_workbook(io.BytesIO(isi), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds; the sheet read was readable, that is enough
        return "", "", ""
    try:
        terbaca = buku.active.title
        for lembar in buku.worksheets:
            if lembar.title == terbaca:
                continue
            judul = next(lembar.iter_rows(min_row=1, max_row=1, values_only=True), ())
            jenis = jenis_lembar([_nama_kolom(k) for k in judul if k is not None])
            if jenis:
                return terbaca, jenis, lembar.title
        return terbaca, "", ""
    finally:
        buku.close()


def _lembar_salah(isi: bytes, *, ada_baris: bool) -> str:
    """Why the sheet read cannot be imported: it has no rows, or neither header (then the
    expected columns); and which sheet of the workbook has the columns, if any."""
    terbaca, jenis, lembar = _lembar_lain(isi)
    if not ada_baris and not jenis:
        return _("Berkas tidak berisi satu baris data pun di bawah judul kolom.")
    bukan = (
        _("Lembar “%(lembar)s” bukan lembar impor RAD.") % {"lembar": terbaca}
        if terbaca
        else _("Berkas ini bukan lembar impor RAD.")
    )
    pesan = _(
        "%(bukan)s Judul kolom harus di baris 1, satu sel per kolom; kolom yang dikenali %(kolom)s."
    ) % {
        "bukan": bukan,
        "kolom": _daftar_kolom(),
    }
    if jenis:
        saran = _(
            "Kolom %(jenis)s ada di lembar “%(lembar)s”: jadikan lembar itu yang pertama (dan "
            "terbuka saat berkas disimpan), atau simpan lembar itu saja, lalu unggah lagi."
        ) % {"jenis": jenis, "lembar": lembar}
        pesan = f"{pesan} {saran}"
    return pesan


# --- Values of cells ----------------------------------------------------------------------


def kunci_kode(kode: str) -> str:
    """Codes and names match whatever their case and spacing."""
    return " ".join(str(kode).split()).casefold()


def _angka(kolom: str, raw, batas: Decimal) -> tuple[Decimal | None, str]:
    """A non-negative number rounded to cents, or the message saying why the cell is not one."""
    if isinstance(raw, str):
        raw = teks_sel(raw)  # "'-1,5" from a download, where the apostrophe kept it text
    value = angka_id(raw)
    if value is None:
        return None, _("%(k)s %(isi)s bukan angka.") % {"k": kolom, "isi": tampil_sel(raw)}
    if value < 0:
        return None, _("%(k)s %(isi)s negatif.") % {"k": kolom, "isi": tampil_sel(raw)}
    value = value.quantize(SEN, ROUND_HALF_UP)
    if value >= batas:
        return None, _("%(k)s %(isi)s terlalu besar.") % {"k": kolom, "isi": tampil_sel(raw)}
    return value, ""


def _pilihan(choices) -> dict[str, str]:
    """Value by every way a choice may be written: its value and its label (Indonesian and the
    active language), and a label's part before the colon ("Klaster III")."""
    peta = {}
    for value, label in choices:
        peta[kunci_kode(value)] = value
        peta[kunci_kode(value.replace("_", " "))] = value
        for bahasa in dict.fromkeys(("id", translation.get_language() or "id")):
            with translation.override(bahasa):
                teks = str(label)
            peta[kunci_kode(teks)] = value
            peta[kunci_kode(teks.split(":")[0])] = value
    return peta


class _DaftarOpd:
    """The city's agencies by short name and by full name; active ones win a shared name."""

    def __init__(self):
        self.opd: dict[str, Opd] = {}
        for opd in Opd.objects.order_by("-aktif", "pk"):
            self.opd.setdefault(kunci_kode(opd.singkatan), opd)
            self.opd.setdefault(kunci_kode(opd.nama), opd)

    def cari(self, nama: str) -> tuple[Opd | None, str]:
        opd = self.opd.get(kunci_kode(nama))
        if opd is None:
            return None, _(
                "OPD “%(n)s” tidak dikenal: tulis singkatan atau nama lengkap OPD seperti di "
                "portal (menu OPD)."
            ) % {"n": nama}
        if not opd.aktif:
            return None, _("OPD %(n)s sudah tidak aktif.") % {"n": opd.singkatan}
        return opd, ""


def _opd_boleh(pengguna) -> set[int] | None:
    """The agencies whose actions the person may import; None for every action."""
    if pengguna is None or pengguna.has_perm("rencana_aksi.kelola_rad"):
        return None
    # Only an agency's operators report on its actions (rules.pelapor_aksi).
    return {
        k.opd_id for k in pengguna.keanggotaan_aktif if k.peran == Peran.OPERATOR_OPD and k.opd_id
    }


# --- An action as it stands ------------------------------------------------------------------


def aksi_lengkap(queryset):
    """Actions with what the import compares: supporting agencies, KLA indicators, targets."""
    return queryset.select_related("opd_utama").prefetch_related(
        Prefetch("opd_pendukung", queryset=Opd.objects.order_by("pk")),
        Prefetch("indikator", queryset=AksiIndikator.objects.order_by("kode")),
        Prefetch("target", queryset=TargetTahunan.objects.order_by("tahun")),
    )


def _bidang_skalar() -> list[str]:
    # DataAksi.FIELDS without the lead agency, which is compared by its id.
    return [name for name in DataAksi.FIELDS if name != "opd_utama"]


def _keadaan(aksi: Aksi) -> dict:
    """An action's values as the import compares them (read through ``aksi_lengkap``)."""
    nilai = {name: getattr(aksi, name) for name in _bidang_skalar()}
    nilai["opd_utama"] = aksi.opd_utama_id
    nilai["opd_pendukung"] = frozenset(o.pk for o in aksi.opd_pendukung.all()) - {aksi.opd_utama_id}
    nilai["indikator_kla"] = frozenset(i.kode for i in aksi.indikator.all())
    nilai["target"] = {t.tahun: (t.target, t.pagu, t.sumber_dana) for t in aksi.target.all()}
    return nilai


def _keadaan_data(data: DataAksi) -> dict:
    nilai = {name: getattr(data, name) for name in _bidang_skalar()}
    nilai["opd_utama"] = data.opd_utama.pk
    nilai["opd_pendukung"] = frozenset(o.pk for o in data.opd_pendukung) - {data.opd_utama.pk}
    nilai["indikator_kla"] = frozenset(k.strip() for k in data.indikator_kla if k.strip())
    nilai["target"] = dict(data.target)
    return nilai


def sidik_aksi(aksi: Aksi) -> str:
    """A fingerprint of everything the import may change in an action (read through
    ``aksi_lengkap``): equal fingerprints, nothing changed in between."""

    def baku(value):
        if isinstance(value, Decimal):
            return str(value.quantize(SEN))
        if isinstance(value, frozenset):
            return sorted(value)
        if isinstance(value, dict):
            return sorted((k, baku(v)) for k, v in value.items())
        if isinstance(value, tuple):
            return tuple(baku(v) for v in value)
        return value

    nilai = _keadaan(aksi)
    teks = repr([(k, baku(nilai[k])) for k in sorted(nilai)])
    return hashlib.sha256(teks.encode()).hexdigest()[:20]


def _perubahan(aksi: Aksi, data: DataAksi) -> tuple[str, ...]:
    """The plan columns whose value the row changes (years: target_2026 and so on)."""
    lama, baru = _keadaan(aksi), _keadaan_data(data)
    kolom_bidang = {field: kolom for kolom, field in BIDANG.items()}
    berubah = [
        kolom_bidang.get(name, name)
        for name in baru
        if name != "target" and baru[name] != lama[name]
    ]
    for tahun, nilai in sorted(baru["target"].items()):
        sekarang = lama["target"].get(tahun, (None, None, None))
        berubah.extend(
            f"{jenis}_{tahun}"
            for jenis, a, b in zip(TAHUNAN, nilai, sekarang, strict=True)
            if a != b
        )
    return tuple(berubah)


# --- The plan -----------------------------------------------------------------------------


class _PemeriksaRencana:
    """Checks the rows of a plan sheet into a report."""

    def __init__(self, laporan: LaporanRad, kolom: list[str], pengguna):
        self.laporan = laporan
        self.periode = laporan.periode
        self.kolom_aksi = [k for k in kolom if k in BIDANG]
        self.kolom_tahun: dict[int, list[str]] = {}
        for k in kolom:
            cocok = KOLOM_TAHUNAN.match(k)
            if cocok:
                self.kolom_tahun.setdefault(int(cocok[2]), []).append(k)
        self.boleh = _opd_boleh(pengguna)
        self.klaster = _pilihan(Klaster.choices)
        self.status = _pilihan(Aksi.Status.choices)
        self.sumber = _pilihan(SumberDana.choices)
        self.opd = _DaftarOpd()
        self.aksi = {
            kunci_kode(a.kode): a for a in aksi_lengkap(Aksi.objects.filter(periode=self.periode))
        }

    def periksa(self, rows: list[dict], kemajuan) -> None:
        laporan = self.laporan
        if not self.kolom_aksi and not self.kolom_tahun:
            laporan.galat.append(
                Galat(
                    1,
                    "",
                    _("Tidak ada kolom untuk diimpor selain kode_aksi; kolom yang dikenali %(k)s.")
                    % {"k": _daftar_kolom()},
                )
            )
            return
        seen: dict[str, int] = {}
        sebelumnya: dict = {}
        for index, row in enumerate(rows):
            if kemajuan and index % LAPOR_PERIKSA_SETIAP == 0:
                kemajuan(index, len(rows))
            baris = index + 2  # row 1 is the header
            masalah = self._baris(row, baris, seen, sebelumnya)
            laporan.galat.extend(Galat(baris, kolom, pesan) for kolom, pesan in masalah)
            sebelumnya = row

    def _baris(self, row: dict, baris: int, seen: dict, sebelumnya: dict) -> list[tuple[str, str]]:
        laporan = self.laporan
        isi = {k: nilai_sel(row.get(k)) for k in self.kolom_aksi}
        for kolom_list in self.kolom_tahun.values():
            isi.update({k: nilai_sel(row.get(k)) for k in kolom_list})
        kode = teks_sel(row.get("kode_aksi"))
        if all(value is None for value in isi.values()):
            laporan.kosong += 1
            return []
        if not kode:
            return [("kode_aksi", _("kode_aksi kosong, padahal baris ini berisi data."))]
        if len(kode) > Aksi._meta.get_field("kode").max_length:
            return [("kode_aksi", _("kode_aksi %(k)s terlalu panjang.") % {"k": tampil_sel(kode)})]
        if kunci_kode(kode) in seen:
            return [
                (
                    "kode_aksi",
                    _("Kode aksi %(k)s sudah ada di baris %(b)s; satu aksi cukup satu baris.")
                    % {"k": kode, "b": seen[kunci_kode(kode)]},
                )
            ]
        seen[kunci_kode(kode)] = baris
        aksi = self.aksi.get(kunci_kode(kode))
        if self.boleh is not None:
            if aksi is None:
                return [
                    (
                        "kode_aksi",
                        _(
                            "Aksi %(k)s belum ada di %(p)s; aksi baru hanya dapat ditambahkan "
                            "Bappeda, sekretariat, atau admin."
                        )
                        % {"k": kode, "p": self.periode},
                    )
                ]
            if aksi.opd_utama_id not in self.boleh:
                return [
                    (
                        "kode_aksi",
                        _("Aksi %(k)s bukan aksi OPD Anda (penanggung jawabnya %(opd)s).")
                        % {"k": aksi.kode, "opd": aksi.opd_utama.singkatan},
                    )
                ]
        masalah: list[tuple[str, str]] = []
        nilai = self._nilai(aksi, isi, masalah, sebelumnya)
        target = self._target(aksi, isi, masalah)
        if masalah:
            return masalah
        data = DataAksi(kode=aksi.kode if aksi else kode, target=target, **nilai)
        if aksi is None:
            laporan.tulis.append(BarisAksi(baris, data, None, "", ("baru",)))
            return []
        berubah = _perubahan(aksi, data)
        if not berubah:
            laporan.tidak_berubah += 1
            return []
        laporan.tulis.append(BarisAksi(baris, data, aksi, sidik_aksi(aksi), berubah))
        return []

    def _nilai(self, aksi, isi: dict, masalah: list, sebelumnya: dict) -> dict:
        """The action's values after the row: a cell's where it holds one, else the current
        (a new action's defaults). Faults go to ``masalah``."""
        sekarang = self._sekarang(aksi)
        nilai = dict(sekarang)
        for kolom in self.kolom_aksi:
            raw = isi[kolom]
            if raw is None:
                continue
            value, pesan = self._urai(kolom, raw)
            if pesan:
                masalah.append((kolom, pesan))
                continue
            if aksi is not None and _setara(kolom, value, sekarang[BIDANG[kolom]]):
                continue  # keep the stored spelling: re-importing changes nothing
            if self.boleh is not None:
                masalah.append(
                    (
                        kolom,
                        _(
                            "Kolom %(k)s hanya dapat diubah Bappeda, sekretariat, atau admin; "
                            "operator OPD mengisi target_, pagu_ dan sumber_. Kosongkan sel "
                            "ini atau samakan dengan RAD (%(isi)s)."
                        )
                        % {"k": kolom, "isi": _tulis_nilai(kolom, sekarang[BIDANG[kolom]])},
                    )
                )
                continue
            nilai[BIDANG[kolom]] = value
        if aksi is None:
            for kolom in WAJIB_AKSI_BARU:
                if nilai[BIDANG[kolom]] or any(k == kolom for k, _pesan in masalah):
                    continue
                pesan = _("%(k)s wajib diisi untuk aksi baru.") % {"k": kolom}
                if nilai_sel(sebelumnya.get(kolom)) is not None:
                    pesan += " " + _(
                        "Sel yang digabung (merge) hanya berisi nilai di baris pertamanya: isi "
                        "setiap baris."
                    )
                masalah.append((kolom, pesan))
        if any(isi.get(k) is not None for k in NOMENKLATUR):
            # A kegiatan sits inside its programme, a sub-kegiatan inside its kegiatan.
            for induk, anak in (
                ("program_kode", "kegiatan_kode"),
                ("kegiatan_kode", "sub_kegiatan_kode"),
            ):
                a, b = nilai[induk], nilai[anak]
                if a and b and not b.startswith(f"{a}."):
                    masalah.append(
                        (anak, _("%(k)s harus diawali %(a)s.") % {"k": anak, "a": f"{a}."})
                    )
        opd = nilai["opd_utama"]
        if opd is not None and not opd.aktif and "opd" not in dict(masalah):
            masalah.append(
                (
                    "opd",
                    _(
                        "OPD penanggung jawab %(opd)s sudah tidak aktif; isi kolom opd dengan OPD "
                        "penggantinya."
                    )
                    % {"opd": opd.singkatan},
                )
            )
        return nilai

    @staticmethod
    def _sekarang(aksi: Aksi | None) -> dict:
        """The action's values as DataAksi fields; a new action's defaults."""
        if aksi is None:
            nilai = dict.fromkeys(BIDANG.values(), "")
            nilai.update(
                baseline=None,
                opd_utama=None,
                opd_pendukung=[],
                indikator_kla=[],
                status=Aksi.Status.DIRENCANAKAN,
            )
            return nilai
        nilai = {name: getattr(aksi, name) for name in BIDANG.values() if name in SKALAR}
        nilai["opd_pendukung"] = [o for o in aksi.opd_pendukung.all() if o.pk != aksi.opd_utama_id]
        nilai["indikator_kla"] = [i.kode for i in aksi.indikator.all()]
        return nilai

    def _urai(self, kolom: str, raw) -> tuple[object, str]:
        """A cell's value for its column, or the message saying what is wrong with it."""
        if kolom == "baseline":
            return _angka(kolom, raw, BATAS_ANGKA)
        teks = teks_sel(raw)
        if kolom == "klaster":
            value = self.klaster.get(kunci_kode(teks))
            if value is None:
                return None, _("klaster %(isi)s tidak dikenal: tulis salah satu dari %(k)s.") % {
                    "isi": tampil_sel(raw),
                    "k": ", ".join(str(label).split(":")[0] for label in Klaster.labels),
                }
            return value, ""
        if kolom == "status":
            value = self.status.get(kunci_kode(teks))
            if value is None:
                return None, _("status %(isi)s tidak dikenal: %(pilihan)s.") % {
                    "isi": tampil_sel(raw),
                    "pilihan": ", ".join(str(label) for label in Aksi.Status.labels),
                }
            return value, ""
        if kolom == "indikator_kla":
            try:
                return kode_indikator(teks), ""
            except ValidationError as error:
                return None, error.messages[0]
        if kolom == "opd":
            return self.opd.cari(teks)
        if kolom == "opd_pendukung":
            daftar, salah = [], []
            for bagian in re.split(r"[;\n]+", str(raw)):
                if not teks_sel(bagian):
                    continue
                opd, pesan = self.opd.cari(teks_sel(bagian))
                if opd is None:
                    salah.append(pesan)
                elif opd not in daftar:
                    daftar.append(opd)
            return (None, " ".join(salah)) if salah else (daftar, "")
        panjang = Aksi._meta.get_field(BIDANG[kolom]).max_length
        if len(teks) > panjang:
            return None, _("%(k)s terlalu panjang (%(n)s karakter; paling banyak %(maks)s).") % {
                "k": kolom,
                "n": len(teks),
                "maks": panjang,
            }
        if kolom in NOMENKLATUR and not KODE_NOMENKLATUR.match(teks):
            return None, _(
                "%(k)s %(isi)s bukan kode nomenklatur: tulis angka dan titik, misalnya "
                "2.08.07.2.01.0001."
            ) % {"k": kolom, "isi": tampil_sel(raw)}
        return teks, ""

    def _target(self, aksi: Aksi | None, isi: dict, masalah: list) -> dict:
        """Year → (target, ceiling, source) for the years the row fills; the others are not
        touched."""
        sekarang = {t.tahun: t for t in aksi.target.all()} if aksi else {}
        target = {}
        for tahun, kolom_list in sorted(self.kolom_tahun.items()):
            terisi = [k for k in kolom_list if isi[k] is not None]
            if not terisi:
                continue
            if tahun not in self.periode.tahun_list:
                masalah.extend(
                    (
                        k,
                        _(
                            "Tahun %(t)s di luar %(p)s: kosongkan kolom ini, atau impor ke "
                            "periode yang benar."
                        )
                        % {"t": tahun, "p": self.periode},
                    )
                    for k in terisi
                )
                continue
            lama = sekarang.get(tahun)
            nilai = {
                "target": lama.target if lama else None,
                "pagu": lama.pagu if lama else None,
                "sumber": lama.sumber_dana if lama else SumberDana.APBD,
            }
            salah = False
            for kolom in terisi:
                jenis = kolom.split("_")[0]
                if jenis == "sumber":
                    value = self.sumber.get(kunci_kode(teks_sel(isi[kolom])))
                    pesan = (
                        ""
                        if value
                        else _("%(k)s %(isi)s tidak dikenal: %(pilihan)s.")
                        % {
                            "k": kolom,
                            "isi": tampil_sel(isi[kolom]),
                            "pilihan": ", ".join(str(label) for label in SumberDana.labels),
                        }
                    )
                else:
                    batas = BATAS_RUPIAH if jenis == "pagu" else BATAS_ANGKA
                    value, pesan = _angka(kolom, isi[kolom], batas)
                if pesan:
                    masalah.append((kolom, pesan))
                    salah = True
                else:
                    nilai[jenis] = value
            if not salah:
                target[tahun] = (nilai["target"], nilai["pagu"], nilai["sumber"])
        return target


def _setara(kolom: str, a, b) -> bool:
    """Whether a cell's value is what the action already holds."""
    if kolom == "opd":
        return a is not None and b is not None and a.pk == b.pk
    if kolom == "opd_pendukung":
        return {o.pk for o in a} == {o.pk for o in b}
    if kolom == "indikator_kla":
        return set(a) == set(b)
    if isinstance(a, str) and isinstance(b, str):
        return " ".join(a.split()) == " ".join(b.split())
    return a == b


def _tulis_nilai(kolom: str, value) -> str:
    """The current value of a column as the template writes it, for a message."""
    if value is None or value == "" or value == []:
        return _("kosong")
    if kolom == "opd":
        return value.singkatan
    if kolom == "opd_pendukung":
        return "; ".join(o.singkatan for o in value)
    if kolom == "indikator_kla":
        return "; ".join(value)
    if kolom == "klaster":
        return str(Klaster(value).label)
    if kolom == "status":
        return str(Aksi.Status(value).label)
    return tampil_sel(value)


# --- A quarter's realisation ------------------------------------------------------------------


class _PemeriksaRealisasi:
    """Checks the rows of a realisation sheet into a report."""

    def __init__(self, laporan: LaporanRad, kolom: list[str], pengguna):
        self.laporan = laporan
        self.periode = laporan.periode
        self.pengguna = pengguna
        self.kelola = pengguna is None or pengguna.has_perm("rencana_aksi.kelola_rad")
        self.kolom_nilai = [k for k in NILAI_REALISASI if k in kolom]
        self.versi_templat = "versi_laporan" in kolom
        self.aksi = {
            kunci_kode(a.kode): a
            for a in Aksi.objects.filter(periode=self.periode).select_related(
                "periode", "opd_utama"
            )
        }
        self.realisasi: dict[tuple[int, int, int], Realisasi] = {}

    def periksa(self, rows: list[dict], kemajuan) -> None:
        laporan = self.laporan
        if not self.kolom_nilai:
            laporan.galat.append(
                Galat(
                    1,
                    "",
                    _("Tidak ada kolom laporan: beri paling sedikit salah satu kolom %(k)s.")
                    % {"k": ", ".join(NILAI_REALISASI)},
                )
            )
            return
        tahun_berkas = {_tahun(row.get("tahun")) for row in rows} - {None}
        self.realisasi = {
            (r.aksi_id, r.tahun, r.triwulan): r
            for r in Realisasi.objects.filter(aksi__periode=self.periode, tahun__in=tahun_berkas)
        }
        seen: dict[tuple, int] = {}
        for index, row in enumerate(rows):
            if kemajuan and index % LAPOR_PERIKSA_SETIAP == 0:
                kemajuan(index, len(rows))
            baris = index + 2
            masalah = self._baris(row, baris, seen)
            laporan.galat.extend(Galat(baris, kolom, pesan) for kolom, pesan in masalah)

    def _baris(self, row: dict, baris: int, seen: dict) -> list[tuple[str, str]]:
        laporan = self.laporan
        isi = {k: nilai_sel(row.get(k)) for k in self.kolom_nilai}
        if all(value is None for value in isi.values()):
            laporan.kosong += 1
            return []
        kode = teks_sel(row.get("kode_aksi"))
        if not kode:
            return [("kode_aksi", _("kode_aksi kosong, padahal baris ini berisi laporan."))]
        aksi = self.aksi.get(kunci_kode(kode))
        if aksi is None:
            return [
                (
                    "kode_aksi",
                    _("Kode aksi %(k)s tidak ada di %(p)s.") % {"k": kode, "p": self.periode},
                )
            ]
        masalah = []
        tahun = _tahun(row.get("tahun"))
        if tahun is None:
            masalah.append(
                ("tahun", _("tahun %(isi)s bukan tahun.") % {"isi": tampil_sel(row.get("tahun"))})
            )
        elif tahun not in self.periode.tahun_list:
            masalah.append(
                ("tahun", _("Tahun %(t)s di luar %(p)s.") % {"t": tahun, "p": self.periode})
            )
        triwulan = _triwulan(row.get("triwulan"))
        if triwulan is None:
            masalah.append(
                (
                    "triwulan",
                    _("triwulan %(isi)s tidak dikenal: tulis 1 sampai 4, atau I sampai IV.")
                    % {"isi": tampil_sel(row.get("triwulan"))},
                )
            )
        if masalah:
            return masalah
        kunci = (aksi.pk, tahun, triwulan)
        if kunci in seen:
            return [
                (
                    "kode_aksi",
                    _("Laporan %(k)s %(t)s triwulan %(tw)s sudah ada di baris %(b)s.")
                    % {"k": aksi.kode, "t": tahun, "tw": ROMAWI_TULIS[triwulan], "b": seen[kunci]},
                )
            ]
        seen[kunci] = baris
        if not self.kelola and not self.pengguna.has_perm("rencana_aksi.lapor_realisasi", aksi):
            return [
                (
                    "kode_aksi",
                    _(
                        "Aksi %(k)s bukan aksi OPD Anda (penanggung jawabnya %(opd)s); "
                        "realisasinya dilaporkan OPD tersebut."
                    )
                    % {"k": aksi.kode, "opd": aksi.opd_utama.singkatan},
                )
            ]
        try:
            services.periksa_triwulan(aksi, tahun, triwulan)
        except ValidationError as error:
            return [("triwulan", error.messages[0])]
        realisasi = self.realisasi.get(kunci)
        label = f"{aksi.kode} {tahun} TW {ROMAWI_TULIS[triwulan]}"
        if realisasi is not None and not realisasi.bisa_diubah:
            laporan.dilewati.append(Dilewati(baris, label, realisasi.get_status_display()))
            return []
        basi = self._templat_basi(row, realisasi)
        if basi:
            return [("versi_laporan", basi)]
        nilai = {
            "capaian": realisasi.capaian if realisasi else None,
            "anggaran": realisasi.anggaran if realisasi else None,
            "narasi": realisasi.narasi if realisasi else "",
        }
        for kolom, batas in (("capaian", BATAS_ANGKA), ("anggaran", BATAS_RUPIAH)):
            if isi.get(kolom) is None:
                continue
            value, pesan = _angka(kolom, isi[kolom], batas)
            if pesan:
                masalah.append((kolom, pesan))
            else:
                nilai[kolom] = value
        if isi.get("uraian") is not None:
            narasi = _uraian(isi["uraian"])
            if narasi.split() != nilai["narasi"].split():  # else keep the stored spacing
                nilai["narasi"] = narasi
        if masalah:
            return masalah
        if realisasi is not None and (
            realisasi.capaian,
            realisasi.anggaran,
            realisasi.narasi,
        ) == (nilai["capaian"], nilai["anggaran"], nilai["narasi"]):
            laporan.tidak_berubah += 1
            return []
        laporan.tulis.append(BarisRealisasi(baris, aksi, tahun, triwulan, realisasi, **nilai))
        return []

    def _templat_basi(self, row: dict, realisasi: Realisasi | None) -> str:
        """Why a template row must not be written: the report was saved by someone after the
        template was downloaded, and writing the row would undo that."""
        if not self.versi_templat:
            return ""
        versi = angka_id(nilai_sel(row.get("versi_laporan")))
        kini = realisasi.versi if realisasi else 0
        if versi is None or versi == kini:
            return ""
        return _(
            "Laporan ini sudah diubah sejak templat diunduh (versi %(lama)s, kini %(kini)s); "
            "baris ini akan menimpa perubahan itu. Unduh templat baru, atau kosongkan sel "
            "versi_laporan bila memang ingin menimpanya."
        ) % {"lama": int(versi), "kini": kini}


def _uraian(raw) -> str:
    """A narrative cell: line breaks kept, without the apostrophe the download puts before text
    that looks like a formula."""
    text = str(raw).strip()
    if text.startswith("'") and text[1:2] and text[1] in AWALAN_RUMUS:
        text = text[1:]
    return text


def _tahun(raw) -> int | None:
    value = angka_id(raw)
    if value is None or value != value.to_integral_value():
        return None
    return int(value)


def _triwulan(raw) -> int | None:
    cocok = TRIWULAN.match(teks_sel(raw))
    if not cocok:
        return None
    value = cocok[1].lower()
    return ROMAWI.get(value) or int(value)


# --- The templates ------------------------------------------------------------------------


def aksi_templat(*, periode: PeriodeRad, pengguna, opd: Opd | None = None):
    """The actions a person's template holds: every action (or one agency's) for those who
    manage the plan, the actions its agency leads for an operator."""
    qs = Aksi.objects.filter(periode=periode)
    boleh = _opd_boleh(pengguna)
    if boleh is not None:
        qs = qs.filter(opd_utama__in=boleh)
    if opd is not None:
        qs = qs.filter(opd_utama=opd)
    return qs


def templat_rencana(
    *, periode: PeriodeRad, pengguna, opd: Opd | None = None
) -> tuple[list[str], list[list]]:
    """The plan sheet: one row per action, filled with its current values and targets."""
    kolom = list(KOLOM_RENCANA)
    for tahun in periode.tahun_list:
        kolom.extend(f"{jenis}_{tahun}" for jenis in TAHUNAN)
    rows = []
    for aksi in aksi_lengkap(aksi_templat(periode=periode, pengguna=pengguna, opd=opd)):
        target = {t.tahun: t for t in aksi.target.all()}
        row = [
            aksi.kode,
            aksi.nama,
            aksi.get_klaster_display(),
            "; ".join(i.kode for i in aksi.indikator.all()),
            aksi.program_kode,
            aksi.program,
            aksi.kegiatan_kode,
            aksi.kegiatan,
            aksi.sub_kegiatan_kode,
            aksi.sub_kegiatan,
            aksi.indikator_kinerja,
            aksi.satuan,
            aksi.baseline,
            aksi.opd_utama.singkatan,
            "; ".join(o.singkatan for o in aksi.opd_pendukung.all() if o.pk != aksi.opd_utama_id),
            aksi.get_status_display(),
        ]
        for tahun in periode.tahun_list:
            t = target.get(tahun)
            row.extend([t.target, t.pagu, t.get_sumber_dana_display()] if t else [None, None, ""])
        rows.append(row)
    return kolom, rows


def templat_realisasi(
    *, periode: PeriodeRad, pengguna, tahun: int, triwulan: int, opd: Opd | None = None
) -> tuple[list[str], list[list]]:
    """A quarter's sheet: one row per action, with the report's current values, the year's
    target to read, and the report's version (a row of a template older than the report is
    refused rather than undoing a newer save)."""
    qs = aksi_templat(periode=periode, pengguna=pengguna, opd=opd).select_related("opd_utama")
    qs = qs.prefetch_related(
        Prefetch("target", queryset=TargetTahunan.objects.filter(tahun=tahun), to_attr="tahun_ini"),
        Prefetch(
            "realisasi",
            queryset=Realisasi.objects.filter(tahun=tahun, triwulan=triwulan),
            to_attr="triwulan_ini",
        ),
    )
    rows = []
    for aksi in qs:
        target = aksi.tahun_ini[0].target if aksi.tahun_ini else None
        laporan = aksi.triwulan_ini[0] if aksi.triwulan_ini else None
        rows.append(
            [
                aksi.kode,
                aksi.nama,
                aksi.opd_utama.singkatan,
                aksi.indikator_kinerja,
                aksi.satuan,
                target,
                tahun,
                ROMAWI_TULIS[triwulan],
                laporan.capaian if laporan else None,
                laporan.anggaran if laporan else None,
                laporan.narasi if laporan else "",
                laporan.get_status_display() if laporan else _("Belum dilaporkan"),
                laporan.versi if laporan else 0,
            ]
        )
    return KOLOM_TEMPLAT_REALISASI, rows
