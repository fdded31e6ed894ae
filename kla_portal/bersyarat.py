"""Conditional GET for pages read from a snapshot: a reload on a slow line costs a 304.

A page's ETag is a digest of everything it shows: its own data (given by the page, e.g. the
score snapshot and the year) and the frame every page shows this person (``bingkai``): who
they are, their permissions (hence their menu), their memberships (their agencies and
areas), the language, the unread-notification badge, the city served, the CSRF secret in the
page's forms (rotated when signing in again), the address with its query and today's date
(memberships run by day). A person never matches another's ETag: the person is part of it.
A page with a message waiting gets no ETag at all, so the message is shown, not swallowed by
a 304. Responses are ``Cache-Control: private, no-cache``: kept by the browser only, and
checked with the server every time.

The frame's figures are read once per request (``notifikasi_baru``, ``kabkota``): the
navigation bar (kla_portal.context_processors) shows the same ones, so an ETag adds no query.
"""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition

from agencies.models import Wilayah


def notifikasi_baru(request) -> int:
    """The bell's count (notices neither read nor done), counted once per request."""
    if not hasattr(request, "_notifikasi_baru"):
        request._notifikasi_baru = request.user.notifikasi.terbuka().count()
    return request._notifikasi_baru


def kabkota(request) -> Wilayah | None:
    """The city the person works for (the first one served for a visitor not signed in), read
    once per request."""
    if not hasattr(request, "_kabkota"):
        user = request.user
        request._kabkota = (
            user.daerah if user.is_authenticated else Wilayah.objects.kabkota_dilayani()
        )
    return request._kabkota


def bingkai(request) -> list | None:
    """What the frame of a page shows this person; None while a message waits to be shown."""
    if len(messages.get_messages(request)):
        return None
    user = request.user
    kota = kabkota(request)
    return [
        user.pk,
        user.get_full_name(),
        user.is_staff,
        user.is_demo,
        sorted(user.get_all_permissions()),
        sorted(
            (k.peran, k.opd_id, k.wilayah_id, k.opd.wilayah_id if k.opd else None)
            for k in user.keanggotaan_aktif
        ),
        get_language(),
        notifikasi_baru(request),
        kota and (kota.pk, kota.nama),
        _rahasia_csrf(request),
        request.get_full_path(),
        timezone.localdate().isoformat(),
    ]


def _rahasia_csrf(request) -> str:
    # get_token() makes the secret now when the browser has none yet, so the first page
    # and its reload carry the same one.
    get_token(request)
    return request.META["CSRF_COOKIE"]


def etag(*bagian) -> str:
    return hashlib.sha256(repr(bagian).encode()).hexdigest()[:32]


def halaman_bersyarat(etag_func):
    """A view answered 304 when ``etag_func(request, *args, **kwargs)`` matches the browser's
    If-None-Match (``etag_func`` returns None for no ETag); private to the browser."""

    def decorator(view):
        return cache_control(private=True, no_cache=True)(condition(etag_func=etag_func)(view))

    return decorator
