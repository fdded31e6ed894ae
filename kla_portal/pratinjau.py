"""A checked upload kept between its preview and its confirmation.

The file waits in the portal's storage (the media folder, or the object store shared by every
web host, so the preview may be seen on one host and confirmed on another) under a random name;
the person's session holds that name (the token) and what the preview saw. The confirmation
must bring the same token: a second click, a stale tab or another person's token finds nothing
and is refused. Previews never confirmed are removed after a day (the stored name starts with
the time it was kept, so finding them needs no look at each file).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

FOLDER = "impor-sementara"
UMUR = 24 * 60 * 60


@dataclass(frozen=True)
class Pratinjau:
    nama: str  # the name the person gave the file
    isi: bytes
    data: dict  # what the preview saw, to compare at confirmation


def _nama(token: str) -> str:
    return f"{FOLDER}/{token}"


def _buang_yang_lama() -> None:
    batas = time.time() - UMUR
    try:
        _folders, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return
    for nama in files:
        dibuat = nama.split("-", 1)[0]
        if dibuat.isdigit() and int(dibuat) < batas:
            default_storage.delete(_nama(nama))


def simpan(request, kunci: str, *, nama: str, isi: bytes, **data) -> str:
    """Keep a checked file for ``kunci`` (one pending preview per key and session)."""
    _buang_yang_lama()
    token = f"{int(time.time())}-{secrets.token_hex(16)}"
    default_storage.save(_nama(token), ContentFile(isi))
    request.session[kunci] = {"token": token, "nama": nama, "data": data}
    return token


def ambil(request, kunci: str, token: str | None) -> Pratinjau | None:
    """Take the kept file once: it is removed whatever happens next. None when the token is
    not the session's pending one or the file is gone."""
    pending = request.session.pop(kunci, None) or {}
    if not token or pending.get("token") != token:
        return None
    try:
        with default_storage.open(_nama(token), "rb") as berkas:
            isi = berkas.read()
    except FileNotFoundError:
        return None
    finally:
        default_storage.delete(_nama(token))
    return Pratinjau(nama=pending["nama"], isi=isi, data=pending.get("data", {}))
