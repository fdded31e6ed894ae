"""Reading and checking a spreadsheet of answers before anything is written.

Cities prepare their answers in Excel, often starting from last year's: ``templat`` gives the
rows a person may import, prefilled with the current answers, and the same codes fit the next
year's instrument. ``periksa`` turns an uploaded table into a report: the answers it would
write, the rows it skips (an answer already sent or verified), how many rows would change
nothing, and every fault with its Excel row and column. Nothing here writes; that is
``services.jawaban_impor``.

One row per question, found by ``kode_indikator`` and ``kode_pertanyaan``. Only the city-level
answer is imported: a per-unit question is answered with its coverage (``cakupan_persen``) like
any coverage question, and the units' own answers are entered by the units. A blank cell, or a
column the file does not have, keeps what the answer already holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from agencies.models import Peran
from clusters import scoring
from clusters.models import Jawaban, Penugasan, Pertanyaan, TahunEvaluasi
from kla_portal.ekspor import AWALAN_RUMUS
from kla_portal.tabel import angka_id, tulis_angka

KOLOM_WAJIB = ("kode_indikator", "kode_pertanyaan")
KOLOM_ANGKA = ("poin", "cakupan_persen", "angka_tahun_ini", "angka_tahun_lalu")
KOLOM_NILAI = (*KOLOM_ANGKA, "catatan")
# The downloadable template: the columns read back, and others for the reader (ignored).
KOLOM_TEMPLAT = [
    "kelompok",
    "kode_indikator",
    "indikator",
    "kode_pertanyaan",
    "pertanyaan",
    "nilai_max",
    "cara_penilaian",
    "poin_pilihan",
    "angka_diminta",
    "poin",
    "cakupan_persen",
    "angka_tahun_ini",
    "angka_tahun_lalu",
    "catatan",
    "opd",
    "status",
    "tahun",
    "versi_jawaban",
]
BATAS_ANGKA = Decimal(10) ** 14  # angka_tahun_*: 16 digits, two of them after the comma
# The answer's fields a row sets, as services.jawaban_simpan takes them.
NAMA_NILAI = (
    "fraksi",
    "cakupan_persen",
    "poin_langsung",
    "angka_tahun_ini",
    "angka_tahun_lalu",
    "catatan",
)


@dataclass(frozen=True)
class Galat:
    """A fault of the file; ``baris`` is the row number as Excel shows it (the header is 1)."""

    baris: int | None
    kolom: str
    pesan: str

    def __str__(self) -> str:
        letak = []
        if self.baris:
            letak.append(_("baris %(b)s") % {"b": self.baris})
        if self.kolom:
            letak.append(_("kolom %(k)s") % {"k": self.kolom})
        return f"{', '.join(letak)}: {self.pesan}" if letak else self.pesan


@dataclass(frozen=True)
class BarisJawaban:
    """An answer the file would write, with every value it would have afterwards."""

    baris: int
    pertanyaan: Pertanyaan
    jawaban: Jawaban | None  # the current city-level answer; None when there is none yet
    fraksi: Decimal | None
    cakupan_persen: Decimal | None
    poin_langsung: Decimal | None
    angka_tahun_ini: Decimal | None
    angka_tahun_lalu: Decimal | None
    catatan: str

    @property
    def versi(self) -> int:
        """The version the check read: the write is refused if the answer changed since."""
        return self.jawaban.versi if self.jawaban else 0

    @property
    def baru(self) -> bool:
        return self.jawaban is None

    @property
    def poin(self) -> Decimal | None:
        return scoring.poin_pertanyaan(
            nilai_max=self.pertanyaan.nilai_max,
            cara=self.pertanyaan.cara_penilaian,
            fraksi=self.fraksi,
            cakupan_persen=self.cakupan_persen,
            poin_langsung=self.poin_langsung,
        )

    def nilai(self) -> dict:
        """The values for services.jawaban_simpan."""
        return {name: getattr(self, name) for name in NAMA_NILAI}


@dataclass(frozen=True)
class Dilewati:
    """A row left alone because its answer is on its way or verified."""

    baris: int
    pertanyaan: Pertanyaan
    jawaban: Jawaban

    @property
    def status(self) -> str:
        return self.jawaban.get_status_display()


@dataclass
class LaporanJawaban:
    """What a file would import, what it skips, and what is wrong with it."""

    tahun: TahunEvaluasi
    tulis: list[BarisJawaban] = field(default_factory=list)
    galat: list[Galat] = field(default_factory=list)
    dilewati: list[Dilewati] = field(default_factory=list)
    tidak_berubah: int = 0
    # Rows of a stale template the person left as they were: counted in ``tidak_berubah``
    # and listed, since someone else's newer change to those answers is kept.
    tidak_berubah_basi: list[Dilewati] = field(default_factory=list)
    kosong: int = 0  # rows with no value and no note: an unfilled template row

    @property
    def ada_galat(self) -> bool:
        return bool(self.galat)

    @property
    def baru(self) -> int:
        return sum(1 for row in self.tulis if row.baru)

    @property
    def diperbarui(self) -> int:
        return len(self.tulis) - self.baru

    def versi_dilihat(self) -> dict[str, int]:
        """Question id → version of each answer to write: kept with a preview, so that a
        confirmation refuses when anything changed in between."""
        return {str(row.pertanyaan.pk): row.versi for row in self.tulis}

    def ringkasan(self) -> str:
        return _(
            "%(baru)s jawaban baru, %(ubah)s diperbarui, %(sama)s tidak berubah, "
            "%(lewat)s dilewati, %(kosong)s baris kosong, %(galat)s galat."
        ) % {
            "baru": self.baru,
            "ubah": self.diperbarui,
            "sama": self.tidak_berubah,
            "lewat": len(self.dilewati),
            "kosong": self.kosong,
            "galat": len(self.galat),
        }

    def as_text(self) -> str:
        lines = [f"{self.tahun}: {self.ringkasan()}"]
        lines.extend(f"  GALAT      {g}" for g in self.galat)
        lines.extend(
            "  tidak berubah "
            + _("baris %(b)s: %(soal)s (diubah orang lain sejak templat diunduh; tetap)")
            % {"b": d.baris, "soal": d.pertanyaan}
            for d in self.tidak_berubah_basi
        )
        lines.extend(
            "  dilewati   "
            + _("baris %(b)s: %(soal)s (%(status)s)")
            % {"b": d.baris, "soal": d.pertanyaan, "status": d.status}
            for d in self.dilewati
        )
        return "\n".join(lines)


# --- Reading ------------------------------------------------------------------------------


def periksa(rows: list[dict[str, object]], *, tahun: TahunEvaluasi, pengguna) -> LaporanJawaban:
    """Check a table of answers for a year, as ``pengguna`` would import it.

    The secretariat (``clusters.kelola_evaluasi``) may import every question; an agency
    operator only the questions their agency leads. ``pengguna`` None (the command run without
    ``--oleh``) may import every question. A year not open for answering refuses the file.
    """
    laporan = LaporanJawaban(tahun=tahun)
    if not tahun.dibuka:
        laporan.galat.append(
            Galat(
                None,
                "",
                _("%(tahun)s belum dibuka untuk pengisian; jawaban tidak dapat diimpor.")
                % {"tahun": tahun},
            )
        )
        return laporan
    if not rows:
        laporan.galat.append(Galat(None, "", _("Berkas tidak berisi satu baris jawaban pun.")))
        return laporan
    hilang = [k for k in KOLOM_WAJIB if k not in rows[0]]
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
    kolom_nilai = [k for k in KOLOM_NILAI if k in rows[0]]
    if not kolom_nilai:
        laporan.galat.append(
            Galat(
                1,
                "",
                _("Tidak ada kolom jawaban: beri paling sedikit salah satu kolom %(k)s.")
                % {"k": ", ".join(KOLOM_NILAI)},
            )
        )
        return laporan

    soal = {(_kunci(p.indikator.kode), _kunci(p.kode)): p for p in _daftar_soal(tahun)}
    boleh = _opd_boleh(pengguna)
    seen: dict[int, int] = {}
    for index, row in enumerate(rows):
        baris = index + 2  # row 1 is the header
        isi = {k: _sel(row.get(k)) for k in kolom_nilai}
        if all(value is None for value in isi.values()):
            laporan.kosong += 1
            continue
        pertanyaan, masalah = _cari(row, soal, tahun)
        if pertanyaan is not None and pertanyaan.pk in seen:
            masalah = (
                "kode_pertanyaan",
                _("%(soal)s sudah ada di baris %(b)s; satu pertanyaan cukup satu baris.")
                % {"soal": pertanyaan, "b": seen[pertanyaan.pk]},
            )
        elif pertanyaan is not None:
            seen[pertanyaan.pk] = baris
            masalah = _bukan_wewenang(pertanyaan, boleh)
        if masalah:
            laporan.galat.append(Galat(baris, *masalah))
            continue
        jawaban = pertanyaan.kota[0] if pertanyaan.kota else None
        if jawaban is not None and not jawaban.bisa_diubah:
            laporan.dilewati.append(Dilewati(baris, pertanyaan, jawaban))
            continue
        nilai, salah_isi = _nilai(pertanyaan, jawaban, isi)
        basi = _templat_basi(row, tahun, jawaban)
        if basi and not salah_isi and _tak_disentuh(row, pertanyaan, jawaban, isi, nilai):
            # Others changed this answer since the download, but the person left the row as
            # it was: nothing of theirs to write, nothing of the others' to undo.
            laporan.tidak_berubah += 1
            laporan.tidak_berubah_basi.append(Dilewati(baris, pertanyaan, jawaban))
            continue
        if basi:
            laporan.galat.append(Galat(baris, "versi_jawaban", basi))
            continue
        laporan.galat.extend(Galat(baris, kolom, pesan) for kolom, pesan in salah_isi)
        if salah_isi:
            continue
        if _sama(jawaban, nilai):
            laporan.tidak_berubah += 1
            continue
        laporan.tulis.append(
            BarisJawaban(baris=baris, pertanyaan=pertanyaan, jawaban=jawaban, **nilai)
        )
    return laporan


def _sama(jawaban, nilai: dict) -> bool:
    """Whether an answer (or a past version of it) already holds these values."""
    return jawaban is not None and all(getattr(jawaban, k) == v for k, v in nilai.items())


def _tak_disentuh(row: dict, pertanyaan: Pertanyaan, jawaban, isi: dict, nilai: dict) -> bool:
    """Whether a row of a stale template is as it was downloaded: its values are the answer's
    current ones, or those the answer held at the template's version (from its history)."""
    if _sama(jawaban, nilai):
        return True
    versi = angka_id(row.get("versi_jawaban"))
    if jawaban is None or versi is None:
        return False
    lama = jawaban.history.filter(versi=int(versi)).order_by("-history_date").first()
    if lama is None:
        return False
    nilai_lama, salah = _nilai(pertanyaan, lama, isi)
    return not salah and _sama(lama, nilai_lama)


def _templat_basi(row: dict, tahun: TahunEvaluasi, jawaban: Jawaban | None) -> str:
    """Why a row from this year's template must not be written: the answer was saved by
    someone after the template was downloaded, and writing the row would undo that."""
    dari_tahun, versi = angka_id(row.get("tahun")), angka_id(row.get("versi_jawaban"))
    if dari_tahun != tahun.tahun or versi is None:
        return ""  # not this year's template (last year's answers as a start), or cleared
    kini = jawaban.versi if jawaban else 0
    if versi == kini:
        return ""
    return _(
        "Jawaban ini sudah diubah sejak templat diunduh (versi %(lama)s, kini %(kini)s); baris "
        "ini akan menimpa perubahan itu. Unduh templat baru, atau kosongkan sel versi_jawaban "
        "bila memang ingin menimpanya."
    ) % {"lama": int(versi), "kini": kini}


def _cari(row: dict, soal: dict, tahun: TahunEvaluasi) -> tuple[Pertanyaan | None, tuple | None]:
    """The question a row names, or (column, message) saying why there is none."""
    kode_ind, kode = _teks(row.get("kode_indikator")), _teks(row.get("kode_pertanyaan"))
    if not kode_ind or not kode:
        kolom = "kode_indikator" if not kode_ind else "kode_pertanyaan"
        return None, (kolom, _("%(k)s kosong, padahal baris ini berisi jawaban.") % {"k": kolom})
    pertanyaan = soal.get((_kunci(kode_ind), _kunci(kode)))
    if pertanyaan is not None:
        return pertanyaan, None
    if not any(kode_ind_soal == _kunci(kode_ind) for kode_ind_soal, _kode in soal):
        return None, (
            "kode_indikator",
            _("%(ind)s tidak ada di instrumen %(t)s.") % {"ind": kode_ind, "t": tahun.tahun},
        )
    return None, (
        "kode_pertanyaan",
        _("%(ind)s %(kode)s tidak ada di instrumen %(t)s.")
        % {"ind": kode_ind, "kode": kode, "t": tahun.tahun},
    )


def _bukan_wewenang(pertanyaan: Pertanyaan, boleh: set[int] | None) -> tuple | None:
    """(column, message) when the person may not import this question, else None."""
    utama = pertanyaan.utama[0].opd if pertanyaan.utama else None
    if boleh is not None and (utama is None or utama.pk not in boleh):
        return (
            "kode_pertanyaan",
            _("%(soal)s bukan tugas OPD Anda (penanggung jawabnya %(opd)s).")
            % {"soal": pertanyaan, "opd": utama.singkatan if utama else "-"},
        )
    if utama is None:
        return (
            "kode_pertanyaan",
            _(
                "%(soal)s belum punya OPD penanggung jawab; tetapkan di Penugasan OPD sebelum "
                "mengimpor jawabannya."
            )
            % {"soal": pertanyaan},
        )
    return None


def _nilai(
    pertanyaan: Pertanyaan, jawaban: Jawaban | None, isi: dict
) -> tuple[dict, list[tuple[str, str]]]:
    """The answer's values after the row, and the faults of the row's cells."""
    masalah: list[tuple[str, str]] = []
    angka: dict[str, Decimal] = {}
    for kolom in KOLOM_ANGKA:
        raw = isi.get(kolom)
        if raw is None:
            continue
        if kolom == "cakupan_persen" and isinstance(raw, str):
            raw = raw.removesuffix("%")
        if kolom == "poin" and isinstance(raw, float):
            # Excel's binary noise (4 × 0,6 = 2.4000000000000004) is not a third decimal.
            raw = round(raw, 9)
        value = angka_id(raw)
        if value is None:
            masalah.append(
                (kolom, _("%(k)s %(isi)s bukan angka.") % {"k": kolom, "isi": _tampil(raw)})
            )
        elif value < 0:
            masalah.append((kolom, _("%(k)s %(isi)s negatif.") % {"k": kolom, "isi": _tampil(raw)}))
        else:
            angka[kolom] = value
    nilai = {name: getattr(jawaban, name) if jawaban else None for name in NAMA_NILAI}
    nilai["catatan"] = jawaban.catatan if jawaban else ""
    cara = pertanyaan.cara_penilaian
    # Only the field of the question's kind is kept, as the answer form does.
    for name, kinds in (
        ("fraksi", {Pertanyaan.CaraPenilaian.OPSI}),
        ("cakupan_persen", {Pertanyaan.CaraPenilaian.CAKUPAN}),
        ("poin_langsung", {Pertanyaan.CaraPenilaian.OPSI, Pertanyaan.CaraPenilaian.LANGSUNG}),
    ):
        if cara not in kinds:
            nilai[name] = None
    if cara == Pertanyaan.CaraPenilaian.CAKUPAN:
        if isi.get("poin") is not None:
            masalah.append(
                (
                    "poin",
                    _(
                        "%(soal)s dinilai dari persentase cakupan: isi kolom cakupan_persen "
                        "(0 sampai 100), bukan poin."
                    )
                    % {"soal": pertanyaan},
                )
            )
        cakupan = angka.get("cakupan_persen")
        if cakupan is not None and cakupan > 100:
            masalah.append(
                (
                    "cakupan_persen",
                    _("cakupan_persen %(isi)s melebihi 100.")
                    % {"isi": _tampil(isi["cakupan_persen"])},
                )
            )
        elif cakupan is not None and 0 < cakupan < 1:
            # The smallest real coverage is one unit of all the city's units (one of six
            # kecamatan, one of 67 kelurahan): at least 1%. Below that it is a cell Excel
            # formatted as a percentage (85% is stored as 0,85).
            masalah.append(
                (
                    "cakupan_persen",
                    _(
                        "cakupan_persen %(isi)s terlalu kecil: tampaknya sel berformat persen "
                        "di Excel (85%% tersimpan sebagai 0,85). Tulis angkanya saja, misalnya "
                        "85."
                    )
                    % {"isi": _tampil(isi["cakupan_persen"])},
                )
            )
        elif cakupan is not None:
            nilai["cakupan_persen"] = scoring.bulatkan(cakupan)
    else:
        if isi.get("cakupan_persen") is not None:
            masalah.append(
                (
                    "cakupan_persen",
                    _("%(soal)s tidak dinilai dari cakupan: isi kolom poin.")
                    % {"soal": pertanyaan},
                )
            )
        poin = angka.get("poin")
        # Any points from 0 to the maximum are taken; a grade's points are kept as that grade.
        fraksi = None
        if poin is not None and cara == Pertanyaan.CaraPenilaian.OPSI:
            fraksi = _fraksi(pertanyaan, poin, sekarang=nilai["fraksi"])
        salah = (
            ""
            if poin is None or fraksi is not None
            else scoring.salah_poin(poin, pertanyaan.nilai_max)
        )
        if salah:
            masalah.append(("poin", f"{pertanyaan}: {salah}"))
        elif poin is not None and cara == Pertanyaan.CaraPenilaian.OPSI:
            nilai["fraksi"] = fraksi
            nilai["poin_langsung"] = poin if fraksi is None else None
        elif poin is not None:
            nilai["poin_langsung"] = poin
    for kolom in ("angka_tahun_ini", "angka_tahun_lalu"):
        if kolom not in angka:
            continue
        if kolom not in _angka_diminta(pertanyaan):
            masalah.append(
                (
                    kolom,
                    _("%(soal)s tidak meminta %(k)s; kosongkan sel ini.")
                    % {"soal": pertanyaan, "k": kolom},
                )
            )
        elif angka[kolom] >= BATAS_ANGKA:
            masalah.append(
                (
                    kolom,
                    _("%(k)s %(isi)s terlalu besar.") % {"k": kolom, "isi": _tampil(isi[kolom])},
                )
            )
        else:
            nilai[kolom] = scoring.bulatkan(angka[kolom])
    if isi.get("catatan") is not None:
        nilai["catatan"] = _catatan(isi["catatan"])
    return nilai, masalah


def _pilihan(pertanyaan: Pertanyaan) -> list[tuple[Decimal, Decimal]]:
    """(points, fraction) of each grade of a graded question."""
    return [
        (scoring.bulatkan(pertanyaan.nilai_max * Decimal(o["fraksi"])), Decimal(o["fraksi"]))
        for o in pertanyaan.pilihan()
    ]


def poin_pilihan(pertanyaan: Pertanyaan) -> str:
    """The points a graded question allows, written the Indonesian way: "0; 3; 6; 9; 12"."""
    points = dict.fromkeys(poin for poin, _fraksi in _pilihan(pertanyaan))
    return "; ".join(tulis_angka(poin) for poin in points)


def _fraksi(pertanyaan: Pertanyaan, poin: Decimal, *, sekarang: Decimal | None) -> Decimal | None:
    """The grade worth these points; the current one when several are (a 0-point question)."""
    cocok = scoring.fraksi_untuk_poin(
        poin, pertanyaan.nilai_max, [fraksi for _nilai, fraksi in _pilihan(pertanyaan)]
    )
    if not cocok:
        return None
    return sekarang if sekarang in cocok else cocok[0]


def _angka_diminta(pertanyaan: Pertanyaan) -> tuple[str, ...]:
    if not pertanyaan.minta_angka:
        return ()
    return ("angka_tahun_ini", "angka_tahun_lalu") if pertanyaan.dua_tahun else ("angka_tahun_ini",)


def _daftar_soal(tahun: TahunEvaluasi) -> list[Pertanyaan]:
    """The year's questions in instrument order, with their lead agency (``utama``) and their
    city-level answer (``kota``): three queries."""
    return list(
        Pertanyaan.objects.filter(tahun=tahun)
        .select_related("indikator__kelompok", "tahun")
        .prefetch_related(
            Prefetch(
                "penugasan",
                queryset=Penugasan.objects.filter(utama=True).select_related("opd"),
                to_attr="utama",
            ),
            Prefetch(
                "jawaban",
                queryset=Jawaban.objects.filter(wilayah__isnull=True).select_related("diubah_oleh"),
                to_attr="kota",
            ),
        )
    )


def _opd_boleh(pengguna) -> set[int] | None:
    """The agencies whose questions the person may import; None for every question."""
    if pengguna is None or pengguna.has_perm("clusters.kelola_evaluasi"):
        return None
    # Only operators answer (clusters.isi_jawaban); heading an agency is not enough.
    return {
        k.opd_id for k in pengguna.keanggotaan_aktif if k.peran == Peran.OPERATOR_OPD and k.opd_id
    }


def _sel(raw):
    """A cell's value, None when it is blank."""
    if raw is None:
        return None
    if isinstance(raw, str):
        raw = raw.strip()
        return raw or None
    return raw


def _teks(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return " ".join(str(raw).split())


def _kunci(kode: str) -> str:
    """Codes match whatever their case and spacing: "indikator  1" is "Indikator 1"."""
    return " ".join(kode.split()).casefold()


def _catatan(raw) -> str:
    text = str(raw).strip()
    # Undo the apostrophe the download puts before a note that looks like a formula.
    if text.startswith("'") and text[1:2] and text[1] in AWALAN_RUMUS:
        text = text[1:]
    return text


def _tampil(raw) -> str:
    """A cell as the person typed it, for a message: numbers the Indonesian way."""
    if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
        value = angka_id(raw)
        if value is not None:
            return tulis_angka(value)
    return f"“{raw}”"


# --- The template -------------------------------------------------------------------------


def templat(*, tahun: TahunEvaluasi, pengguna) -> tuple[list[str], list[list]]:
    """The columns and rows of the spreadsheet a person fills: one row per question they may
    import, in instrument order, prefilled with the current answers. Uploaded into another
    year, the same codes carry the answers over."""
    boleh = _opd_boleh(pengguna)
    rows = []
    for p in _daftar_soal(tahun):
        utama = p.utama[0].opd if p.utama else None
        if boleh is not None and (utama is None or utama.pk not in boleh):
            continue
        jawaban = p.kota[0] if p.kota else None
        cara = p.cara_penilaian
        poin = None
        if jawaban and cara == Pertanyaan.CaraPenilaian.OPSI and jawaban.fraksi is not None:
            poin = scoring.bulatkan(p.nilai_max * jawaban.fraksi)
        elif jawaban and cara != Pertanyaan.CaraPenilaian.CAKUPAN:
            poin = jawaban.poin_langsung
        diminta = _angka_diminta(p)
        rows.append(
            [
                p.indikator.kelompok.nama,
                p.indikator.kode,
                p.indikator.nama,
                p.kode,
                p.teks,
                p.nilai_max,
                p.get_cara_penilaian_display(),
                poin_pilihan(p) if cara == Pertanyaan.CaraPenilaian.OPSI else "",
                {
                    0: "",
                    1: _("tahun ini"),
                    2: _("tahun ini dan tahun lalu"),
                }[len(diminta)],
                poin,
                jawaban.cakupan_persen
                if jawaban and cara == Pertanyaan.CaraPenilaian.CAKUPAN
                else None,
                jawaban.angka_tahun_ini if jawaban and diminta else None,
                jawaban.angka_tahun_lalu if jawaban and len(diminta) == 2 else None,
                jawaban.catatan if jawaban else "",
                utama.singkatan if utama else "",
                jawaban.get_status_display() if jawaban else _("Belum dijawab"),
                tahun.tahun,
                jawaban.versi if jawaban else 0,
            ]
        )
    return KOLOM_TEMPLAT, rows
