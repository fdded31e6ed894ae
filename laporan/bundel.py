"""Building the evaluation bundle of a year: a PDF with the evidence inside, or a ZIP of a
summary PDF and the evidence files in folders per indicator and question.

The steps report their progress through ``lapor(persen, langkah)``: the worker's job page
shows it as a progress bar, the ``buat_bundel`` command prints it. ``lapor`` may raise to stop
(the person cancelled); the build's folder is removed whatever happens.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from agencies.models import User
from clusters import scoring
from clusters import services as clusters_services
from clusters.models import TahunEvaluasi
from kla_portal.ekspor import buku_xlsx
from laporan import bukti as bukti_mod
from laporan import isi as isi_mod
from laporan import pdf
from laporan.kemajuan import Kemajuan, Penataan
from laporan.pdf import Lapor, diam

# Kinds already compressed: stored in the ZIP as they are.
TERMAMPAT = {"application/pdf", "image/jpeg", "image/png"}


@dataclass
class HasilBundel:
    isi: isi_mod.IsiBundel
    halaman: int
    bukti: list[bukti_mod.Bukti]
    mode_zip: bool = False

    @property
    def tidak_disisipkan(self) -> list[bukti_mod.Bukti]:
        return [] if self.mode_zip else [b for b in self.bukti if not b.disisipkan]

    def ringkas(self) -> dict:
        """What the bundle holds, kept with its record (laporan.models.Bundel.isi)."""
        return {
            "data_per": self.isi.snapshot.data_per.isoformat(),
            "total": self.isi.ringkasan["total"].ke_json(),
            "kategori": {k["kunci"]: k["kategori"] for k in self.isi.ringkasan["kartu"]},
            "pertanyaan": len(self.isi.soal),
            "bukti": len(self.bukti),
            "tidak_disisipkan": [
                {
                    "nomor": b.nomor,
                    "nama": b.lampiran.nama_asli,
                    "pertanyaan": b.lampiran.jawaban.pertanyaan_id,
                    "alasan": b.alasan,
                }
                for b in self.tidak_disisipkan
            ],
        }


def nama_berkas(tahun: TahunEvaluasi, isi: isi_mod.IsiBundel, ekstensi: str) -> str:
    """bundel-evaluasi-kla-2024-kota-serang-20261201.pdf"""
    kota = slugify(isi.nama_kota) if isi.kota else "kota"
    return f"bundel-evaluasi-kla-{tahun.tahun}-{kota}-{timezone.localdate():%Y%m%d}.{ekstensi}"


def _muat(tahun: TahunEvaluasi, oleh: User | None, lapor: Lapor) -> isi_mod.IsiBundel:
    # The totals printed come from the answers the bundle prints: recompute now.
    lapor(2, _("Menghitung skor dari jawaban terbaru …"))
    snapshot = clusters_services.skor_hitung(
        tahun=tahun, daerah_id=oleh.daerah_id if oleh else None
    )
    lapor(5, _("Membaca pertanyaan, jawaban dan data dukung …"))
    return isi_mod.muat(tahun, snapshot, oleh=oleh)


def _konteks(isi: isi_mod.IsiBundel, *, mode_zip: bool, bukti: list) -> dict:
    penulis = isi.oleh.get_full_name() if isi.oleh else _("Operator portal (perintah buat_bundel)")
    if isi.oleh and isi.oleh.keanggotaan_aktif:
        peran = isi.oleh.keanggotaan_aktif[0]
        penulis = (
            f"{penulis} ({peran.get_peran_display()}{', ' + str(peran.unit) if peran.unit else ''})"
        )
    return {
        **pdf.konteks_dasar(
            judul=_("Bundel Evaluasi KLA %(tahun)s %(kota)s")
            % {"tahun": isi.tahun.tahun, "kota": isi.nama_kota},
            penulis=penulis,
            keterangan=_("Jawaban, skor dan data dukung evaluasi Kabupaten/Kota Layak Anak."),
            kepala=f"{isi.nama_kota} · {_('Evaluasi KLA')} {isi.tahun.tahun}",
            kaki=_("Bundel evaluasi KLA, dibuat %(tanggal)s dari Portal KLA")
            % {"tanggal": timezone.localtime(isi.dibuat).strftime("%d-%m-%Y %H.%M")},
        ),
        "isi": isi,
        "mode_zip": mode_zip,
        "dibuat": isi.dibuat,
        "jumlah_bukti": len(bukti),
        "jumlah_disisipkan": sum(1 for b in bukti if b.disisipkan),
        "tidak_disisipkan": [
            (soal, b) for soal in isi.soal for b in soal.bukti if not mode_zip and not b.disisipkan
        ],
        "aturan_kategori": scoring.ATURAN_KATEGORI,
        "aturan_batas": scoring.ATURAN_BATAS,
    }


def html(isi: isi_mod.IsiBundel, *, mode_zip: bool = False) -> str:
    """The bundle's HTML, in Indonesian whatever the language of the person building it."""
    bukti = [b for soal in isi.soal for b in soal.bukti]
    with translation.override("id"):
        return render_to_string(
            "laporan/pdf/bundel.html", _konteks(isi, mode_zip=mode_zip, bukti=bukti)
        )


def bangun_pdf(
    tahun: TahunEvaluasi, *, tujuan: Path, oleh: User | None = None, lapor: Lapor = diam
) -> HasilBundel:
    """The whole bundle as one PDF at ``tujuan``. Its scratch folder is made beside ``tujuan``
    (for a worker, inside the job's folder, which the sweep removes if the worker is killed)."""
    isi = _muat(tahun, oleh, lapor)
    folder = Path(tempfile.mkdtemp(prefix="kerja-", dir=tujuan.parent))
    try:
        semua = _siapkan_bukti(isi, folder, lapor)
        # The layout is one call of WeasyPrint (the table of contents and the page numbers
        # need the whole document): it is followed page by page from its log, and its silent
        # parts are reported with the time spent and an estimate of the time left.
        penataan = Penataan(
            lapor,
            dari=35,
            sampai=60,
            langkah=_("Menata halaman bundel …"),
            halaman=sum(b.halaman or 1 for b in semua) + len(isi.soal) // 2 + 30,
        )
        dokumen = pdf.susun(html(isi), folder=folder, kemajuan=penataan)
        utama = folder / "utama.pdf"
        with Kemajuan(
            lapor,
            dari=60,
            sampai=65,
            langkah=_("Menulis %(n)s halaman …") % {"n": len(dokumen.pages)},
            detik=penataan.perkiraan_menulis(),
        ):
            dokumen.write_pdf(utama)
        tempat = pdf.halaman_tempat(dokumen, "sisip-")
        del dokumen  # the layout is the largest thing in memory; the merge no longer needs it
        tempelan = [
            pdf.Tempelan(ke=tempat[f"sisip-{b.nomor}-{i}"], berkas=b.berkas, halaman=i)
            for b in semua
            if b.disisipkan and b.jenis == "pdf"
            for i in range(b.halaman)
        ]
        halaman = pdf.tempel(
            utama,
            tujuan,
            tempelan,
            lapor=lambda n, dari: lapor(
                65 + 30 * n // dari,
                _("Menyisipkan data dukung PDF: %(n)s dari %(dari)s berkas")
                % {"n": n, "dari": dari},
            ),
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return HasilBundel(isi=isi, halaman=halaman, bukti=semua)


def _siapkan_bukti(isi: isi_mod.IsiBundel, folder: Path, lapor: Lapor) -> list[bukti_mod.Bukti]:
    """Check and prepare every evidence file, one at a time, in the bundle's order."""
    daftar = [(soal, berkas) for soal in isi.soal for berkas in soal.lampiran]
    semua = []
    for nomor, (soal, berkas) in enumerate(daftar, start=1):
        lapor(
            5 + 30 * nomor // max(len(daftar), 1),
            _("Memeriksa data dukung %(n)s dari %(dari)s …") % {"n": nomor, "dari": len(daftar)},
        )
        bukti = bukti_mod.siapkan(berkas, nomor=nomor, folder=folder)
        soal.bukti.append(bukti)
        semua.append(bukti)
    return semua


def bangun_zip(
    tahun: TahunEvaluasi, *, tujuan: Path, oleh: User | None = None, lapor: Lapor = diam
) -> HasilBundel:
    """A ZIP: the summary PDF (the bundle without evidence pages), every evidence file as it
    was uploaded, in a folder per group, indicator and question, and an index (XLSX)."""
    isi = _muat(tahun, oleh, lapor)
    akar = _nama_aman(
        _("Bundel KLA %(tahun)s %(kota)s") % {"tahun": tahun.tahun, "kota": isi.nama_kota}
    )
    baris = []  # (bukti, group, indicator, question) in the bundle's order
    for urutan, g in enumerate(isi.kelompok, start=1):
        for i in g["indikator"]:
            for soal in i["soal"]:
                folder = "/".join(
                    [
                        f"{urutan:02d} {_nama_aman(g['nama'])}",
                        _nama_aman(i["kode"]),
                        _nama_aman(soal.kode),
                    ]
                )
                for n, berkas in enumerate(soal.lampiran, start=1):
                    b = bukti_mod.Bukti(lampiran=berkas, nomor=len(baris) + 1)
                    unit = berkas.jawaban.wilayah
                    nama = _nama_aman(berkas.nama_asli)
                    b.jalur = (
                        f"{folder}/{n:02d} {_nama_aman(str(unit)) + ' ' if unit else ''}{nama}"
                    )
                    soal.bukti.append(b)
                    baris.append((b, g["nama"], i["kode"], soal))
    lapor(10, _("Menyusun ringkasan PDF …"))
    dokumen = pdf.susun(html(isi, mode_zip=True))
    halaman = len(dokumen.pages)
    ringkasan = dokumen.write_pdf()
    del dokumen
    indeks = []
    with zipfile.ZipFile(tujuan, "w") as arsip:
        arsip.writestr(f"{akar}/00 {_('Ringkasan')} {akar}.pdf", ringkasan, zipfile.ZIP_DEFLATED)
        for n, (b, kelompok, indikator, soal) in enumerate(baris, start=1):
            lapor(
                40 + 55 * n // len(baris),
                _("Menambahkan data dukung %(n)s dari %(dari)s …") % {"n": n, "dari": len(baris)},
            )
            try:
                _salin(b, arsip, f"{akar}/{b.jalur}")
            except FileNotFoundError:
                b.alasan = _("berkas tidak ditemukan di penyimpanan portal")
            indeks.append(
                [
                    "" if b.alasan else b.jalur,
                    kelompok,
                    indikator,
                    soal.kode,
                    str(b.lampiran.jawaban.wilayah or ""),
                    b.lampiran.nama_asli,
                    b.lampiran.ukuran,
                    b.lampiran.sha256,
                    b.alasan,
                ]
            )
        kolom = [
            _("berkas"),
            _("kelompok"),
            _("indikator"),
            _("pertanyaan"),
            _("kecamatan/kelurahan"),
            _("nama asli"),
            _("ukuran (bita)"),
            "SHA-256",
            _("catatan"),
        ]
        arsip.writestr(
            f"{akar}/{_('daftar-berkas')}.xlsx",
            buku_xlsx(_("Daftar berkas"), kolom, indeks),
            zipfile.ZIP_DEFLATED,
        )
    return HasilBundel(isi=isi, halaman=halaman, bukti=[b for b, *_rest in baris], mode_zip=True)


def _salin(b: bukti_mod.Bukti, arsip: zipfile.ZipFile, jalur: str) -> None:
    """Copy one evidence file into the ZIP as uploaded, in chunks; PDF and images are stored
    as they are (they are compressed already)."""
    info = zipfile.ZipInfo(jalur, timezone.localtime(b.lampiran.diunggah).timetuple()[:6])
    info.compress_type = (
        zipfile.ZIP_STORED if b.lampiran.jenis in TERMAMPAT else zipfile.ZIP_DEFLATED
    )
    with b.lampiran.berkas.open("rb") as sumber, arsip.open(info, "w") as keluar:
        shutil.copyfileobj(sumber, keluar, 1024 * 1024)


def _nama_aman(teks: str, panjang: int = 80) -> str:
    """A file or folder name that every system and the ministry's upload accept."""
    aman = "".join(c if c.isalnum() or c in " .,_()-" else "_" for c in str(teks))
    aman = " ".join(aman.split()).strip(" .")
    if len(aman) > panjang:
        dasar, titik, ekstensi = aman.rpartition(".")
        aman = (
            (dasar[: panjang - len(ekstensi) - 1] + "." + ekstensi)
            if titik and len(ekstensi) <= 5
            else aman[:panjang]
        )
    return aman or "_"
