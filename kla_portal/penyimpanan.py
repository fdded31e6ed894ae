"""Where files live: the local media folder (the embedded default) or an S3-compatible object
store (``AWS_STORAGE_BUCKET_NAME`` set), always through Django's storage API, so that any web
host serves what another one received and any worker reads what a person uploaded.

An object store can be gone (unreachable, the bucket missing, keys refused). Then an upload is
refused with a message and nothing is written (kla_portal.berkas.simpan_berkas), a download or
a page that reads a file answers 503 with the same message (``PenyimpananMiddleware``), and
``/health/`` says so (``periksa``). Once the store is back everything is served again: nothing
about it is remembered between requests.
"""

import logging
import uuid

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from kla_portal.api import masalah_json

logger = logging.getLogger(__name__)

# What the object store's client raises when the store cannot be used: a connection refused or
# timed out, a missing bucket, keys it does not accept.
TIDAK_TERJANGKAU = (BotoCoreError, ClientError)


def pesan(*, menulis: bool = True) -> str:
    """What the person reads: a save refused (nothing changed), or a file that cannot be
    opened now."""
    if not menulis:
        return _(
            "Penyimpanan berkas sedang tidak dapat dijangkau, sehingga berkas ini belum dapat "
            "dibuka. Coba lagi beberapa menit lagi; bila terulang, hubungi admin."
        )
    return _(
        "Penyimpanan berkas sedang tidak dapat dijangkau; berkas tidak tersimpan dan tidak ada "
        "yang berubah. Coba lagi beberapa menit lagi; bila terulang, hubungi admin."
    )


def periksa() -> tuple[bool, str]:
    """Write a small file and delete it again: the store takes uploads. Returns (ok, detail)."""
    nama = f"kesehatan/{uuid.uuid4().hex}.txt"
    try:
        nama = default_storage.save(nama, ContentFile(b"ok"))
        default_storage.delete(nama)
    except TIDAK_TERJANGKAU as error:
        return False, _jenis(error)
    except OSError as error:
        return False, type(error).__name__
    return True, type(default_storage).__name__


def _jenis(error: Exception) -> str:
    """The error's kind as an operator reads it: NoSuchBucket, InvalidAccessKeyId, …"""
    if isinstance(error, ClientError):
        kode = str(error.response.get("Error", {}).get("Code") or type(error).__name__)
        # A HEAD request's answer has no body: only its status (403: the keys were refused).
        return f"HTTP {kode}" if kode.isdigit() else kode
    return type(error).__name__


class PenyimpananMiddleware:
    """A request that could not read or write the object store is answered 503 with what
    happened in Indonesian (a page, or problem JSON for the API), never a bare server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, TIDAK_TERJANGKAU):
            return None
        if _jenis(exception) in ("NoSuchKey", "HTTP 404"):
            # The store answers, the file is gone (deleted by hand): not an outage.
            raise Http404 from exception
        logger.error("Penyimpanan berkas tidak dapat dipakai: %s", _jenis(exception))
        teks = pesan(menulis=request.method not in ("GET", "HEAD"))
        if request.path.startswith("/api/"):
            return masalah_json(503, teks)
        return render(request, "503_penyimpanan.html", {"pesan": teks}, status=503)
