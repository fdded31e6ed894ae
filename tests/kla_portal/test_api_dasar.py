"""What every API endpoint shares: problem+json errors in the reader's language, pages, routes."""

import pytest

PROBLEM = "application/problem+json"


def test_another_agencys_id_is_a_404_problem_in_indonesian(client, operator_dinkes, dinsos):
    client.force_login(operator_dinkes)
    response = client.get(f"/api/v1/opd/{dinsos.pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json() == {
        "type": "about:blank",
        "title": "Tidak ditemukan",
        "status": 404,
        "detail": "Data ini tidak ada atau bukan bagian Anda.",
    }


def test_accept_language_english_gets_english(client, operator_dinkes, dinsos):
    client.force_login(operator_dinkes)
    response = client.get(f"/api/v1/opd/{dinsos.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["title"] == "Not found"
    assert response.json()["detail"] == "This does not exist or is not yours."


def test_anonymous_is_refused_with_a_problem(client, db):
    response = client.get("/api/v1/opd/")
    assert response.status_code in (401, 403)
    assert response["Content-Type"] == PROBLEM
    assert response.json()["status"] == response.status_code


def test_a_bad_filter_value_is_a_400_with_the_field(client, sekretariat):
    client.force_login(sekretariat)
    response = client.get("/api/v1/opd/?jenis=bukan-jenis")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert "jenis" in response.json()["errors"]


@pytest.mark.parametrize("ukuran, diharapkan", [("1", 1), ("500", 3)])
def test_page_size_is_chosen_up_to_its_limit(
    client, sekretariat, dinkes, dinsos, ukuran, diharapkan
):
    client.force_login(sekretariat)
    data = client.get(f"/api/v1/opd/?page_size={ukuran}").json()
    assert data["count"] == 3  # Dinkes, Dinsos and the secretariat's DP3A
    assert len(data["results"]) == diharapkan
