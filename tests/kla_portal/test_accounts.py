"""Logging in and out, throttling, password reset by e-mail, CSRF."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse


def test_an_operator_logs_in_and_is_greeted_with_role_and_agency(client, operator_dinkes):
    response = client.post(
        reverse("masuk"),
        {"username": "operator.dinkes", "password": "sandi-rahasia-123"},
        follow=True,
    )
    page = response.content.decode()
    assert "Selamat datang, Siti Nurhaliza" in page
    assert "Operator OPD" in page
    assert "Dinas Kesehatan" in page


def test_a_wrong_password_is_explained_in_indonesian(client, operator_dinkes):
    response = client.post(reverse("masuk"), {"username": "operator.dinkes", "password": "salah"})
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()


def test_logging_out_needs_a_post(client, operator_dinkes):
    client.force_login(operator_dinkes)
    assert client.get(reverse("keluar")).status_code == 405
    assert client.post(reverse("keluar")).status_code == 302
    assert client.get(reverse("beranda")).status_code == 302


def test_repeated_failures_lock_the_login_and_say_so(client, operator_dinkes, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("masuk"), {"username": "operator.dinkes", "password": "tebakan"})

    locked = client.post(
        reverse("masuk"), {"username": "operator.dinkes", "password": "sandi-rahasia-123"}
    )

    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Terlalu banyak percobaan masuk yang gagal" in page
    assert "dikunci sementara selama 15 menit" in page
    assert "_auth_user_id" not in client.session


def test_a_lockout_does_not_block_other_people(client, operator_dinkes, operator_dinsos, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("masuk"), {"username": "operator.dinkes", "password": "tebakan"})
    response = client.post(
        reverse("masuk"), {"username": "operator.dinsos", "password": "sandi-rahasia-123"}
    )
    assert response.status_code == 302


def test_password_reset_by_email(client, operator_dinkes):
    operator_dinkes.email = "siti@dinkes.example.go.id"
    operator_dinkes.save()

    client.post(reverse("sandi-lupa"), {"email": "siti@dinkes.example.go.id"})

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Kata sandi baru untuk Portal KLA"
    assert "operator.dinkes" in message.body
    link = next(line for line in message.body.splitlines() if "/akun/sandi/atur/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert "Buat kata sandi baru" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Anak-Serang-2026!", "new_password2": "Anak-Serang-2026!"},
        follow=True,
    )
    assert "Kata sandi baru Anda tersimpan" in done.content.decode()
    logged_in = client.post(
        reverse("masuk"), {"username": "operator.dinkes", "password": "Anak-Serang-2026!"}
    )
    assert logged_in.status_code == 302


def test_password_reset_for_an_unknown_email_reveals_nothing(client, db):
    response = client.post(reverse("sandi-lupa"), {"email": "tidak.ada@example.go.id"}, follow=True)
    assert "Bila email itu terdaftar" in response.content.decode()
    assert mail.outbox == []


def test_a_form_posted_without_its_csrf_token_is_refused_in_indonesian(
    operator_dinkes, sekretariat
):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(sekretariat)
    response = strict.post(
        reverse("agencies:opd-create"), {"nama": "X", "singkatan": "X", "jenis": "dinas"}
    )
    assert response.status_code == 403
    assert "Formulir ini sudah kedaluwarsa" in response.content.decode()


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_hardened(settings):
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert "axes.middleware.AxesMiddleware" in settings.MIDDLEWARE
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE


def test_pages_carry_a_content_security_policy(client, operator_dinkes):
    client.force_login(operator_dinkes)
    policy = client.get(reverse("beranda"))["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
