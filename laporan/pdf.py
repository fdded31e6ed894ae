"""HTML to PDF with WeasyPrint, and evidence pages merged into the result with qpdf (pikepdf).

WeasyPrint lays out the whole document, evidence pages included: an image is printed on its
own page, and every page of an evidence PDF gets a page of its own that carries the running
header, the page number and a caption, with its content area left empty. Page numbers, the
table of contents and the outline (bookmarks, from the headings) therefore already count the
evidence. Then each such page receives the evidence page, scaled into that empty area.

WeasyPrint fetches nothing from the network and no file outside the portal's fonts and
images and the build's own folder (``PengambilAman``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import pikepdf
from django.conf import settings
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from laporan.kemajuan import Penataan

# A build's progress: ``lapor(persen, langkah)``, shown by the worker's job as a progress bar.
Lapor = Callable[[int, str], None]


def diam(persen: int, langkah: str) -> None:
    """No one is watching (tests, the benchmark, the command)."""


MM = 72 / 25.4  # PDF points per millimetre
A4 = (210.0, 297.0)  # mm, portrait


@dataclass(frozen=True)
class Tata:
    """The page geometry, in millimetres, shared by the stylesheet and the merge."""

    atas: float = 20
    kanan: float = 16
    bawah: float = 17
    kiri: float = 16
    keterangan: float = 11  # the caption above an evidence page

    def kotak_bukti(self, lebar: float, tinggi: float) -> tuple[float, float, float, float]:
        """Where an evidence page goes on a page of ``lebar`` × ``tinggi`` points: x, y (from
        the bottom left), width and height, in points."""
        x, y = self.kiri * MM, self.bawah * MM
        return (
            x,
            y,
            lebar - x - self.kanan * MM,
            tinggi - y - (self.atas + self.keterangan) * MM,
        )


TATA = Tata()
FONT = settings.BASE_DIR / "static" / "vendor" / "source-sans-3"
GAMBAR_PORTAL = settings.BASE_DIR / "static" / "img"


def konteks_dasar(*, judul: str, penulis: str, keterangan: str, kepala: str, kaki: str) -> dict:
    """What templates/laporan/pdf/dasar.html and its stylesheet need: the document's metadata,
    the running header and footer, the geometry, the fonts and the logo."""
    return {
        "judul": judul,
        "penulis": penulis,
        "keterangan": keterangan,
        "kepala_halaman": kepala,
        "kaki_halaman": kaki,
        "tata": TATA,
        "tinggi_bukti": f"{A4[1] - TATA.atas - TATA.bawah - TATA.keterangan - 2:.1f}",
        "tinggi_bukti_lanskap": f"{A4[0] - TATA.atas - TATA.bawah - TATA.keterangan - 2:.1f}",
        "font": FONT.as_uri(),
        "logo": (GAMBAR_PORTAL / "logo-kla.svg").as_uri(),
    }


class PengambilAman(URLFetcher):
    """Fetches the portal's own files only: its fonts and images, and the build's folder.

    Anything else (http, https, ftp, a path elsewhere on the disk) is refused; WeasyPrint then
    leaves the resource out and renders on.
    """

    def __init__(self, folder: Path | None = None):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        akar = [FONT, GAMBAR_PORTAL, *([folder] if folder else [])]
        self.akar = [Path(a).resolve() for a in akar]

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            path = Path(unquote(urlparse(url).path)).resolve()
            if not any(path.is_relative_to(a) for a in self.akar):
                raise ValueError(f"Di luar berkas portal, tidak diambil: {url}")
        elif not url.startswith("data:"):
            raise ValueError(f"Bundel tidak mengambil apa pun dari jaringan: {url}")
        return super().fetch(url, headers)


def susun(html: str, *, folder: Path | None = None, kemajuan: Penataan | None = None):
    """Lay out the document: a WeasyPrint Document whose pages can be inspected and written.

    ``kemajuan`` follows the layout from WeasyPrint's progress log and keeps reporting while
    it runs (laporan.kemajuan), so a long layout moves a progress bar."""
    fonts = FontConfiguration()
    base = folder.as_uri() + "/" if folder else FONT.as_uri() + "/"
    with kemajuan or nullcontext():
        return HTML(string=html, base_url=base, url_fetcher=PengambilAman(folder)).render(
            font_config=fonts
        )


def halaman_tempat(dokumen, awalan: str) -> dict[str, int]:
    """The page index of every element whose id starts with ``awalan``."""
    return {
        anchor: index
        for index, page in enumerate(dokumen.pages)
        for anchor in page.anchors
        if anchor.startswith(awalan)
    }


@dataclass(frozen=True)
class Tempelan:
    """One evidence page to merge: from page ``halaman`` of ``berkas`` onto page ``ke``."""

    ke: int
    berkas: Path
    halaman: int


# Evidence merged in one pass of the merge, in bytes of evidence files (see tempel).
GABUNG_PER_LANGKAH = 32 * 1024 * 1024


def tempel(
    sumber: Path,
    tujuan: Path,
    tempelan: Iterable[Tempelan],
    *,
    lapor: Callable[[int, int], None] | None = None,
) -> int:
    """Write ``sumber`` to ``tujuan`` with the evidence pages merged in; returns the page count.

    qpdf (through pikepdf) does the merge, in passes: each pass opens the document written by
    the one before, places the next evidence files (at most GABUNG_PER_LANGKAH bytes of them)
    as form XObjects on their pages, and writes the document again. qpdf copies an evidence
    file's pages into memory, but reads the document's own pages from its file while writing
    it, so memory stays bounded by one pass's evidence whatever the bundle's total size (a
    bundle of 4 GB of scans is written in the memory of one of 40 MB). Small bundles take one
    pass.
    """
    per_berkas: dict[Path, list[Tempelan]] = {}
    for t in tempelan:
        per_berkas.setdefault(t.berkas, []).append(t)
    langkah: list[list[Path]] = [[]]
    bita = 0
    for berkas in per_berkas:
        ukuran = berkas.stat().st_size
        if langkah[-1] and bita + ukuran > GABUNG_PER_LANGKAH:
            langkah.append([])
            bita = 0
        langkah[-1].append(berkas)
        bita += ukuran
    selesai = 0
    asal = sumber
    for nomor, daftar in enumerate(langkah, start=1):
        keluar = tujuan if nomor == len(langkah) else tujuan.with_name(f"{tujuan.name}.{nomor}")
        with contextlib.ExitStack() as terbuka:
            utama = terbuka.enter_context(pikepdf.open(asal, access_mode=BACA))
            for berkas in daftar:
                # Kept open until the pass is written.
                bukti = terbuka.enter_context(pikepdf.open(berkas, access_mode=BACA))
                for t in per_berkas[berkas]:
                    halaman = utama.pages[t.ke]
                    halaman.add_overlay(
                        bukti.pages[t.halaman], _kotak(halaman, bukti.pages[t.halaman])
                    )
                selesai += 1
                if lapor:
                    lapor(selesai, len(per_berkas))
            # Streams already compressed are copied as they are, not decoded and encoded again.
            utama.save(keluar, stream_decode_level=pikepdf.StreamDecodeLevel.none)
            jumlah = len(utama.pages)
        if asal != sumber:
            asal.unlink()
        asal = keluar
    return jumlah


# Files are read as needed, not mapped into memory (mapped pages would count as the worker's).
BACA = pikepdf.AccessMode.stream


def _kotak(halaman, bukti) -> pikepdf.Rectangle:
    """Where the evidence page goes: scaled into the empty area of the page, keeping its
    proportions, centred, top-aligned."""
    tempat = pikepdf.Rectangle(halaman.mediabox)
    x, y, w, h = TATA.kotak_bukti(tempat.width, tempat.height)
    # qpdf draws the page's TrimBox (its CropBox, or MediaBox, when it has none).
    box = pikepdf.Rectangle(bukti.trimbox)
    skala = min(w / box.width, h / box.height)
    lebar, tinggi = box.width * skala, box.height * skala
    kiri = x + (w - lebar) / 2
    bawah = y + h - tinggi
    return pikepdf.Rectangle(kiri, bawah, kiri + lebar, bawah + tinggi)
