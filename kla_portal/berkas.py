"""Checking uploaded files (evidence, decrees, certificates, minutes, photos): the kind is read
from the content, never from the name. Shared by every app, so it imports none of them.

Accepted: PDF, JPG, PNG, XLSX, DOCX. Refused with a message a person understands: an empty
file, a file over the size limit, a name that tries to leave its folder, and anything else
(SVG and HTML can carry scripts, executables can carry anything).
"""

import errno
import hashlib
import logging
import mimetypes
import os
import uuid
from contextlib import contextmanager, suppress
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils._os import safe_makedirs
from django.utils.formats import number_format
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

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
    simpan_berkas(lampiran.berkas, f"unggahan.{info.ekstensi}", berkas)
    lampiran._history_user = by
    lampiran.save()
    return lampiran


# A storage that cannot take the file: no space left, over the quota, over the size limit.
PENUH = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def simpan_berkas(berkas_field, nama: str, berkas) -> None:
    """Store an upload (checked before) in a FileField, the record saved by the caller in the
    same transaction. A full storage is told as a refusal the caller's form shows ("Penyimpanan
    penuh"), so the transaction rolls back and nothing changes; the storage leaves no partial
    file (PenyimpananBerkas). The admin finds the cause in the log."""
    try:
        berkas_field.save(nama, berkas, save=False)
    except OSError as error:
        if error.errno not in PENUH:
            raise
        logger.error("Penyimpanan berkas penuh: %s", error)
        raise ValidationError(
            _("Penyimpanan penuh; berkas tidak tersimpan. Hubungi admin.")
        ) from error


class PenyimpananBerkas(FileSystemStorage):
    """The media folder, written so that a failed write leaves nothing behind.

    Django's own storage leaves the bytes written so far when the disk fills up mid-file, and
    its copy of a large upload's temporary file ignores short writes. Here every file is
    written, flushed and synced under its final name (created exclusively, so nothing else is
    ever overwritten) and removed again on any failure.
    """

    def _save(self, name, content):
        while True:
            full_path = self.path(name)
            directory = os.path.dirname(full_path)
            if self.directory_permissions_mode is not None:
                safe_makedirs(directory, self.directory_permissions_mode, exist_ok=True)
            else:
                os.makedirs(directory, exist_ok=True)
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            try:
                fd = os.open(full_path, flags, 0o666)
            except FileExistsError:
                name = self.get_available_name(name)
                continue
            break
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in content.chunks():
                    out.write(chunk.encode() if isinstance(chunk, str) else chunk)
                out.flush()
                os.fsync(out.fileno())  # a full disk may show only here (delayed allocation)
        except BaseException:
            with suppress(FileNotFoundError):
                os.remove(full_path)
            raise
        if self.file_permissions_mode is not None:
            os.chmod(full_path, self.file_permissions_mode)
        self._ensure_location_group_id(full_path)
        return os.path.relpath(full_path, self.location).replace("\\", "/")


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
