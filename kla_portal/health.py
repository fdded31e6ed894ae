"""Checks behind /health/: the database answers, the broker accepts a connection, a worker pings,
the file storage (media folder or object store) takes a file."""

import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import connections

from kla_portal.celery import app as celery_app


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str

    def as_dict(self) -> dict:
        return {"ok": self.ok, "detail": self.detail}


def check_database() -> Check:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any driver error means the database is not usable
        return Check(False, type(error).__name__)
    return Check(True, connections["default"].vendor)


def check_broker() -> Check:
    try:
        with celery_app.connection_for_write(connect_timeout=2) as connection:
            connection.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0, timeout=2
            )
            transport = connection.transport_cls
    except Exception as error:  # kombu raises driver-specific errors
        return Check(False, type(error).__name__)
    return Check(True, str(transport))


def check_worker() -> Check:
    """Send a ping task and wait for its answer: proves a worker consumes the default queue."""
    from kla_portal.tasks import ping

    timeout = settings.HEALTH_WORKER_TIMEOUT
    try:
        result = ping.apply_async(expires=timeout * 2)
        answer = result.get(timeout=timeout, propagate=True)
        result.forget()
    except Exception as error:  # a timeout or a broken backend both mean no worker answered
        return Check(False, type(error).__name__)
    return Check(answer == "pong", answer)


def check_storage() -> Check:
    """A small file written and deleted again: a missing bucket, refused keys or an object
    store that does not answer show here (their kind as the detail), as does a full disk."""
    from kla_portal import penyimpanan

    return Check(*penyimpanan.periksa())


def run_checks() -> dict[str, Check]:
    checks = {
        "database": check_database(),
        "broker": check_broker(),
        "storage": check_storage(),
    }
    if checks["broker"].ok:
        checks["worker"] = check_worker()
    else:
        checks["worker"] = Check(False, "broker tidak terjangkau")
    return checks


def health_token_valid(request) -> bool:
    """The request brings HEALTH_TOKEN (``Authorization: Bearer …`` or ``?token=…``); compared
    in constant time, so the token cannot be guessed a character at a time. No token
    configured: nobody gets in this way."""
    expected = settings.HEALTH_TOKEN
    if not expected:
        return False
    header = request.headers.get("Authorization", "")
    given = header[7:].strip() if header[:7].lower() == "bearer " else request.GET.get("token", "")
    return hmac.compare_digest(given.encode(), expected.encode())
