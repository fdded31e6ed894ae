"""Contract tests: every operation of the app's OpenAPI schema, against the demo data.

Schemathesis takes the schema /api/schema/ serves, generates requests for every operation in
it (valid and invalid: wrong types, unknown values, odd ids and bodies) and sends them through
the app's WSGI handler, middleware and all (no server). Each answer is checked: never a 5xx, a
documented status code and content type, and a body that matches the documented schema
(problems included: kla_portal.skema). An endpoint added later is tested as soon as it is in
the schema. Writes run too, inside each test's transaction (rolled back).

The demo (``muat_demo``, a minute or more) is loaded once for the module, in a transaction of
its own rolled back at the end. ``KLA_KONTRAK_CONTOH`` sets the examples per operation and
role (default 4, for CI: a hundred operations take a few minutes).
"""

import functools
import json
import os
import uuid
from io import StringIO

import pytest
import schemathesis
from django.core.cache import cache
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client, override_settings
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from agencies.models import User
from kla_portal import kirim_sekali
from kla_portal.api import HEADER_KUNCI
from kla_portal.wsgi import application

CONTOH = int(os.environ.get("KLA_KONTRAK_CONTOH", "4"))
PERIKSA = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# A CSRF secret of our own, sent as the cookie and the header (a session's writes need both).
CSRF = "kontrakKontrakKontrakKontrak1234"


@pytest.fixture(scope="module")
def _media_demo(tmp_path_factory):
    return tmp_path_factory.mktemp("media-demo")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, _media_demo):
    """The demo's evidence files stay where the demo put them (tests/conftest.py gives each
    test a new folder)."""
    settings.MEDIA_ROOT = _media_demo


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, _media_demo):
    hasher = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=_media_demo, PASSWORD_HASHERS=hasher),
        transaction.atomic(),
    ):
        call_command("muat_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)
    cache.clear()


@pytest.fixture
def kue(demo, db):
    """The cookies of a request of a role (a demo username; None: nobody logged in): its
    session and the CSRF secret."""

    @functools.cache
    def kue_dari(username):
        if username is None:
            return {"csrftoken": CSRF}
        client = Client()
        client.force_login(User.objects.get(username=username))
        return {"csrftoken": CSRF, "sessionid": client.cookies["sessionid"].value}

    return kue_dari


def _skema_aplikasi() -> dict:
    """The schema of the app's routes, as ``manage.py spectacular`` writes it and /api/schema/
    serves it (tests/kla_portal/test_api_skema.py checks both), made at collection: the
    parametrization needs its operations then, and no database is open yet."""
    return SchemaGenerator().get_schema(request=None, public=True)


skema = schemathesis.openapi.from_dict(json.loads(json.dumps(_skema_aplikasi(), default=str)))
skema.app = application  # called through the WSGI handler, middleware and all


@pytest.fixture(autouse=True)
def _data_demo(demo, db):
    """Each operation's examples run in a transaction of their own, over the demo. The WSGI
    handler would close the connection at the end of each request, and with it the test's
    transaction: as Django's test client does, the requests leave it open."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _kepala(case) -> dict:
    """The CSRF header, and a fresh Idempotency-Key where a valid one was generated: examples
    sharing a generated key would mostly test the key's refusal (422), not the write."""
    kepala = {"X-CSRFToken": CSRF}
    kunci = (case.headers or {}).get(HEADER_KUNCI)
    if isinstance(kunci, str) and kirim_sekali.FORMAT.fullmatch(kunci):
        kepala[HEADER_KUNCI] = str(uuid.uuid4())
    return kepala


def _hipotesis(contoh):
    return settings(
        max_examples=contoh,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )


@skema.parametrize()
@pytest.mark.parametrize(
    "peran",
    # City-wide writes, one agency's operator, a city-wide reader.
    ["sekretariat", "operator.dinkes", "pimpinan"],
)
@_hipotesis(CONTOH)
def test_every_operation_keeps_its_contract(case, peran, kue):
    response = case.call_and_validate(headers=_kepala(case), cookies=kue(peran), checks=PERIKSA)
    # The session's writes pass the CSRF check: a refusal here is the test's, not the API's.
    assert not (response.status_code == 403 and "CSRF" in response.text), response.text


@skema.parametrize()
@_hipotesis(2)
def test_every_operation_refuses_nobody_logged_in_by_its_contract(case, kue):
    response = case.call_and_validate(headers=_kepala(case), cookies=kue(None), checks=PERIKSA)
    # Refused (401/403), or not even understood (a route or a body that does not parse).
    assert 400 <= response.status_code < 500, response.status_code
