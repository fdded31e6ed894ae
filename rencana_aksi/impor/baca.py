"""Reading a RAD upload: the sheet, its kind, its header; then the rows go to the checker of
their kind (``rencana.PemeriksaRencana``, ``realisasi.PemeriksaRealisasi``)."""

from __future__ import annotations

import io
from collections.abc import Callable

import openpyxl
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kla_portal.impor import Galat, kolom_hilang
from kla_portal.tabel import baca_tabel, nilai_sel
from rencana_aksi.impor.kolom import RENCANA, daftar_kolom, jenis_lembar, nama_kolom
from rencana_aksi.impor.laporan import LaporanRad
from rencana_aksi.impor.realisasi import PemeriksaRealisasi
from rencana_aksi.impor.rencana import PemeriksaRencana
from rencana_aksi.models import PeriodeRad


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
    masalah = kolom_hilang(kolom, wajib)
    if masalah:
        laporan.galat.append(masalah)
        return laporan
    if laporan.jenis == RENCANA:
        PemeriksaRencana(laporan, kolom, pengguna).periksa(rows, kemajuan)
    else:
        PemeriksaRealisasi(laporan, kolom, pengguna).periksa(rows, kemajuan)
    return laporan


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
    if rows and any(nama_kolom(k) != k for k in rows[0]):
        nama_baru = {k: nama_kolom(k) for k in rows[0]}
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
            jenis = jenis_lembar([nama_kolom(k) for k in judul if k is not None])
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
        "kolom": daftar_kolom(),
    }
    if jenis:
        saran = _(
            "Kolom %(jenis)s ada di lembar “%(lembar)s”: jadikan lembar itu yang pertama (dan "
            "terbuka saat berkas disimpan), atau simpan lembar itu saja, lalu unggah lagi."
        ) % {"jenis": jenis, "lembar": lembar}
        pesan = f"{pesan} {saran}"
    return pesan
