"""Attacks on signing in to the API: the token where it does not belong, odd headers, a token
revoked between two requests, two identities at once, and the rate limit on writes. Each is
refused with a problem+json in Indonesian, or shown to be harmless; nothing is written."""

import json
from decimal import Decimal

import pytest
from django.test import Client

from agencies import services
from agencies.models import TokenApi
from clusters import services as clusters_services
from clusters.models import Jawaban
from kla_portal.models import KunciKirim

PROBLEM = "application/problem+json"
TIDAK_DIKENAL = (
    "Token API tidak dikenal. Periksa tokennya, atau buat token baru di halaman Akun saya."
)


@pytest.fixture
def klien():
    return Client(raise_request_exception=False)


@pytest.fixture
def tulis(operator_dinkes):
    return services.token_buat(user=operator_dinkes, nama="Skrip", akses="tulis")[1]


@pytest.fixture
def baca(operator_dinkes):
    return services.token_buat(user=operator_dinkes, nama="Dasbor", akses="baca")[1]


@pytest.fixture
def jawaban(operator_dinkes, soal_dinkes) -> Jawaban:
    return clusters_services.jawaban_simpan(
        pertanyaan=soal_dinkes, by=operator_dinkes, versi=0, fraksi=Decimal("0.5")
    )


def _masalah(response, status: int) -> dict:
    assert response.status_code == status, response.content[:400]
    assert response["Content-Type"] == PROBLEM
    return response.json()


def _baris(jawaban) -> dict:
    return Jawaban.objects.filter(pk=jawaban.pk).values().get()


def _patch(klien, jawaban, **extra):
    body = json.dumps({"versi": jawaban.versi, "catatan": "diubah penyerang"})
    return klien.patch(
        f"/api/v1/jawaban/{jawaban.pk}/", body, content_type="application/json", **extra
    )


@pytest.mark.django_db
def test_a_token_in_the_query_string_signs_nobody_in(klien, tulis, jawaban):
    sebelum = _baris(jawaban)
    for nama in ("token", "access_token", "auth", "Authorization"):
        assert _masalah(klien.get(f"/api/v1/saya/?{nama}={tulis}"), 401)["status"] == 401
        body = json.dumps({"versi": jawaban.versi, "catatan": "x"})
        url = f"/api/v1/jawaban/{jawaban.pk}/?{nama}={tulis}"
        _masalah(klien.patch(url, body, content_type="application/json"), 401)
    assert _baris(jawaban) == sebelum


@pytest.mark.django_db
def test_a_token_in_a_form_field_or_cookie_signs_nobody_in(klien, tulis, jawaban):
    sebelum = _baris(jawaban)
    klien.cookies["token"] = tulis
    body = json.dumps({"versi": jawaban.versi, "catatan": "x", "token": tulis})
    _masalah(
        klien.patch(f"/api/v1/jawaban/{jawaban.pk}/", body, content_type="application/json"),
        401,
    )
    assert _baris(jawaban) == sebelum


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header", ["Bearer {t}   ", "  Bearer {t}", "bearer {t}", "BEARER {t}", "Bearer\t{t}"]
)
def test_spacing_and_the_schemes_case_are_forgiven(klien, tulis, operator_dinkes, header):
    """RFC 9110 §11.1: the scheme is case-insensitive; whitespace around it is not a second
    credential. The token still has to match in full."""
    response = klien.get("/api/v1/saya/", HTTP_AUTHORIZATION=header.format(t=tulis))
    assert response.status_code == 200
    assert response.json()["username"] == operator_dinkes.username


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header",
    [
        "Bearer {t}, Bearer {t}",  # two Authorization headers, as a proxy joins them
        "Bearer {t} {t}",
        "Bearer {t}x",
        "Bearer {t}\u00a0",
        "Bearer kla__",
        "Bearer kla_{awalan}_",
        "Bearer kla_%_%",
        "Bearer " + "kla_" + "a" * 5000 + "_b",
        "Bearer {t_sesudah_nul}",
    ],
)
def test_a_mangled_header_is_a_401(klien, tulis, jawaban, header):
    sebelum = _baris(jawaban)
    awalan = tulis.split("_")[1]
    nilai = header.format(t=tulis, awalan=awalan, t_sesudah_nul=tulis[:-1] + "\x00")
    for response in (
        klien.get("/api/v1/saya/", HTTP_AUTHORIZATION=nilai),
        _patch(klien, jawaban, HTTP_AUTHORIZATION=nilai),
    ):
        assert _masalah(response, 401)["detail"]
        assert response["WWW-Authenticate"] == "Bearer"
    assert _baris(jawaban) == sebelum


@pytest.mark.django_db
def test_a_token_revoked_between_two_requests_stops_at_once(klien, tulis, jawaban):
    assert klien.get("/api/v1/saya/", HTTP_AUTHORIZATION=f"Bearer {tulis}").status_code == 200
    token = TokenApi.objects.get(awalan=tulis.split("_")[1])
    services.token_cabut(token=token, by=token.user)
    sebelum = _baris(jawaban)
    body = _masalah(_patch(klien, jawaban, HTTP_AUTHORIZATION=f"Bearer {tulis}"), 401)
    assert body["detail"] == "Token API ini sudah dicabut."
    assert _baris(jawaban) == sebelum


@pytest.mark.django_db
def test_a_token_of_a_person_made_inactive_stops_at_once(klien, tulis, jawaban, operator_dinkes):
    assert klien.get("/api/v1/saya/", HTTP_AUTHORIZATION=f"Bearer {tulis}").status_code == 200
    operator_dinkes.is_active = False
    operator_dinkes.save(update_fields=["is_active"])
    sebelum = _baris(jawaban)
    body = _masalah(_patch(klien, jawaban, HTTP_AUTHORIZATION=f"Bearer {tulis}"), 401)
    assert body["detail"] == "Akun pemilik token ini tidak aktif."
    assert _baris(jawaban) == sebelum


@pytest.mark.django_db
@pytest.mark.parametrize(
    "metode, aksi, data",
    [
        ("patch", "", {"catatan": "x"}),
        ("put", "", {"catatan": "x"}),
        ("post", "submit/", {}),
        ("post", "return/", {"alasan": "x"}),
        ("post", "verify/", {}),
    ],
)
def test_a_read_only_token_changes_nothing(klien, baca, jawaban, metode, aksi, data):
    sebelum = _baris(jawaban)
    riwayat = Jawaban.history.filter(id=jawaban.pk).count()
    response = getattr(klien, metode)(
        f"/api/v1/jawaban/{jawaban.pk}/{aksi}",
        json.dumps({"versi": jawaban.versi, **data}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {baca}",
        HTTP_IDEMPOTENCY_KEY="baca-saja-0123456789",
    )
    assert _masalah(response, 403)["detail"].startswith("Token ini hanya untuk membaca.")
    assert _baris(jawaban) == sebelum
    assert Jawaban.history.filter(id=jawaban.pk).count() == riwayat
    assert not KunciKirim.objects.exists()  # the refusal holds no key


@pytest.mark.django_db
def test_a_read_only_token_beside_a_session_still_cannot_write(
    klien, baca, jawaban, operator_dinkes
):
    """The token is read first: with it, the session's wider rights do not count."""
    klien.force_login(operator_dinkes)
    sebelum = _baris(jawaban)
    response = _patch(klien, jawaban, HTTP_AUTHORIZATION=f"Bearer {baca}")
    assert _masalah(response, 403)["detail"].startswith("Token ini hanya untuk membaca.")
    assert _baris(jawaban) == sebelum


@pytest.mark.django_db
def test_a_bad_token_beside_a_session_is_a_401_not_the_session(klien, jawaban, operator_dinkes):
    klien.force_login(operator_dinkes)
    sebelum = _baris(jawaban)
    response = _patch(klien, jawaban, HTTP_AUTHORIZATION="Bearer kla_deadbeef_salah")
    assert _masalah(response, 401)["detail"] == TIDAK_DIKENAL
    assert _baris(jawaban) == sebelum


@pytest.mark.django_db
def test_the_token_wins_over_another_persons_session(klien, tulis, operator_dinkes, sekretariat):
    klien.force_login(sekretariat)
    response = klien.get("/api/v1/saya/", HTTP_AUTHORIZATION=f"Bearer {tulis}")
    assert response.json()["username"] == operator_dinkes.username
    # A token's write needs no CSRF token (no cookie carries it), a session's does.
    csrf = Client(enforce_csrf_checks=True, raise_request_exception=False)
    csrf.force_login(sekretariat)
    assert csrf.get("/api/v1/saya/", HTTP_AUTHORIZATION=f"Bearer {tulis}").status_code == 200


@pytest.mark.django_db
def test_a_basic_header_falls_back_to_nothing(klien, jawaban):
    sebelum = _baris(jawaban)
    response = _patch(klien, jawaban, HTTP_AUTHORIZATION="Basic b3BlcmF0b3I6c2FuZGk=")
    _masalah(response, 401)
    assert _baris(jawaban) == sebelum


@pytest.fixture
def batas_kecil(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "serangan-batas",
        }
    }
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_baca": "100/min", "api_tulis": "2/min"},
    }


@pytest.mark.django_db
def test_writes_over_the_limit_are_429_and_write_nothing(klien, batas_kecil, tulis, jawaban):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {tulis}"}
    for _i in range(2):  # two refusals (stale version) use up the limit
        assert klien.patch(
            f"/api/v1/jawaban/{jawaban.pk}/",
            json.dumps({"versi": 999, "catatan": "x"}),
            content_type="application/json",
            **auth,
        ).status_code in (400, 409)
    jawaban.refresh_from_db()
    sebelum = _baris(jawaban)
    response = _patch(klien, jawaban, HTTP_IDEMPOTENCY_KEY="batas-kunci-0123456789", **auth)
    body = _masalah(response, 429)
    assert body["detail"].startswith("Terlalu banyak permintaan.")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert _baris(jawaban) == sebelum
    assert not KunciKirim.objects.exists()  # the key is free for the retry
    # Token creation is a write too: no token minted past the limit.
    jumlah = TokenApi.objects.count()
    response = klien.post(
        "/api/v1/token/", {"nama": "x", "akses": "tulis"}, content_type="application/json", **auth
    )
    _masalah(response, 429)
    assert TokenApi.objects.count() == jumlah
    # Reads are counted apart and still go through.
    assert klien.get("/api/v1/saya/", **auth).status_code == 200


@pytest.mark.django_db
def test_a_new_session_does_not_reset_a_persons_limit(batas_kecil, operator_dinkes, jawaban):
    for _i in range(2):
        c = Client(raise_request_exception=False)
        c.force_login(operator_dinkes)
        c.patch(
            f"/api/v1/jawaban/{jawaban.pk}/",
            json.dumps({"versi": 999}),
            content_type="application/json",
        )
    c = Client(raise_request_exception=False)
    c.force_login(operator_dinkes)
    jawaban.refresh_from_db()
    sebelum = _baris(jawaban)
    _masalah(_patch(c, jawaban, HTTP_X_FORWARDED_FOR="10.9.8.7"), 429)
    assert _baris(jawaban) == sebelum
