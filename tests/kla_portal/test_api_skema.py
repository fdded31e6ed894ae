"""The OpenAPI document: valid, without a warning, and every operation lists its problems.

An endpoint added without a clean schema (a serializer drf-spectacular cannot read, a
missing type hint, a path parameter it cannot type) fails here.
"""

import json

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator

from kla_portal.api import METODE_TULIS

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def skema(tmp_path_factory):
    berkas = tmp_path_factory.mktemp("skema") / "skema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(berkas))
    return yaml.safe_load(berkas.read_text())


def _operasi(skema):
    for jalur, isi in skema["paths"].items():
        for metode, operasi in isi.items():
            if metode.upper() in {"GET", "POST", "PUT", "PATCH", "DELETE"}:
                yield jalur, metode.upper(), operasi


def test_the_schema_is_valid_and_generates_without_a_warning(skema):
    assert skema["openapi"].startswith("3.")
    assert "/api/v1/opd/" in skema["paths"]


def test_every_operation_lists_its_problems_as_problem_json(skema):
    masalah = skema["components"]["schemas"]["Masalah"]
    assert set(masalah["required"]) == {"type", "title", "status", "detail"}
    assert {"errors", "versi", "sekarang"} <= set(masalah["properties"])
    for jalur, metode, operasi in _operasi(skema):
        harus = {"400", "401", "403", "404", "429"}
        if metode in METODE_TULIS:
            harus |= {"409", "415", "422"}
        for kode in harus:
            jawaban = operasi["responses"].get(kode)
            assert jawaban, f"{metode} {jalur}: {kode} tidak ada"
            assert jawaban["content"][PROBLEM]["schema"] == {
                "$ref": "#/components/schemas/Masalah"
            }, f"{metode} {jalur} {kode}"


def test_every_write_takes_an_idempotency_key(skema):
    for jalur, metode, operasi in _operasi(skema):
        kunci = [p for p in operasi.get("parameters", []) if p["name"] == "Idempotency-Key"]
        if metode in METODE_TULIS:
            assert len(kunci) == 1 and kunci[0]["in"] == "header", f"{metode} {jalur}"
        else:
            assert not kunci, f"{metode} {jalur}"


def test_the_schema_is_served_to_a_logged_in_user_in_their_language(client, operator_dinkes):
    assert client.get("/api/schema/").status_code in (401, 403)
    client.force_login(operator_dinkes)
    response = client.get("/api/schema/?format=json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    opd = response.json()["paths"]["/api/v1/opd/{id}/"]["get"]["responses"]
    assert opd["404"]["description"] == "Not found"


def test_the_documentation_pages_are_for_logged_in_users(client, operator_dinkes):
    for alamat in ("/api/docs/", "/api/redoc/"):
        response = client.get(alamat)
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
    client.force_login(operator_dinkes)
    swagger = client.get("/api/docs/")
    assert swagger.status_code == 200
    assert "unsafe-inline" not in swagger["Content-Security-Policy"]
    assert "worker-src" not in swagger["Content-Security-Policy"]
    skrip = client.get("/api/docs/?script=")
    assert skrip["Content-Type"].startswith("application/javascript")
    redoc = client.get("/api/redoc/")
    kebijakan = redoc["Content-Security-Policy"]
    assert "worker-src blob:" in kebijakan and "'nonce-" in kebijakan
    assert "unsafe-inline" not in kebijakan
    # The rest of the site keeps its policy.
    assert "nonce" not in client.get("/")["Content-Security-Policy"]


def test_api_tokens_are_a_bearer_scheme_of_every_operation(skema):
    skema_token = skema["components"]["securitySchemes"]["tokenApi"]
    assert (skema_token["type"], skema_token["scheme"]) == ("http", "bearer")
    for jalur, metode, operasi in _operasi(skema):
        assert {"tokenApi": []} in operasi["security"], f"{metode} {jalur}"


def test_an_address_under_api_that_matches_no_route_is_a_404_problem(client, db):
    response = client.get("/api/v1/bukan-endpoint/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json() == {
        "type": "about:blank",
        "title": "Not found",
        "status": 404,
        "detail": "This address does not exist in the API.",
    }
    # The site's own pages keep their 404 page.
    halaman = client.get("/bukan-halaman/")
    assert halaman.status_code == 404 and halaman["Content-Type"].startswith("text/html")


def test_a_temporary_password_is_refused_with_a_problem(client, operator_dinkes):
    operator_dinkes.wajib_ganti_sandi = True
    operator_dinkes.save(update_fields=["wajib_ganti_sandi"])
    client.force_login(operator_dinkes)
    response = client.get("/api/v1/saya/")
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == (
        "Ganti kata sandi sementara Anda di portal terlebih dahulu."
    )


def test_the_served_schema_is_the_one_the_contract_tests_use(client, sekretariat):
    """test_api_kontrak.py makes the schema at collection, without a request."""
    client.force_login(sekretariat)
    disajikan = client.get("/api/schema/?format=json").json()
    dibuat = json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True)))
    assert disajikan == dibuat


def test_a_body_django_cannot_read_under_api_is_a_400_problem(client, sekretariat):
    client.force_login(sekretariat)
    response = client.post(
        "/api/v1/opd/", data=b"x", content_type="multipart/form-data", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == "The request's body cannot be read."
