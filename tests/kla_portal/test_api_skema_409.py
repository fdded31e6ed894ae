"""The documented 409 of a write shows both of its causes: a stale ``versi`` (with ``versi`` and
``sekarang``, the common one) and an ``Idempotency-Key`` still running, not the rarer alone."""

import pytest
from drf_spectacular.generators import SchemaGenerator

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def skema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_a_writes_409_shows_the_stale_version_and_the_running_key(skema):
    contoh = skema["paths"]["/api/v1/jawaban/{id}/submit/"]["post"]["responses"]["409"]
    contoh = contoh["content"][PROBLEM]["examples"]
    assert set(contoh) == {"versi", "kunci"}
    basi = contoh["versi"]["value"]
    assert basi["status"] == 409 and basi["versi"] == 3
    assert basi["sekarang"]["versi"] == 3
    assert basi["detail"].startswith("Data ini sudah diubah oleh")
    assert contoh["kunci"]["value"]["detail"].startswith("Permintaan dengan kunci ini")
