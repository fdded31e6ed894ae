"""The cache as a help, never a need: when it does not answer (Redis down, a full disk under
the file cache), each call logs one line and answers as if the key were absent, so a page
draws its chart again and a save still goes through. Every use of the cache goes through here.
"""

from __future__ import annotations

import logging

from django.core.cache import cache

log = logging.getLogger(__name__)


def _coba(operasi: str, kunci: str, fungsi, *args, gagal=None):
    try:
        return fungsi(kunci, *args)
    except Exception as error:  # each backend raises its own errors (redis, OSError, ...)
        log.warning("Cache tidak tersedia (%s %s): %s; lanjut tanpa cache", operasi, kunci, error)
        return gagal


def cache_get(kunci: str, default=None):
    return _coba("get", kunci, cache.get, default, gagal=default)


def cache_set(kunci: str, nilai, timeout: int) -> None:
    _coba("set", kunci, cache.set, nilai, timeout)


def cache_add(kunci: str, nilai, timeout: int) -> bool | None:
    """True if the key was added, False if it was there, None if the cache did not answer."""
    return _coba("add", kunci, cache.add, nilai, timeout)


def cache_delete(kunci: str) -> None:
    _coba("delete", kunci, cache.delete)
