"""Checking uploaded files (evidence, decrees, certificates, minutes, photos): the kind is read
from the content, never from the name. Shared by every app, so it imports none of them.

Accepted: PDF, JPG, PNG, XLSX, DOCX. Refused with a message a person understands: an empty
file, a file over the size limit, a name that tries to leave its folder, and anything else
(SVG and HTML can carry scripts, executables can carry anything).

A PDF is opened and its active parts are cut out before it is stored (scripts, actions that
start programs or open files, embedded files, XFA forms, event actions); a PDF that cannot be
opened, or only with a password, cannot be checked and is refused. Downloads are served in a
sandbox, so even a file that slipped through cannot run script in the portal's origin.
"""

import errno
import hashlib
import io
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
from django.http import FileResponse, Http404
from django.utils._os import safe_makedirs
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from pypdf import PasswordType, PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

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
    catatan: str = ""  # what was removed from it, to tell the person


# PDF keys whose whole value is active content: event actions, document scripts, embedded
# files (the name tree and a file specification's stream), XFA forms.
KUNCI_AKTIF = {"/AA", "/JavaScript", "/EmbeddedFiles", "/EF", "/XFA"}
# What /S names in an action dictionary (ISO 32000-2, 12.6.4). Only the harmless kinds stay
# (see _aksi_aman); any other action is cut out wherever it hangs (/A, /OpenAction, /Next, /PA,
# name trees), so no viewer can be asked to run a script or start a program.
JENIS_AKSI = {
    "/GoTo", "/GoToR", "/GoToE", "/GoToDp", "/Launch", "/Thread", "/URI", "/Sound", "/Movie",
    "/Hide", "/Named", "/SubmitForm", "/ResetForm", "/ImportData", "/JavaScript", "/SetOCGState",
    "/Rendition", "/Trans", "/GoTo3DView", "/RichMediaExecute",
}  # fmt: skip
# Annotations that are themselves an attachment, media or 3D (which can carry script).
ANOTASI_AKTIF = {"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"}
SKEMA_AMAN = ("http://", "https://", "mailto:")


def _aksi_aman(aksi: DictionaryObject) -> bool:
    """A link to a page, a named viewer command, or a web/mail link. Everything else (scripts,
    launching programs, remote or embedded documents, form submission, media) is not."""
    jenis = aksi.get("/S")
    if jenis in ("/GoTo", "/Named"):
        return True
    if jenis == "/URI":
        return str(aksi.get("/URI", "")).strip().lower().startswith(SKEMA_AMAN)
    return False


def _aktif(nilai) -> bool:
    """An action that is not harmless, or an annotation that is an attachment or media."""
    nilai = nilai.get_object()
    if not isinstance(nilai, DictionaryObject):
        return False
    if nilai.get("/S") in JENIS_AKSI:
        return not _aksi_aman(nilai)
    return nilai.get("/Subtype") in ANOTASI_AKTIF and nilai.get("/Type", "/Annot") == "/Annot"


def _bagian_aktif(akar, *, buang: bool) -> tuple[int, set[tuple[int, int]]]:
    """Count the active parts reachable from ``akar`` (removing them when ``buang``); also
    returns the objects still reachable, which are all a clean copy needs."""
    ditemukan = 0
    dilihat: set[tuple[int, int]] = set()
    tumpukan = [akar]
    while tumpukan:
        obj = tumpukan.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in dilihat:
                continue
            dilihat.add((obj.idnum, obj.generation))
            obj = obj.get_object()
        if isinstance(obj, ArrayObject):
            aktif = [i for i, item in enumerate(list.__iter__(obj)) if _aktif(item)]
            ditemukan += len(aktif)
            if buang:
                for i in reversed(aktif):
                    del obj[i]
            tumpukan.extend(list.__iter__(obj))  # the raw items, indirect references kept
        elif isinstance(obj, DictionaryObject):
            for kunci in list(obj.keys()):
                if kunci in KUNCI_AKTIF or _aktif(dict.__getitem__(obj, kunci)):
                    ditemukan += 1
                    if buang:
                        del obj[kunci]
            tumpukan.extend(dict.values(obj))
    return ditemukan, dilihat


def bersihkan_pdf(berkas) -> str:
    """Cut the active parts out of an uploaded PDF, in place: the upload then holds a clean
    copy (its pages, text and images untouched). A PDF without them is kept byte for byte,
    so a signed document stays signed. Returns what to tell the person, or "".

    Refuses a PDF that cannot be opened, or only with a password: it cannot be checked (and
    the verifier and the evaluation bundle could not read it either). A PDF whose password only
    guards editing opens without one; when it must be cleaned, the clean copy has no password.
    """
    nama = berkas.name
    berkas.seek(0)
    try:
        reader = PdfReader(berkas)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise ValidationError(
                _(
                    "Berkas %(nama)s ditolak: PDF ini dikunci dengan kata sandi, sehingga "
                    "isinya tidak dapat diperiksa. Unggah salinan tanpa kata sandi."
                )
                % {"nama": nama}
            )
        if not _bagian_aktif(reader.trailer.raw_get("/Root"), buang=False)[0]:
            berkas.seek(0)
            return ""
        writer = PdfWriter(clone_from=reader)
        _ditemukan, tercapai = _bagian_aktif(writer.root_object.indirect_reference, buang=True)
        # The copy still holds every object of the original, the parts cut loose too (an
        # embedded program would still sit in the file): keep only what the document reaches.
        tercapai |= {(writer._info.indirect_reference.idnum, 0)} if writer._info else set()
        for nomor, _obj in enumerate(writer._objects, start=1):
            if (nomor, 0) not in tercapai:
                writer._objects[nomor - 1] = None
        bersih = io.BytesIO()
        writer.write(bersih)
    except ValidationError:
        raise
    except Exception:  # pypdf reports a broken file through many kinds (also zlib, struct)
        raise ValidationError(
            _(
                "Berkas %(nama)s ditolak: PDF ini rusak atau tidak dapat dibaca. Simpan ulang "
                "sebagai PDF lalu unggah lagi."
            )
            % {"nama": nama}
        ) from None
    _ganti_isi(berkas, bersih.getvalue())
    return _("Berkas PDF %(nama)s berisi skrip/lampiran tersembunyi; bagian itu dibuang.") % {
        "nama": nama
    }


def _ganti_isi(berkas, isi: bytes) -> None:
    """Replace the content of an upload (in memory, a temporary file or any file object), so
    whichever way the caller stores it next, the clean copy is what is stored."""
    try:
        berkas.file.seek(0)
        berkas.file.truncate()
        berkas.file.write(isi)
        berkas.file.flush()
    except (AttributeError, OSError, io.UnsupportedOperation):
        berkas.file = io.BytesIO(isi)
    berkas.size = len(isi)
    berkas.seek(0)


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
    catatan = bersihkan_pdf(berkas) if kind.mime == "application/pdf" else ""
    if catatan:
        berkas.catatan_keamanan = catatan  # told to the person by CatatanUnggahanMiddleware
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
        catatan=catatan,
    )


def simpan_lampiran(lampiran, berkas, by, *, info: BerkasDiperiksa | None = None):
    """Check an upload (unless ``info`` says it was) and store it as the evidence record
    ``lampiran`` (unsaved, its parent set): every evidence record (kla_portal.models.Lampiran)
    is kept this way."""
    info = info or periksa_berkas(berkas)
    lampiran.nama_asli = info.nama
    lampiran.jenis = info.jenis
    lampiran.ukuran = info.ukuran
    lampiran.sha256 = info.sha256
    lampiran.diunggah_oleh = by
    simpan_berkas(lampiran.berkas, f"unggahan.{info.ekstensi}", berkas)
    lampiran._history_user = by
    lampiran.save()
    return lampiran


def simpan_lampiran_semua(baru, daftar, by) -> list:
    """Store uploads as new evidence records, ``baru()`` making each (unsaved, its parent
    set). Every file is checked before any is stored, so a refused one stores nothing; call it
    last in the write's transaction: a failure at any file (a full disk) removes the files
    stored before it, and the transaction takes back the records."""
    diperiksa = [(berkas, periksa_berkas(berkas)) for berkas in daftar]
    hasil = []
    with dibuang_bila_gagal() as tersimpan:
        for berkas, info in diperiksa:
            lampiran = simpan_lampiran(baru(), berkas, by, info=info)
            tersimpan.append(lampiran.berkas)
            hasil.append(lampiran)
    return hasil


# A storage that cannot take the file: no space left, over the quota, over the size limit.
PENUH = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def simpan_berkas(berkas_field, nama: str, berkas) -> None:
    """Store an upload (checked before) in a FileField, the record saved by the caller in the
    same transaction. A full storage is told as a refusal the caller's form shows ("Penyimpanan
    penuh"), so the transaction rolls back and nothing changes; the storage leaves no partial
    file (PenyimpananBerkas). An object store that cannot be reached is refused the same way
    (S3 writes an object whole or not at all). The admin finds the cause in the log."""
    from kla_portal import penyimpanan

    try:
        berkas_field.save(nama, berkas, save=False)
    except penyimpanan.TIDAK_TERJANGKAU as error:
        # The object store is down, its bucket missing or its keys refused: S3 writes an
        # object whole or not at all, and the caller's transaction takes back the record.
        logger.error("Penyimpanan objek tidak dapat dipakai: %s", error)
        raise ValidationError(penyimpanan.pesan()) from error
    except OSError as error:
        if error.errno not in PENUH:
            raise
        logger.error("Penyimpanan berkas penuh: %s", error)
        raise ValidationError(
            _("Penyimpanan penuh; berkas tidak tersimpan. Hubungi admin.")
        ) from error


def simpan_berkas_kolom(
    instance, kolom: str, berkas, nama_file: str, tersimpan: list, *, info=None
) -> None:
    """Store an upload in the record's FileField ``kolom`` (its original name in
    ``<kolom>_nama``), checked here unless ``info`` says it was, noting it in ``tersimpan``
    (dibuang_bila_gagal) so that a failed save removes it again."""
    info = info or periksa_berkas(berkas)
    setattr(instance, f"{kolom}_nama", info.nama)
    simpan_berkas(getattr(instance, kolom), f"{nama_file}.{info.ekstensi}", berkas)
    tersimpan.append(getattr(instance, kolom))


def simpan_dengan_berkas_kolom(instance, *, by, kolom: str, berkas, nama_file: str) -> None:
    """Save ``instance`` (``by`` in its history) with its upload in ``kolom`` when there is
    one: a refused file or a failed save leaves no file behind."""
    instance._history_user = by
    with dibuang_bila_gagal() as tersimpan:
        if berkas is not None:
            simpan_berkas_kolom(instance, kolom, berkas, nama_file, tersimpan)
        instance.save()


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


def amankan_unduhan(response):
    """The headers every download of a file carries: never cached by a shared proxy, its kind
    never sniffed, and opened in a sandbox (a unique origin, no script), so a hostile file can
    never act as a page of the portal. Evidence, decrees, minutes, the bundle, report cards."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, max-age=0"
    return response


def respons_berkas(berkas, *, nama: str = "", jenis: str = "") -> FileResponse:
    """The download of a stored file, to be returned only after the permission check: PDF and
    images open in the browser, other kinds are saved; never cached, never sniffed, sandboxed.
    ``jenis`` (the MIME type read when it was checked) is guessed from the stored name when not
    kept."""
    jenis = jenis or mimetypes.guess_type(berkas.name)[0] or "application/octet-stream"
    inline = jenis in {"application/pdf", "image/jpeg", "image/png"}
    try:
        isi = berkas.open("rb")
    except FileNotFoundError:
        # The record stands, its file was removed from the storage by hand.
        raise Http404 from None
    response = FileResponse(
        isi,
        as_attachment=not inline,
        filename=nama or berkas.name.rsplit("/", 1)[-1],
        content_type=jenis,
    )
    return amankan_unduhan(response)


def respons_unduh(lampiran) -> FileResponse:
    """The download of an evidence record (its file, original name and checked kind)."""
    return respons_berkas(lampiran.berkas, nama=lampiran.nama_asli, jenis=lampiran.jenis)
