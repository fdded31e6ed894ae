"""Personal API tokens: made and shown once, stored hashed, Bearer sign-in scoped by the
owner's roles, revoked or expired tokens refused, read-only tokens kept from writing, rate
limits per token, and /api/v1/token/ for one's own tokens only."""

import datetime
import hashlib

import pytest
from django.core.cache.backends.base import BaseCache
from django.utils import timezone

from agencies import services
from agencies.models import TokenApi

PROBLEM = "application/problem+json"
PERAN = [
    "operator_dinkes",
    "operator_dinsos",
    "kepala_dinkes",
    "sekretariat",
    "bappeda",
    "pimpinan",
    "operator_kasemen",
]


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def token_tulis(operator_dinkes):
    return services.token_buat(user=operator_dinkes, nama="Skrip impor", akses="tulis")


@pytest.fixture
def token_baca(operator_dinkes):
    return services.token_buat(user=operator_dinkes, nama="Dasbor", akses="baca")


def _masalah_401(response, detail: str):
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["status"] == 401
    assert response.json()["detail"] == detail


# --- Made once, stored hashed -------------------------------------------------------------


def test_only_the_hash_of_the_token_is_stored(token_tulis):
    baris, rahasia = token_tulis
    assert rahasia.startswith(f"kla_{baris.awalan}_")
    assert len(rahasia) > 40
    baris.refresh_from_db()
    assert baris.hash == hashlib.sha256(rahasia.encode()).hexdigest()
    disimpan = [str(v) for v in TokenApi.objects.values_list().get(pk=baris.pk)]
    assert not any(rahasia.split("_", 2)[2] in nilai for nilai in disimpan)


def test_creating_through_the_api_shows_the_token_once(client, operator_dinkes):
    client.force_login(operator_dinkes)
    response = client.post(
        "/api/v1/token/", {"nama": "Dasbor", "akses": "baca"}, content_type="application/json"
    )
    assert response.status_code == 201
    rahasia = response.json()["token"]
    baris = TokenApi.objects.get(pk=response.json()["id"])
    assert baris.user == operator_dinkes and baris.akses == "baca"
    assert baris.hash == hashlib.sha256(rahasia.encode()).hexdigest()
    daftar = client.get("/api/v1/token/").json()["results"]
    assert [t["awalan"] for t in daftar] == [baris.awalan]
    assert "token" not in daftar[0] and "hash" not in daftar[0]
    assert "token" not in client.get(f"/api/v1/token/{baris.pk}/").json()


def test_bad_input_makes_no_token(client, operator_dinkes):
    client.force_login(operator_dinkes)
    for data in (
        {"nama": "  ", "akses": "baca"},
        {"nama": "x", "akses": "admin"},
        {"nama": "x", "akses": "baca", "user": 1},
        {"nama": "x", "akses": "baca", "kedaluwarsa": "2001-01-01T00:00:00Z"},
    ):
        response = client.post("/api/v1/token/", data, content_type="application/json")
        assert response.status_code == 400, data
        assert response["Content-Type"] == PROBLEM
    assert not TokenApi.objects.exists()


def test_session_writes_keep_their_csrf_check(operator_dinkes):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(operator_dinkes)
    response = client.post(
        "/api/v1/token/", {"nama": "x", "akses": "baca"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not TokenApi.objects.exists()


# --- Signing in with a token --------------------------------------------------------------


def test_bearer_token_signs_in_as_its_owner(client, token_baca, operator_dinkes):
    _baris, rahasia = token_baca
    response = client.get("/api/v1/saya/", **bearer(rahasia))
    assert response.status_code == 200
    assert response.json()["username"] == operator_dinkes.username


def test_the_owners_roles_scope_a_token(client, operator_dinkes, sekretariat, dinkes, dinsos):
    _b, milik_operator = services.token_buat(user=operator_dinkes, nama="a", akses="baca")
    _b, milik_sekretariat = services.token_buat(user=sekretariat, nama="b", akses="baca")
    assert client.get(f"/api/v1/opd/{dinsos.pk}/", **bearer(milik_operator)).status_code == 404
    assert client.get(f"/api/v1/opd/{dinkes.pk}/", **bearer(milik_operator)).status_code == 200
    assert client.get(f"/api/v1/opd/{dinsos.pk}/", **bearer(milik_sekretariat)).status_code == 200


def test_anonymous_gets_401_with_www_authenticate(client, db):
    response = client.get("/api/v1/saya/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response["Content-Type"] == PROBLEM


@pytest.mark.parametrize(
    "rusak",
    ["kla_00000000_salah", "bukan-token", "kla__", "kla_{awalan}_salah", "{rahasia}x"],
)
def test_unknown_token_is_401(client, token_tulis, rusak):
    baris, rahasia = token_tulis
    teks = rusak.format(awalan=baris.awalan, rahasia=rahasia)
    _masalah_401(
        client.get("/api/v1/saya/", **bearer(teks)),
        "Token API tidak dikenal. Periksa tokennya, atau buat token baru di halaman Akun saya.",
    )


def test_a_malformed_header_is_401(client, token_tulis):
    _b, rahasia = token_tulis
    response = client.get("/api/v1/saya/", HTTP_AUTHORIZATION=f"Bearer {rahasia} lagi")
    assert response.status_code == 401
    assert "Bearer <token>" in response.json()["detail"]


def test_revoked_token_is_401(client, token_tulis, operator_dinkes):
    baris, rahasia = token_tulis
    services.token_cabut(token=baris, by=operator_dinkes)
    _masalah_401(client.get("/api/v1/saya/", **bearer(rahasia)), "Token API ini sudah dicabut.")


def test_expired_token_is_401(client, token_tulis):
    baris, rahasia = token_tulis
    TokenApi.objects.filter(pk=baris.pk).update(
        kedaluwarsa=timezone.now() - datetime.timedelta(seconds=1)
    )
    _masalah_401(client.get("/api/v1/saya/", **bearer(rahasia)), "Token API ini sudah kedaluwarsa.")


def test_inactive_owner_is_401(client, token_tulis, operator_dinkes):
    _b, rahasia = token_tulis
    operator_dinkes.is_active = False
    operator_dinkes.save()
    _masalah_401(
        client.get("/api/v1/saya/", **bearer(rahasia)), "Akun pemilik token ini tidak aktif."
    )


def test_refusals_in_english_with_accept_language(client, token_tulis, operator_dinkes):
    baris, rahasia = token_tulis
    response = client.get("/api/v1/saya/", HTTP_ACCEPT_LANGUAGE="en", **bearer("kla_x_y"))
    assert response.json()["title"] == "Sign-in required"
    assert response.json()["detail"].startswith("Unknown API token.")
    services.token_cabut(token=baris, by=operator_dinkes)
    response = client.get("/api/v1/saya/", HTTP_ACCEPT_LANGUAGE="en", **bearer(rahasia))
    assert response.json()["detail"] == "This API token has been revoked."


# --- Read-only tokens ---------------------------------------------------------------------


def test_read_only_token_cannot_write(client, token_baca, token_tulis):
    baris_baca, baca = token_baca
    baris_tulis, _tulis = token_tulis
    jumlah = TokenApi.objects.count()
    for response in (
        client.post(
            "/api/v1/token/",
            {"nama": "x", "akses": "tulis"},
            content_type="application/json",
            **bearer(baca),
        ),
        client.delete(f"/api/v1/token/{baris_tulis.pk}/", **bearer(baca)),
        client.delete(f"/api/v1/token/{baris_baca.pk}/", **bearer(baca)),
    ):
        assert response.status_code == 403
        assert response["Content-Type"] == PROBLEM
        assert response.json()["detail"].startswith("Token ini hanya untuk membaca.")
    assert TokenApi.objects.count() == jumlah
    assert TokenApi.objects.filter(dicabut__isnull=False).count() == 0
    en = client.delete(
        f"/api/v1/token/{baris_tulis.pk}/", HTTP_ACCEPT_LANGUAGE="en", **bearer(baca)
    )
    assert en.json()["detail"].startswith("This token may only read.")


def test_read_write_token_makes_and_revokes_tokens(client, token_tulis):
    _b, tulis = token_tulis
    response = client.post(
        "/api/v1/token/",
        {"nama": "Anak", "akses": "baca"},
        content_type="application/json",
        **bearer(tulis),
    )
    assert response.status_code == 201
    baru = response.json()["id"]
    assert client.delete(f"/api/v1/token/{baru}/", **bearer(tulis)).status_code == 204
    assert TokenApi.objects.get(pk=baru).dicabut is not None
    again = client.delete(f"/api/v1/token/{baru}/", **bearer(tulis))
    assert again.status_code == 400
    assert again.json()["detail"] == "Token ini sudah dicabut."


# --- One's own tokens only ----------------------------------------------------------------


@pytest.mark.parametrize("peran", PERAN)
def test_nobody_sees_or_revokes_another_persons_token(request, client, token_tulis, peran):
    baris, _r = token_tulis
    orang = request.getfixturevalue(peran)
    if orang == baris.user:
        return
    milik, rahasia = services.token_buat(user=orang, nama="milik sendiri", akses="tulis")
    for cara in ({"HTTP_AUTHORIZATION": f"Bearer {rahasia}"}, None):
        if cara is None:
            client.force_login(orang)
            cara = {}
        daftar = client.get("/api/v1/token/", **cara).json()["results"]
        assert [t["id"] for t in daftar] == [milik.pk]
        assert client.get(f"/api/v1/token/{baris.pk}/", **cara).status_code == 404
        response = client.delete(f"/api/v1/token/{baris.pk}/", **cara)
        assert response.status_code == 404
        assert response["Content-Type"] == PROBLEM
    baris.refresh_from_db()
    assert baris.dicabut is None


def test_the_service_refuses_revoking_anothers_token(token_tulis, sekretariat):
    from django.core.exceptions import ValidationError

    baris, _r = token_tulis
    with pytest.raises(ValidationError):
        services.token_cabut(token=baris, by=sekretariat)
    baris.refresh_from_db()
    assert baris.dicabut is None


def test_list_queries_do_not_grow(client, operator_dinkes, django_assert_num_queries):
    client.force_login(operator_dinkes)

    def hitung():
        with django_assert_num_queries(4) as konteks:  # session, user, count, page
            assert client.get("/api/v1/token/").status_code == 200
        return len(konteks.captured_queries)

    services.token_buat(user=operator_dinkes, nama="satu", akses="baca")
    sedikit = hitung()
    for n in range(8):
        services.token_buat(user=operator_dinkes, nama=f"t{n}", akses="baca")
    assert hitung() == sedikit


# --- Last use -----------------------------------------------------------------------------


def test_last_use_is_written_at_most_once_a_minute(client, token_baca):
    baris, rahasia = token_baca
    assert baris.terakhir_dipakai is None
    client.get("/api/v1/saya/", **bearer(rahasia))
    baris.refresh_from_db()
    pertama = baris.terakhir_dipakai
    assert pertama is not None
    client.get("/api/v1/saya/", **bearer(rahasia))
    baris.refresh_from_db()
    assert baris.terakhir_dipakai == pertama
    lama = pertama - datetime.timedelta(minutes=2)
    TokenApi.objects.filter(pk=baris.pk).update(terakhir_dipakai=lama)
    client.get("/api/v1/saya/", **bearer(rahasia))
    baris.refresh_from_db()
    assert baris.terakhir_dipakai > pertama


# --- Rate limits --------------------------------------------------------------------------


@pytest.fixture
def batas_kecil(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "batas-token",
        }
    }
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_baca": "3/min", "api_tulis": "1/min"},
    }


def test_too_many_requests_get_429_with_retry_after(client, batas_kecil, token_tulis):
    _b, rahasia = token_tulis
    for _i in range(3):
        assert client.get("/api/v1/saya/", **bearer(rahasia)).status_code == 200
    response = client.get("/api/v1/saya/", **bearer(rahasia))
    assert response.status_code == 429
    assert response["Content-Type"] == PROBLEM
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["detail"].startswith("Terlalu banyak permintaan.")
    en = client.get("/api/v1/saya/", HTTP_ACCEPT_LANGUAGE="en", **bearer(rahasia))
    assert en.json()["detail"].startswith("Too many requests.")


def test_limits_count_per_token_and_writes_apart(client, batas_kecil, token_tulis, operator_dinkes):
    _b, pertama = token_tulis
    _b, kedua = services.token_buat(user=operator_dinkes, nama="kedua", akses="tulis")
    for _i in range(3):
        client.get("/api/v1/saya/", **bearer(pertama))
    assert client.get("/api/v1/saya/", **bearer(pertama)).status_code == 429
    assert client.get("/api/v1/saya/", **bearer(kedua)).status_code == 200
    tulis = {"content_type": "application/json", **bearer(pertama)}
    assert client.post("/api/v1/token/", {"nama": "a", "akses": "baca"}, **tulis).status_code == 201
    assert client.post("/api/v1/token/", {"nama": "b", "akses": "baca"}, **tulis).status_code == 429
    assert TokenApi.objects.filter(nama="b").count() == 0


def test_a_session_is_limited_per_person(client, batas_kecil, operator_dinkes, operator_dinsos):
    client.force_login(operator_dinkes)
    for _i in range(3):
        client.get("/api/v1/saya/")
    assert client.get("/api/v1/saya/").status_code == 429
    client.force_login(operator_dinsos)
    assert client.get("/api/v1/saya/").status_code == 200


class CacheRusak(BaseCache):
    """A cache that never answers (Redis down, a full disk)."""

    def __init__(self, server, params):
        super().__init__(params)

    def get(self, key, default=None, version=None):
        raise OSError("cache mati")

    def set(self, key, value, timeout=None, version=None):
        raise OSError("cache mati")


def test_requests_go_through_while_the_cache_is_down(client, settings, token_tulis, caplog):
    settings.CACHES = {"default": {"BACKEND": "tests.agencies.test_api_token.CacheRusak"}}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_baca": "1/min", "api_tulis": "1/min"},
    }
    _b, rahasia = token_tulis
    for _i in range(3):
        assert client.get("/api/v1/saya/", **bearer(rahasia)).status_code == 200
    assert "Cache tidak tersedia" in caplog.text


def test_an_idempotent_repeat_never_stores_the_token(client, operator_dinkes):
    from kla_portal.models import KunciKirim

    client.force_login(operator_dinkes)
    kirim = {
        "path": "/api/v1/token/",
        "data": {"nama": "Sekali", "akses": "baca"},
        "content_type": "application/json",
        "HTTP_IDEMPOTENCY_KEY": "token-sekali-0123456789",
    }
    pertama = client.post(**kirim)
    assert pertama.status_code == 201
    rahasia = pertama.json()["token"]
    assert rahasia.startswith("kla_")
    disimpan = str(list(KunciKirim.objects.values_list("respons", flat=True)))
    assert rahasia not in disimpan
    ulang = client.post(**kirim)
    assert ulang.status_code == 201
    assert ulang["Idempotent-Replayed"] == "true"
    assert ulang.json()["id"] == pertama.json()["id"] and ulang.json()["token"] is None
    assert TokenApi.objects.count() == 1


@pytest.mark.parametrize(
    "metode, alamat", [("get", "/api/v1/token/"), ("post", "/api/v1/token/"), ("delete", "x")]
)
def test_anonymous_gets_401_on_the_token_endpoints(client, token_tulis, metode, alamat):
    baris, _r = token_tulis
    alamat = f"/api/v1/token/{baris.pk}/" if alamat == "x" else alamat
    response = getattr(client, metode)(alamat)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    baris.refresh_from_db()
    assert baris.dicabut is None and TokenApi.objects.count() == 1
