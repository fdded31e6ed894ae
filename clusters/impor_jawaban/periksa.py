"""Checking a table of answers, row by row, into a report."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from agencies.models import Peran, Wilayah
from clusters.impor_jawaban.laporan import (
    KOLOM_NILAI,
    KOLOM_WAJIB,
    BarisJawaban,
    Dilewati,
    LaporanJawaban,
)
from clusters.impor_jawaban.nilai import nilai_baris
from clusters.models import Jawaban, Penugasan, Pertanyaan, TahunEvaluasi
from kla_portal.impor import Galat, kolom_hilang, periksa_baris
from kla_portal.tabel import angka_id, nilai_sel, teks_sel


def periksa(
    rows: list[dict[str, object]], *, tahun: TahunEvaluasi, pengguna, daerah_id: int | None = None
) -> LaporanJawaban:
    """Check a table of answers for a year, as ``pengguna`` would import it.

    The secretariat (``clusters.kelola_evaluasi``) may import every question; an agency
    operator only the questions their agency leads. ``pengguna`` None (the command run without
    ``--oleh``) may import every question. A year not open for answering refuses the file.
    """
    laporan = LaporanJawaban(tahun=tahun, daerah_id=daerah_id or daerah_dari_pengguna(pengguna))
    masalah = _berkas_salah(rows, tahun)
    if masalah:
        laporan.galat.append(masalah)
        return laporan
    _Pemeriksa(laporan, [k for k in KOLOM_NILAI if k in rows[0]], pengguna).periksa(rows)
    return laporan


def _berkas_salah(rows: list[dict], tahun: TahunEvaluasi) -> Galat | None:
    """The fault that stops the whole file: a year closed, no rows, or columns missing."""
    if not tahun.dibuka:
        return Galat(
            None,
            "",
            _("%(tahun)s belum dibuka untuk pengisian; jawaban tidak dapat diimpor.")
            % {"tahun": tahun},
        )
    if not rows:
        return Galat(None, "", _("Berkas tidak berisi satu baris jawaban pun."))
    masalah = kolom_hilang(rows[0], KOLOM_WAJIB)
    if masalah is None and not any(k in rows[0] for k in KOLOM_NILAI):
        masalah = Galat(
            1,
            "",
            _("Tidak ada kolom jawaban: beri paling sedikit salah satu kolom %(k)s.")
            % {"k": ", ".join(KOLOM_NILAI)},
        )
    return masalah


class _Pemeriksa:
    """Checks the rows of an answers sheet into a report."""

    def __init__(self, laporan: LaporanJawaban, kolom_nilai: list[str], pengguna):
        self.laporan = laporan
        self.tahun = laporan.tahun
        self.kolom_nilai = kolom_nilai
        self.soal = {
            (_kunci(p.indikator.kode), _kunci(p.kode)): p
            for p in daftar_soal(self.tahun, laporan.daerah_id)
        }
        self.boleh = opd_boleh(pengguna)
        self.seen: dict[int, int] = {}

    def periksa(self, rows: list[dict]) -> None:
        periksa_baris(self.laporan, rows, self._baris)

    def _baris(self, row: dict, baris: int) -> list[tuple[str, str]]:
        laporan = self.laporan
        isi = {k: nilai_sel(row.get(k)) for k in self.kolom_nilai}
        if all(value is None for value in isi.values()):
            laporan.kosong += 1
            return []
        pertanyaan, masalah = self._soal(row, baris)
        if masalah:
            return [masalah]
        jawaban = pertanyaan.kota[0] if pertanyaan.kota else None
        if jawaban is not None and not jawaban.bisa_diubah:
            laporan.dilewati.append(Dilewati(baris, pertanyaan, jawaban))
            return []
        nilai, salah_isi = nilai_baris(pertanyaan, jawaban, isi)
        basi = _templat_basi(row, self.tahun, jawaban)
        if basi and not salah_isi and _tak_disentuh(row, pertanyaan, jawaban, isi, nilai):
            # Others changed this answer since the download, but the person left the row as
            # it was: nothing of theirs to write, nothing of the others' to undo.
            laporan.tidak_berubah += 1
            laporan.tidak_berubah_basi.append(Dilewati(baris, pertanyaan, jawaban))
            return []
        if basi:
            return [("versi_jawaban", basi)]
        if salah_isi:
            return salah_isi
        if _sama(jawaban, nilai):
            laporan.tidak_berubah += 1
            return []
        laporan.tulis.append(
            BarisJawaban(baris=baris, pertanyaan=pertanyaan, jawaban=jawaban, **nilai)
        )
        return []

    def _soal(self, row: dict, baris: int) -> tuple[Pertanyaan | None, tuple | None]:
        """The question a row names, once in the file and the person's to import; or
        (column, message) saying why not."""
        pertanyaan, masalah = _cari(row, self.soal, self.tahun)
        if pertanyaan is not None and pertanyaan.pk in self.seen:
            return pertanyaan, (
                "kode_pertanyaan",
                _("%(soal)s sudah ada di baris %(b)s; satu pertanyaan cukup satu baris.")
                % {"soal": pertanyaan, "b": self.seen[pertanyaan.pk]},
            )
        if pertanyaan is not None:
            self.seen[pertanyaan.pk] = baris
            masalah = _bukan_wewenang(pertanyaan, self.boleh)
        return pertanyaan, masalah


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
    nilai_lama, salah = nilai_baris(pertanyaan, lama, isi)
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
    kode_ind, kode = teks_sel(row.get("kode_indikator")), teks_sel(row.get("kode_pertanyaan"))
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


def daerah_dari_pengguna(pengguna) -> int:
    """The kab/kota an import or template is for: the person's; from the command line without
    a name, the installation's (first) one."""
    return pengguna.daerah_id if pengguna else Wilayah.objects.kabkota_dilayani().pk


def daftar_soal(tahun: TahunEvaluasi, daerah_id: int) -> list[Pertanyaan]:
    """The year's questions in instrument order, with the city's lead agency (``utama``) and
    its city-level answer (``kota``): three queries."""
    return list(
        Pertanyaan.objects.filter(tahun=tahun)
        .select_related("indikator__kelompok", "tahun")
        .prefetch_related(
            Prefetch(
                "penugasan",
                queryset=Penugasan.objects.filter(daerah_id=daerah_id, utama=True).select_related(
                    "opd"
                ),
                to_attr="utama",
            ),
            Prefetch(
                "jawaban",
                queryset=Jawaban.objects.filter(
                    daerah_id=daerah_id, wilayah__isnull=True
                ).select_related("diubah_oleh"),
                to_attr="kota",
            ),
        )
    )


def opd_boleh(pengguna) -> set[int] | None:
    """The agencies whose questions the person may import; None for every question."""
    if pengguna is None or pengguna.has_perm("clusters.kelola_evaluasi"):
        return None
    # Only operators answer (clusters.isi_jawaban); heading an agency is not enough.
    return {
        k.opd_id for k in pengguna.keanggotaan_aktif if k.peran == Peran.OPERATOR_OPD and k.opd_id
    }


def _kunci(kode: str) -> str:
    """Codes match whatever their case and spacing: "indikator  1" is "Indikator 1"."""
    return " ".join(kode.split()).casefold()
