"""A checked upload kept between its preview and its confirmation.

The file waits under MEDIA_ROOT with a random name; the person's session holds that name (the
token) and what the preview saw. The confirmation must bring the same token: a second click,
a stale tab or another person's token finds nothing and is refused. Previews never confirmed
are removed after a day.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

FOLDER = "impor-sementara"
UMUR = 24 * 60 * 60


@dataclass(frozen=True)
class Pratinjau:
    nama: str  # the name the person gave the file
    isi: bytes
    data: dict  # what the preview saw, to compare at confirmation


def _folder() -> Path:
    return Path(settings.MEDIA_ROOT) / FOLDER


def simpan(request, kunci: str, *, nama: str, isi: bytes, **data) -> str:
    """Keep a checked file for ``kunci`` (one pending preview per key and session)."""
    token = secrets.token_hex(16)
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    batas = time.time() - UMUR
    for path in folder.iterdir():
        if path.stat().st_mtime < batas:
            path.unlink(missing_ok=True)
    (folder / token).write_bytes(isi)
    request.session[kunci] = {"token": token, "nama": nama, "data": data}
    return token


def ambil(request, kunci: str, token: str | None) -> Pratinjau | None:
    """Take the kept file once: it is removed whatever happens next. None when the token is
    not the session's pending one or the file is gone."""
    pending = request.session.pop(kunci, None) or {}
    path = _folder() / str(pending.get("token", "-"))
    if not token or pending.get("token") != token or not path.is_file():
        return None
    try:
        return Pratinjau(nama=pending["nama"], isi=path.read_bytes(), data=pending.get("data", {}))
    finally:
        path.unlink(missing_ok=True)
