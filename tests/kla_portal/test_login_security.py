"""Who gets locked out behind the TLS proxy, how long a password must be, when a session ends."""

import time

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kla_portal.middleware import SesiMenganggurMiddleware

PROXY = "10.0.0.2"  # the TLS proxy in front of gunicorn: every request arrives from it
ATTACKER = "203.0.113.5"
SECRETARIAT_OFFICE = "198.51.100.7"
PASSWORD = "sandi-rahasia-123"


@pytest.fixture
def behind_proxy(settings):
    """The settings BEHIND_HTTPS_PROXY=true (one proxy) produces; checked in test_settings."""
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]


def login(client, username, password, **meta):
    return client.post(reverse("masuk"), {"username": username, "password": password}, **meta)


def through_proxy(address, forwarded=""):
    """What the proxy sends on: it appends the address it saw to X-Forwarded-For."""
    chain = f"{forwarded}, {address}" if forwarded else address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": chain}


@pytest.mark.django_db
def test_failures_from_elsewhere_do_not_lock_the_secretariat_out(behind_proxy, sekretariat):
    attacker = Client()
    for _attempt in range(5):
        login(attacker, "sekretariat", "tebakan", **through_proxy(ATTACKER))
    # The attacker is locked out, even with the right password...
    assert login(attacker, "sekretariat", PASSWORD, **through_proxy(ATTACKER)).status_code == 429
    # ...but the secretariat at its own office logs in.
    office = Client()
    response = login(office, "sekretariat", PASSWORD, **through_proxy(SECRETARIAT_OFFICE))
    assert response.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


@pytest.mark.django_db
def test_a_client_cannot_pick_its_address_by_writing_x_forwarded_for(behind_proxy, sekretariat):
    # The attacker writes the office's address; the proxy appends the attacker's real one.
    attacker = Client()
    for _attempt in range(5):
        meta = through_proxy(ATTACKER, forwarded=SECRETARIAT_OFFICE)
        login(attacker, "sekretariat", "tebakan", **meta)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    office = Client()
    response = login(office, "sekretariat", PASSWORD, **through_proxy(SECRETARIAT_OFFICE))
    assert response.status_code == 302


@pytest.mark.django_db
def test_one_address_trying_twenty_usernames_is_locked(behind_proxy, sekretariat, settings):
    assert settings.AXES_IP_FAILURE_LIMIT == 20
    sprayer = Client()
    responses = [
        login(sprayer, f"pengguna{n}", "Serang2024!", **through_proxy(ATTACKER)) for n in range(20)
    ]
    assert [r.status_code for r in responses[:19]] == [200] * 19  # the form, with its error
    assert responses[19].status_code == 429
    assert "semua percobaan masuk dari alamat ini dikunci" in responses[19].content.decode()
    # Locked for every username, even a right password...
    assert login(sprayer, "sekretariat", PASSWORD, **through_proxy(ATTACKER)).status_code == 429
    # ...while everybody else still logs in.
    response = login(Client(), "sekretariat", PASSWORD, **through_proxy(SECRETARIAT_OFFICE))
    assert response.status_code == 302


@pytest.mark.django_db
def test_without_a_proxy_x_forwarded_for_is_ignored(sekretariat):
    # No BEHIND_HTTPS_PROXY: the attacker connects directly and claims the office's address.
    attacker = Client()
    spoofed = {"REMOTE_ADDR": ATTACKER, "HTTP_X_FORWARDED_FOR": SECRETARIAT_OFFICE}
    for _attempt in range(5):
        login(attacker, "sekretariat", "tebakan", **spoofed)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    office = Client()
    assert login(office, "sekretariat", PASSWORD, REMOTE_ADDR=SECRETARIAT_OFFICE).status_code == 302


# --- Passwords ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_eleven_character_password_is_refused_in_indonesian(client, operator_dinkes):
    client.force_login(operator_dinkes)
    response = client.post(
        reverse("ganti-sandi"),
        {
            "old_password": PASSWORD,
            "new_password1": "Serang-2026",  # 11 characters
            "new_password2": "Serang-2026",
        },
    )
    assert response.status_code == 200
    assert "Kata sandi terlalu pendek. Harus mengandung setidaknya 12 karakter." in (
        response.content.decode()
    )
    operator_dinkes.refresh_from_db()
    assert operator_dinkes.check_password(PASSWORD)


@pytest.mark.django_db
def test_a_twelve_character_password_is_accepted(client, operator_dinkes):
    client.force_login(operator_dinkes)
    response = client.post(
        reverse("ganti-sandi"),
        {
            "old_password": PASSWORD,
            "new_password1": "Serang-2026!",
            "new_password2": "Serang-2026!",
        },
    )
    assert response.status_code == 302
    operator_dinkes.refresh_from_db()
    assert operator_dinkes.check_password("Serang-2026!")


# --- Idle sessions ------------------------------------------------------------------------


def _last_renewed(client, seconds_ago):
    session = client.session
    session[SesiMenganggurMiddleware.KUNCI] = int(time.time()) - seconds_ago
    session.save()


@pytest.mark.django_db
def test_a_session_idle_longer_than_two_hours_is_logged_out(client, operator_dinkes, settings):
    assert settings.SESSION_COOKIE_AGE == 2 * 60 * 60
    assert login(client, "operator.dinkes", PASSWORD).status_code == 302
    _last_renewed(client, 2 * 60 * 60 + 60)
    response = client.get(reverse("beranda"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("masuk"))
    assert "Anda keluar otomatis setelah 120 menit tidak aktif" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_an_active_session_goes_on_and_is_renewed(client, operator_dinkes):
    assert login(client, "operator.dinkes", PASSWORD).status_code == 302
    _last_renewed(client, 2 * 60 * 60 - 60)  # a click 1 h 59 min after the last renewal
    assert client.get(reverse("beranda")).status_code == 200
    renewed = client.session[SesiMenganggurMiddleware.KUNCI]
    assert abs(renewed - time.time()) < 5
    # The stored session's expiry moved too: two hours from now.
    stored = Session.objects.get(session_key=client.session.session_key)
    assert abs((stored.expire_date - timezone.now()).total_seconds() - 2 * 60 * 60) < 5


@pytest.mark.django_db
def test_a_request_soon_after_a_renewal_does_not_write_the_session(client, operator_dinkes):
    assert login(client, "operator.dinkes", PASSWORD).status_code == 302
    _last_renewed(client, 60)
    before = client.session[SesiMenganggurMiddleware.KUNCI]
    assert client.get(reverse("beranda")).status_code == 200
    assert client.session[SesiMenganggurMiddleware.KUNCI] == before


@pytest.mark.django_db
def test_a_panel_polling_in_the_background_does_not_keep_the_session_alive(client, operator_dinkes):
    assert login(client, "operator.dinkes", PASSWORD).status_code == 302
    _last_renewed(client, 60 * 60)
    before = client.session[SesiMenganggurMiddleware.KUNCI]
    response = client.get(reverse("beranda"), HTTP_HX_REQUEST="true", HTTP_X_KLA_LATAR="1")
    assert response.status_code == 200
    assert client.session[SesiMenganggurMiddleware.KUNCI] == before
    # Two hours after the person's last click the next poll sends the page to the login form.
    _last_renewed(client, 2 * 60 * 60 + 1)
    response = client.get(reverse("beranda"), HTTP_HX_REQUEST="true", HTTP_X_KLA_LATAR="1")
    assert response["HX-Redirect"] == reverse("masuk")
    assert "_auth_user_id" not in client.session
