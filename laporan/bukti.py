"""Evidence files made ready for the bundle, one at a time, each judged on its own.

A PDF is read (decrypted when only an owner password locks it), its pages checked and copied
into a clean PDF in the build's folder: no encryption, no annotations or scripts, rotation
applied. An image is decoded, turned upright, reduced to print size and saved as JPEG. A file
that cannot be used (locked with a password, corrupt, too many pages, an unreadable image, a
spreadsheet) is not included: the bundle names it on its "not included" page with the reason,
and builds on. Untrusted files never stop the bundle.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter

from clusters.models import Lampiran
from kla_portal import penyimpanan

log = logging.getLogger(__name__)

# An evidence image is printed at most this many pixels on its long side (about 200 dpi on
# the A4 area it gets): a 48-megapixel photo neither bloats the bundle nor the worker.
SISI_GAMBAR = 1800
GAMBAR = {"image/jpeg", "image/png"}


@dataclass
class Bukti:
    """One evidence file on its way into the bundle."""

    lampiran: Lampiran
    nomor: int  # its number in the bundle, 1, 2, ...
    jenis: str = ""  # "pdf" or "gambar" once it can be included
    berkas: Path | None = None  # the clean copy in the build's folder
    # Per page of a PDF (or the image): True when wider than high, printed on a landscape page.
    lanskap: list[bool] = field(default_factory=list)
    alasan: str = ""  # why it is not included
    jalur: str = ""  # its path in the ZIP bundle

    @property
    def disisipkan(self) -> bool:
        return not self.alasan

    @property
    def halaman(self) -> int:
        return len(self.lanskap)


def siapkan(lampiran: Lampiran, *, nomor: int, folder: Path) -> Bukti:
    """Check one evidence file and prepare its clean copy; never raises for a bad file."""
    bukti = Bukti(lampiran=lampiran, nomor=nomor)
    try:
        if lampiran.jenis == "application/pdf":
            _siapkan_pdf(bukti, folder)
        elif lampiran.jenis in GAMBAR:
            _siapkan_gambar(bukti, folder)
        else:
            bukti.alasan = _(
                "berkas %(jenis)s tidak dapat dijadikan halaman PDF; berkas aslinya ada di "
                "bundel ZIP"
            ) % {"jenis": lampiran.nama_asli.rsplit(".", 1)[-1].upper()}
    except FileNotFoundError:
        bukti.alasan = _("berkas tidak ditemukan di penyimpanan portal")
    except penyimpanan.TIDAK_TERJANGKAU:
        # The object store is down: the build fails and says so; no evidence is called bad.
        raise
    except Exception:
        # The file came from outside: any failure of the PDF or image library reading it
        # means the file is unusable, not that the bundle should stop.
        log.warning("Data dukung %s tidak dapat dibaca", lampiran.pk, exc_info=True)
        bukti.alasan = (
            _("PDF rusak atau tidak dapat dibaca")
            if lampiran.jenis == "application/pdf"
            else _("gambar rusak atau tidak dapat dibaca")
        )
    if bukti.alasan:
        bukti.jenis, bukti.berkas, bukti.lanskap = "", None, []
    return bukti


def _siapkan_pdf(bukti: Bukti, folder: Path) -> None:
    batas = settings.BUNDEL_MAKS_HALAMAN_BERKAS
    with bukti.lampiran.berkas.open("rb") as isi:
        reader = PdfReader(isi)
        if reader.is_encrypted and not reader.decrypt(""):
            bukti.alasan = _("PDF dikunci dengan kata sandi")
            return
        jumlah = len(reader.pages)
        if jumlah == 0:
            bukti.alasan = _("PDF tidak berisi halaman")
            return
        if jumlah > batas:
            bukti.alasan = _(
                "%(n)s halaman, melebihi batas %(batas)s halaman per berkas; berkas aslinya ada "
                "di bundel ZIP"
            ) % {"n": jumlah, "batas": batas}
            return
        writer = PdfWriter()
        for asli in reader.pages:
            page = writer.add_page(asli)
            page.transfer_rotation_to_content()
            # Reading every content stream now finds a corrupt page before layout, not after.
            contents = page.get_contents()
            if contents is not None:
                contents.get_data()
            if "/Annots" in page:
                del page["/Annots"]  # links and scripts of an outside file stay outside
            box = page.cropbox
            if box.width <= 0 or box.height <= 0:
                raise ValueError("halaman tanpa ukuran")
            bukti.lanskap.append(box.width > box.height)
        bukti.berkas = folder / f"bukti-{bukti.nomor}.pdf"
        with bukti.berkas.open("wb") as keluar:
            writer.write(keluar)
    bukti.jenis = "pdf"


def _siapkan_gambar(bukti: Bukti, folder: Path) -> None:
    with warnings.catch_warnings():
        # Beyond Pillow's limit (about 89 megapixels) a picture is refused, not decoded.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with bukti.lampiran.berkas.open("rb") as isi:
            try:
                gambar = Image.open(isi)
                gambar.draft("RGB", (SISI_GAMBAR, SISI_GAMBAR))  # JPEG: decode at print size
                gambar.load()
            except (Image.DecompressionBombWarning, Image.DecompressionBombError):
                bukti.alasan = _("gambar terlalu besar untuk dicetak")
                return
            gambar = ImageOps.exif_transpose(gambar).convert("RGB")
            gambar.thumbnail((SISI_GAMBAR, SISI_GAMBAR))
            bukti.berkas = folder / f"bukti-{bukti.nomor}.jpg"
            gambar.save(bukti.berkas, "JPEG", quality=85, optimize=True)
    bukti.lanskap = [gambar.width > gambar.height]
    bukti.jenis = "gambar"
