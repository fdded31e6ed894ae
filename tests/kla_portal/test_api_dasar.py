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


# --- Idempotency-Key ------------------------------------------------------------------------

KUNCI = "tinjau-kunci-0123456789"


def _buat_token(client, nama="Skrip", kunci=KUNCI):
    return client.post(
        "/api/v1/token/",
        {"nama": nama, "akses": "baca"},
        "application/json",
        HTTP_IDEMPOTENCY_KEY=kunci,
    )


def test_a_write_that_fails_unexpectedly_frees_its_key(client, operator_dinkes, monkeypatch):
    from agencies import services
    from kla_portal.models import KunciKirim

    def rusak(**kwargs):
        raise RuntimeError("database gone")

    client.force_login(operator_dinkes)
    client.raise_request_exception = False
    with monkeypatch.context() as m:
        m.setattr(services, "token_buat", rusak)
        assert _buat_token(client).status_code == 500
    # Not "still running" for minutes: the retry with the same key is done at once.
    assert not KunciKirim.objects.filter(kunci=KUNCI).exists()
    assert _buat_token(client).status_code == 201


def test_the_same_key_of_another_person_never_replays_the_first_answer(
    client, operator_dinkes, operator_dinsos
):
    client.force_login(operator_dinkes)
    pertama = _buat_token(client, nama="Punya Dinkes")
    client.force_login(operator_dinsos)
    kedua = _buat_token(client, nama="Punya Dinsos")
    assert kedua.status_code == 201
    assert not kedua.has_header("Idempotent-Replayed")
    assert kedua.json()["nama"] == "Punya Dinsos" and kedua.json()["id"] != pertama.json()["id"]


def test_a_key_carries_its_fingerprint_from_the_moment_it_is_recorded(operator_dinkes):
    # A repeat arriving while the first request runs is told "still running" (409), never
    # "another request" (422) because the fingerprint was not written yet.
    from kla_portal import kirim_sekali

    klaim = kirim_sekali.kunci_klaim(user=operator_dinkes, kunci=KUNCI, jalur="api", sidik="ab")
    assert klaim.baru and klaim.kunci.sidik == "ab"
    ulang = kirim_sekali.kunci_klaim(user=operator_dinkes, kunci=KUNCI, jalur="api", sidik="ab")
    assert not ulang.baru and ulang.kunci.sidik == "ab"


def test_a_replay_carries_the_location_the_first_answer_had(client, operator_dinkes):
    from kla_portal import kirim_sekali

    client.force_login(operator_dinkes)
    pertama = _buat_token(client)
    kunci = kirim_sekali.KunciKirim.objects.get(kunci=KUNCI)
    kunci.respons["lokasi"] = "http://testserver/api/v1/token/1/"
    kunci.save(update_fields=["respons"])
    ulang = _buat_token(client)
    assert ulang["Idempotent-Replayed"] == "true"
    assert ulang.status_code == pertama.status_code == 201
    assert ulang["Location"] == "http://testserver/api/v1/token/1/"
