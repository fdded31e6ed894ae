"""The importer skeleton shared by the three imports (instrument, answers, RAD).

Every import takes the same steps; an importer supplies only its columns, how a row is
checked and how a row is written:

1. read: ``kla_portal.tabel.baca_tabel`` (bounded CSV/XLSX reading);
2. check: the importer's ``periksa`` fills a report (``LaporanImpor``) with the rows it would
   write, the rows it skips and every fault (``Galat``: row, column, Indonesian message);
3. preview: ``pratinjau_simpan`` keeps the checked file and the versions the check read
   (``kla_portal.pratinjau``), the page shows the report;
4. confirm: ``pratinjau_ambil`` takes the kept file back, once;
5. recheck: the file is checked again and ``periksa_ulang`` refuses it when it now has faults
   or anything the preview saw has changed;
6. write: ``tulis_semua`` writes every row in one transaction, all or nothing, naming the
   row that was refused; the result is a ``HasilImpor``;
7. large files: a background job (``kla_portal.pekerjaan``) runs steps 5 and 6 in a worker,
   with ``kemajuan_periksa`` and ``KemajuanTulis`` reporting progress.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kla_portal import pekerjaan as pekerjaan_services
from kla_portal import pratinjau
from kla_portal.tabel import tulis_angka

PRATINJAU_KEDALUWARSA = gettext_lazy(
    "Pratinjau ini sudah tidak berlaku (sudah diimpor atau kedaluwarsa). Unggah berkasnya lagi."
)
MASIH_GALAT = gettext_lazy("Berkas masih mengandung galat; perbaiki lalu unggah lagi.")
LAPOR_SETIAP = 100  # rows written between two progress reports
LAPOR_PERIKSA_SETIAP = 200  # rows checked between two progress reports
PERSEN_PERIKSA = 30  # the share of the bar for reading and checking the file again


# --- The report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Galat:
    """A fault of the file; ``baris`` is the row number as Excel shows it (the header is 1).
    A warning (``menghalangi`` False) is shown but does not stop the import."""

    baris: int | None
    kolom: str
    pesan: str
    menghalangi: bool = True

    def __str__(self) -> str:
        letak = []
        if self.baris:
            letak.append(_("baris %(b)s") % {"b": self.baris})
        if self.kolom:
            letak.append(_("kolom %(k)s") % {"k": self.kolom})
        return f"{', '.join(letak)}: {self.pesan}" if letak else self.pesan

    def as_text(self) -> str:
        """One line of a command's report: "GALAT      baris 3: ..."."""
        jenis = "GALAT" if self.menghalangi else "peringatan"
        return f"{jenis:<10} {self}"


@dataclass
class LaporanImpor:
    """What a file would import (``tulis``: rows with ``baris``, ``baru``, ``kunci`` and
    ``versi``), what it skips, and what is wrong with it."""

    tulis: list = field(default_factory=list)
    galat: list[Galat] = field(default_factory=list)
    dilewati: list = field(default_factory=list)
    tidak_berubah: int = 0
    kosong: int = 0  # rows without any value: blank lines, unfilled template rows

    # Rows of each list shown on the preview page; None shows them all.
    TAMPIL_MAKS = None

    @property
    def ada_galat(self) -> bool:
        return bool(self.galat)

    @property
    def baru(self) -> int:
        return sum(1 for row in self.tulis if row.baru)

    @property
    def diperbarui(self) -> int:
        return len(self.tulis) - self.baru

    def versi_dilihat(self) -> dict:
        """What each row to write was checked against: kept with a preview, so that the
        confirmation refuses when anything changed in between."""
        return {row.kunci: row.versi for row in self.tulis}

    def tulis_tampil(self) -> list:
        return self.tulis[: self.TAMPIL_MAKS]

    def galat_tampil(self) -> list[Galat]:
        return self.galat[: self.TAMPIL_MAKS]

    def angka(self) -> dict[str, int]:
        """The counts a summary names."""
        return {
            "baru": self.baru,
            "ubah": self.diperbarui,
            "sama": self.tidak_berubah,
            "lewat": len(self.dilewati),
            "kosong": self.kosong,
            "galat": len(self.galat),
        }

    def as_text(self) -> str:
        """The report as a command prints it: a title and the summary, the faults, then what
        the importer lists besides (``baris_lain``)."""
        lines = [f"{self.judul()}: {self.ringkasan()}"]
        lines.extend(f"  {g.as_text()}" for g in self.galat)
        lines.extend(self.baris_lain())
        return "\n".join(lines)

    def judul(self) -> str:
        raise NotImplementedError

    def ringkasan(self) -> str:
        raise NotImplementedError

    def baris_lain(self) -> list[str]:
        return []

    def hasil(self, benda: str) -> HasilImpor:
        """The result of writing this report."""
        return HasilImpor(
            benda=benda,
            baru=self.baru,
            diperbarui=self.diperbarui,
            tidak_berubah=self.tidak_berubah,
            dilewati=len(self.dilewati),
        )


JAWABAN, AKSI, LAPORAN, PERTANYAAN = "jawaban", "aksi", "laporan", "pertanyaan"


@dataclass(frozen=True)
class HasilImpor:
    """What an import wrote, for its message. ``benda`` names what was imported."""

    benda: str
    baru: int
    diperbarui: int
    tidak_berubah: int = 0
    dilewati: int = 0
    dihapus: int = 0
    # Instrument questions gone from the file but kept because they have answers.
    dipertahankan: list[str] = field(default_factory=list)

    def as_text(self) -> str:
        angka = {
            "b": jumlah_teks(self.baru),
            "u": jumlah_teks(self.diperbarui),
            "s": jumlah_teks(self.tidak_berubah),
            "l": jumlah_teks(self.dilewati),
            "h": jumlah_teks(self.dihapus),
        }
        if self.benda == PERTANYAAN:
            return self._pertanyaan(angka)
        if self.benda == JAWABAN:
            return (
                _("Jawaban baru %(b)s, diperbarui %(u)s, tidak berubah %(s)s, dilewati %(l)s.")
                % angka
            )
        benda = _("Aksi") if self.benda == AKSI else _("Laporan")
        return _("%(benda)s baru %(b)s, diperbarui %(u)s, tidak berubah %(s)s, dilewati %(l)s.") % {
            "benda": benda,
            **angka,
        }

    def _pertanyaan(self, angka: dict) -> str:
        text = _("Pertanyaan baru %(b)s, diperbarui %(u)s, dihapus %(h)s.") % angka
        if self.dipertahankan:
            text += " " + _(
                "%(n)s pertanyaan tidak ada lagi di berkas tetapi sudah dijawab, sehingga "
                "dipertahankan: %(daftar)s."
            ) % {"n": len(self.dipertahankan), "daftar": ", ".join(self.dipertahankan)}
        return text


def jumlah_teks(n: int) -> str:
    """A count as messages write it: "1.250"."""
    return tulis_angka(Decimal(n))


# --- Checking -----------------------------------------------------------------------------


def kolom_hilang(kolom, wajib) -> Galat | None:
    """The fault of a header without the columns an import needs."""
    hilang = [k for k in wajib if k not in kolom]
    if not hilang:
        return None
    return Galat(
        1,
        ", ".join(hilang),
        _("Kolom tidak ada: %(k)s. Unduh templat dari portal dan pakai kolomnya.")
        % {"k": ", ".join(hilang)},
    )


def periksa_baris(
    laporan: LaporanImpor,
    rows: list[dict],
    periksa_satu: Callable[[dict, int], list[tuple[str, str]]],
    *,
    kemajuan: Callable[[int, int], None] | None = None,
) -> None:
    """The check step: each row, numbered as Excel shows it (the header is row 1), through the
    importer's ``periksa_satu(row, baris)``, which adds what the row writes or skips to the
    report and returns its faults as (column, message). ``kemajuan`` is told (rows checked,
    all rows) every LAPOR_PERIKSA_SETIAP rows, for a background job."""
    for index, row in enumerate(rows):
        if kemajuan and index % LAPOR_PERIKSA_SETIAP == 0:
            kemajuan(index, len(rows))
        baris = index + 2
        laporan.galat.extend(Galat(baris, k, pesan) for k, pesan in periksa_satu(row, baris))


# --- Preview and confirmation ---------------------------------------------------------------


def pratinjau_simpan(request, kunci: str, *, nama: str, isi: bytes, laporan, **data) -> str | None:
    """Keep a checked file for its confirmation, with what its check read (``versi``); the
    token for the page's form. None when the report has faults or nothing to write."""
    if laporan.ada_galat or not laporan.tulis:
        return None
    return pratinjau.simpan(
        request, kunci, nama=nama, isi=isi, versi=laporan.versi_dilihat(), **data
    )


def pratinjau_ambil(request, kunci: str) -> pratinjau.Pratinjau | None:
    """The kept file of the confirming request, once; None when it is stale or not theirs."""
    return pratinjau.ambil(request, kunci, request.POST.get("token"))


def periksa_ulang(
    laporan: LaporanImpor, versi_pratinjau: dict, *, berubah: str, disebut: int | None = None
) -> None:
    """The recheck at confirmation: refuses a file whose new check finds a fault (a year
    closed, a report sent, a row reassigned since) naming the first ``disebut`` faults, and
    one where anything the preview saw has changed (``berubah`` says so)."""
    if laporan.ada_galat:
        pesan = [str(g) for g in laporan.galat[:disebut]]
        if disebut is not None and len(laporan.galat) > disebut:
            pesan.append(_("… dan %(n)s galat lain.") % {"n": len(laporan.galat) - disebut})
        raise ValidationError(pesan)
    if laporan.versi_dilihat() != versi_pratinjau:
        raise ValidationError(berubah)


# --- Writing --------------------------------------------------------------------------------


def tulis_semua(
    rows: Iterable,
    tulis_baris: Callable[[object], None],
    *,
    pesan_baris: Callable[[object, str], str],
    sebelum: Callable[[], None] | None = None,
    sesudah: Callable[[], None] | None = None,
    kemajuan: KemajuanTulis | None = None,
) -> None:
    """Write every row in one transaction: all rows or none. ``sebelum`` runs first inside
    the transaction (locks, a last check). A row refused by its service undoes the whole
    write; the refusal names it: ``pesan_baris(row, the service's message)``.

    A bulk importer's ``tulis_baris`` checks a row and gets its records ready; ``sesudah``
    then writes them all, in a few queries whatever the number of rows (its refusal names
    its row itself)."""
    try:
        with transaction.atomic():
            if sebelum is not None:
                sebelum()
            for index, row in enumerate(rows, start=1):
                try:
                    tulis_baris(row)
                except ValidationError as error:
                    raise ValidationError(pesan_baris(row, " ".join(error.messages))) from error
                if kemajuan is not None:
                    kemajuan.lapor(index)
            if sesudah is not None:
                sesudah()
    finally:
        if kemajuan is not None:
            kemajuan.tutup()


PER_KUERI = 500  # rows a bulk importer reads, locks or writes with one query


def potong(daftar: list) -> list[list]:
    """``daftar`` in slices of PER_KUERI."""
    return [daftar[awal : awal + PER_KUERI] for awal in range(0, len(daftar), PER_KUERI)]


def riwayat_massal(model, *, baru: list, ubah: list, by, waktu) -> None:
    """The history entries a save makes (simple_history), for rows a bulk importer has just
    created (``baru``) and changed (``ubah``), PER_KUERI to a statement."""
    for daftar, diubah in ((baru, False), (ubah, True)):
        model.history.bulk_history_create(
            daftar,
            batch_size=PER_KUERI,
            update=diubah,
            default_user=by,
            default_change_reason=None,
            default_date=waktu,
        )


def tolak_laporan(laporan: LaporanImpor, *, sama: bool, pesan_lain: str) -> None:
    """Refuse to write a report with faults, or one made for another year or plan."""
    if not sama:
        raise ValidationError(pesan_lain)
    if laporan.ada_galat:
        raise ValidationError(MASIH_GALAT)


# --- Large files in a worker ----------------------------------------------------------------


def kemajuan_periksa(pekerjaan) -> Callable[[int, int], None] | None:
    """For a background job: reports the start, and a callback the check tells (rows checked,
    all rows) every LAPOR_PERIKSA_SETIAP rows. None without a job."""
    if pekerjaan is None:
        return None
    pekerjaan_services.lapor(pekerjaan, persen=0, langkah=_("Membaca berkas…"))

    def lapor(selesai: int, jumlah: int) -> None:
        pekerjaan_services.lapor(
            pekerjaan,
            persen=PERSEN_PERIKSA * selesai // max(jumlah, 1),
            langkah=_("Memeriksa baris %(i)s dari %(n)s…")
            % {"i": jumlah_teks(selesai), "n": jumlah_teks(jumlah)},
        )

    return lapor


def lapor_mulai_tulis(pekerjaan, jumlah: int) -> None:
    if pekerjaan is not None:
        pekerjaan_services.lapor(
            pekerjaan,
            persen=PERSEN_PERIKSA,
            langkah=_("Menulis %(n)s baris…") % {"n": jumlah_teks(jumlah)},
        )


class KemajuanTulis:
    """Progress of the write, every LAPOR_SETIAP rows.

    The write holds one transaction: a report written inside it would be seen only at its end,
    and a request to cancel, never. Where another connection may write meanwhile (PostgreSQL),
    each report goes through a connection of its own, in a helper thread, so the bar moves and
    a cancellation stops the import (which is then undone). SQLite has a single writer: there
    the report before the write ("Menulis … baris") stays until the end.
    """

    def __init__(self, pekerjaan, jumlah: int):
        self.pekerjaan = pekerjaan
        self.jumlah = jumlah
        self.pelapor = None
        if pekerjaan is not None and connection.vendor != "sqlite":
            self.pelapor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kemajuan-impor")

    def lapor(self, selesai: int) -> None:
        if self.pelapor is None or (selesai % LAPOR_SETIAP and selesai != self.jumlah):
            return
        persen = PERSEN_PERIKSA + (100 - PERSEN_PERIKSA) * selesai // max(self.jumlah, 1)
        langkah = _("Menulis baris %(i)s dari %(n)s…") % {
            "i": jumlah_teks(selesai),
            "n": jumlah_teks(self.jumlah),
        }
        # .result() raises Dibatalkan here, in the writing thread, which undoes the write.
        self.pelapor.submit(
            pekerjaan_services.lapor, self.pekerjaan, persen=min(persen, 99), langkah=langkah
        ).result()

    def tutup(self) -> None:
        if self.pelapor is not None:
            self.pelapor.submit(connections.close_all).result()
            self.pelapor.shutdown()
