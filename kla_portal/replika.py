"""An optional read replica for the dashboards (``DATABASE_REPLICA_URL``).

Only the views marked ``@baca_replika`` (the dashboards: many reads, nothing written) read from
the replica; everything else, every write and every worker, uses the primary. A replica is a few
moments behind, so a person who has just written something (any POST, PUT, PATCH or DELETE)
reads from the primary for the next ``REPLIKA_SEMATKAN_DETIK`` seconds: a cookie carries that
across requests and hosts, and the rest of the writing request is pinned as well. Without a
replica the router is not installed and nothing here runs.
"""

from __future__ import annotations

import contextvars
import functools

from django.conf import settings

REPLIKA = "replika"
COOKIE = "kla_primer"

_baca_replika: contextvars.ContextVar[bool] = contextvars.ContextVar("baca_replika", default=False)


def baca_replika(view):
    """The view's reads go to the replica, unless the person has just written."""

    @functools.wraps(view)
    def bungkus(request, *args, **kwargs):
        if not settings.REPLIKA_ADA or request.COOKIES.get(COOKIE):
            return view(request, *args, **kwargs)
        token = _baca_replika.set(True)
        try:
            return view(request, *args, **kwargs)
        finally:
            _baca_replika.reset(token)

    return bungkus


class Router:
    """Reads of a ``@baca_replika`` view go to the replica; everything else to the primary."""

    def db_for_read(self, model, **hints):
        return REPLIKA if _baca_replika.get() else "default"

    def db_for_write(self, model, **hints):
        _baca_replika.set(False)  # whatever this request reads next, it reads what it wrote
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class SematkanMiddleware:
    """After a request that may write, the person reads from the primary for a while."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.REPLIKA_ADA and request.method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
            response.set_cookie(
                COOKIE,
                "1",
                max_age=settings.REPLIKA_SEMATKAN_DETIK,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
