"""Checking uploaded files (evidence, decrees, certificates, minutes, photos): the kind is read
from the content, never from the name. Shared by every app, so it imports none of them.

Accepted: PDF, JPG, PNG, XLSX, DOCX. Refused with a message a person understands: an empty
file, a file over the size limit, a name that tries to leave its folder, and anything else
(SVG and HTML can carry scripts, executables can carry anything).
"""

import hashlib
import mimetypes
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

DITERIMA = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}


@dataclass(frozen=True)
class BerkasDiperiksa:
    nama: str
    jenis: str
    ekstensi: str
    ukuran: int
    sha256: str


def periksa_ukuran(berkas) -> None:
    """Refuse a file over UPLOAD_MAX_MB, saying how big it is and what the limit is."""
    batas = settings.UPLOAD_MAX_MB
    if berkas.size > batas * 1024 * 1024:
        raise ValidationError(
            _("Berkas %(nama)s terlalu besar (%(mb)s MB); batasnya %(batas)s MB.")
            % {
                "nama": berkas.name,
                "mb": number_format(berkas.size / 1024 / 1024, 1),  # 21,0 the Indonesian way
                "batas": batas,
            }
        )


def periksa_berkas(berkas) -> BerkasDiperiksa:
    """Check an uploaded file; returns what the portal stores about it or refuses it."""
    nama = berkas.name or ""
    if "/" in nama or "\\" in nama or ".." in nama or nama.startswith("."):
        raise ValidationError(
            _(
                "Nama berkas %(nama)s tidak diizinkan: jangan memakai garis miring atau "
                "titik dua kali."
            )
            % {"nama": nama}
        )
    if berkas.size == 0:
        raise ValidationError(_("Berkas %(nama)s kosong (0 bita).") % {"nama": nama})
    periksa_ukuran(berkas)
    berkas.seek(0)
    head = berkas.read(8192)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in DITERIMA:
        awal = head.lstrip()[:5].lower()
        if awal.startswith((b"<svg", b"<?xml", b"<html", b"<!doc", b"<scri")):
            alasan = _("berkas SVG/HTML dapat berisi skrip")
        elif head.startswith((b"MZ", b"\x7fELF", b"#!")) or (kind and kind.extension == "exe"):
            alasan = _("berkas program tidak boleh diunggah")
        else:
            alasan = _("isinya bukan PDF, JPG, PNG, XLSX atau DOCX")
        raise ValidationError(
            _("Berkas %(nama)s ditolak: %(alasan)s. Unggah PDF, JPG, PNG, XLSX atau DOCX.")
            % {"nama": nama, "alasan": alasan}
        )
    digest = hashlib.sha256()
    berkas.seek(0)
    for chunk in berkas.chunks():
        digest.update(chunk)
    berkas.seek(0)
    return BerkasDiperiksa(
        nama=nama[:255],
        jenis=kind.mime,
        ekstensi=DITERIMA[kind.mime],
        ukuran=berkas.size,
        sha256=digest.hexdigest(),
    )


def simpan_lampiran(lampiran, berkas, by):
    """Check an upload and store it as the evidence record ``lampiran`` (unsaved, its parent
    set): answers' evidence and RAD reports' evidence are kept the same way."""
    info = periksa_berkas(berkas)
    lampiran.nama_asli = info.nama
    lampiran.jenis = info.jenis
    lampiran.ukuran = info.ukuran
    lampiran.sha256 = info.sha256
    lampiran.diunggah_oleh = by
    lampiran.berkas.save(f"unggahan.{info.ekstensi}", berkas, save=False)
    lampiran._history_user = by
    lampiran.save()
    return lampiran


def lokasi_berkas(instance, nama: str) -> str:
    """Where an upload is kept: a folder per app and model, under a random name (the name a
    person gave never becomes a path). The upload_to of decrees, certificates, minutes, photos
    and follow-up evidence."""
    ekstensi = nama.rsplit(".", 1)[-1].lower()
    meta = instance._meta
    return f"{meta.app_label}/{meta.model_name}/{uuid.uuid4().hex}.{ekstensi}"


@contextmanager
def dibuang_bila_gagal():
    """Keep track of the files a write stores (append each stored FieldFile to the list this
    yields); when the block then fails, they are deleted again, so a refused or failed write
    leaves no file behind in storage. Check every upload (periksa_berkas) before the block."""
    tersimpan: list = []
    try:
        yield tersimpan
    except BaseException:
        for berkas in tersimpan:
            berkas.storage.delete(berkas.name)
        raise


def respons_berkas(berkas, *, nama: str = "", jenis: str = "") -> FileResponse:
    """The download of a stored file, to be returned only after the permission check: PDF and
    images open in the browser, other kinds are saved; never cached, never sniffed. ``jenis``
    (the MIME type read when it was checked) is guessed from the stored name when not kept."""
    jenis = jenis or mimetypes.guess_type(berkas.name)[0] or "application/octet-stream"
    inline = jenis in {"application/pdf", "image/jpeg", "image/png"}
    response = FileResponse(
        berkas.open("rb"),
        as_attachment=not inline,
        filename=nama or berkas.name.rsplit("/", 1)[-1],
        content_type=jenis,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=0"
    return response


def respons_unduh(lampiran) -> FileResponse:
    """The download of an evidence record (its file, original name and checked kind)."""
    return respons_berkas(lampiran.berkas, nama=lampiran.nama_asli, jenis=lampiran.jenis)
