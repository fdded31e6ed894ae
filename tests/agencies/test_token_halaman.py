"""The API tokens on one's account page: made with a name and an access, the token shown once
(kept in the session for one showing, never in an address), listed with prefix, access, dates
and state, revoked with a confirmed POST; cards on a phone; nobody else's tokens."""

import hashlib
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from agencies import services
from agencies.models import TokenApi

AKUN = reverse("agencies:akun-saya")
BUAT = reverse("agencies:token-buat")


class _Tabel(HTMLParser):
    """The cells of each body row of the ``tabel-kartu`` table in #token-api: their tag and
    data-label."""

    def __init__(self):
        super().__init__()
        self.dalam_bagian = self.dalam_tabel = self.dalam_tbody = False
        self.baris: list[list[tuple[str, str | None]]] = []
        self.kelas_tabel = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and attrs.get("id") == "token-api":
            self.dalam_bagian = True
        elif self.dalam_bagian and tag == "table":
            self.dalam_tabel, self.kelas_tabel = True, attrs.get("class", "")
        elif self.dalam_tabel and tag == "tbody":
            self.dalam_tbody = True
        elif self.dalam_tbody and tag == "tr":
            self.baris.append([])
        elif self.dalam_tbody and tag in ("td", "th") and self.baris:
            self.baris[-1].append((tag, attrs.get("data-label")))

    def handle_endtag(self, tag):
        if tag == "tbody":
            self.dalam_tbody = False
        elif tag == "table":
            self.dalam_tabel = False
        elif tag == "section":
            self.dalam_bagian = False


def _halaman(client):
    response = client.get(AKUN, follow=True)
    assert response.status_code == 200
    return response, response.content.decode()


def test_the_account_page_offers_a_token(client, operator_dinkes):
    client.force_login(operator_dinkes)
    _r, html = _halaman(client)
    assert 'id="token-api"' in html
    assert "Belum ada token API." in html
    assert f'action="{BUAT}"' in html
    assert 'name="nama"' in html and 'name="akses"' in html and 'name="masa"' in html


def test_a_new_token_is_shown_once_and_stored_hashed(client, operator_dinkes):
    client.force_login(operator_dinkes)
    response = client.post(BUAT, {"nama": "Dasbor Bappeda", "akses": "baca", "masa": "90"})
    assert response.status_code == 302
    assert response["Location"] == f"{operator_dinkes.get_absolute_url()}#token-api"
    token = TokenApi.objects.get(user=operator_dinkes)
    assert token.nama == "Dasbor Bappeda" and token.akses == "baca"
    assert token.kedaluwarsa is not None

    halaman = client.get(operator_dinkes.get_absolute_url())
    html = halaman.content.decode()
    rahasia = halaman.context["token_baru"]["token"]
    assert rahasia.startswith(f"kla_{token.awalan}_")
    assert f"data-token-baru>{rahasia}</code>" in html
    assert "hanya ditampilkan sekali" in html
    assert "no-store" in halaman["Cache-Control"]
    assert token.hash == hashlib.sha256(rahasia.encode()).hexdigest()
    assert rahasia not in response["Location"]

    _r, lagi = _halaman(client)
    assert rahasia not in lagi
    assert f"kla_{token.awalan}_…" in lagi
    assert "Hanya baca" in lagi and "belum pernah" in lagi


def test_a_nameless_token_is_not_made(client, operator_dinkes):
    client.force_login(operator_dinkes)
    response = client.post(BUAT, {"nama": "", "akses": "tulis"}, follow=True)
    assert "Token tidak dibuat." in response.content.decode()
    assert not TokenApi.objects.exists()


def test_revoking_stops_the_token_and_keeps_it_listed(client, operator_dinkes):
    token, rahasia = services.token_buat(user=operator_dinkes, nama="Skrip", akses="tulis")
    client.force_login(operator_dinkes)
    _r, html = _halaman(client)
    cabut = reverse("agencies:token-cabut", args=[token.pk])
    assert f'action="{cabut}" data-confirm="Cabut token' in html
    assert client.get(cabut).status_code == 405
    response = client.post(cabut, follow=True)
    html = response.content.decode()
    assert "Token “Skrip” dicabut dan tidak berlaku lagi." in html
    assert "Dicabut" in html and f'action="{cabut}"' not in html
    token.refresh_from_db()
    assert token.dicabut is not None and token.dicabut_oleh == operator_dinkes
    assert client.get("/api/v1/saya/", HTTP_AUTHORIZATION=f"Bearer {rahasia}").status_code == 401


@pytest.mark.parametrize("peran", ["operator_dinsos", "sekretariat", "admin_portal"])
def test_nobody_else_sees_or_revokes_my_tokens(request, client, operator_dinkes, peran):
    token, _r = services.token_buat(user=operator_dinkes, nama="Punya Dinkes", akses="tulis")
    orang = request.getfixturevalue(peran)
    client.force_login(orang)
    response = client.post(reverse("agencies:token-cabut", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.dicabut is None
    halaman = client.get(operator_dinkes.get_absolute_url())
    if halaman.status_code == 200:  # a city-wide role reads the person, not their tokens
        assert "Punya Dinkes" not in halaman.content.decode()
        assert 'id="token-api"' not in halaman.content.decode()
    _r, sendiri = _halaman(client)
    assert "Punya Dinkes" not in sendiri


def test_anonymous_cannot_make_a_token(client, db):
    response = client.post(BUAT, {"nama": "x", "akses": "tulis"})
    assert response.status_code == 302
    assert reverse("masuk") in response["Location"]
    assert not TokenApi.objects.exists()


def test_the_token_list_is_cards_on_a_phone(client, operator_dinkes):
    """At 390 px a ``tabel-kartu`` table shows each row as a card with the column's name
    beside each value (static/css): every cell but the action's carries its data-label."""
    services.token_buat(user=operator_dinkes, nama="Satu", akses="baca")
    services.token_buat(user=operator_dinkes, nama="Dua", akses="tulis")
    client.force_login(operator_dinkes)
    _r, html = _halaman(client)
    assert 'name="viewport" content="width=device-width' in html
    tabel = _Tabel()
    tabel.feed(html)
    assert "tabel-kartu" in tabel.kelas_tabel.split()
    assert len(tabel.baris) == 2
    for sel in tabel.baris:
        assert all(label for _tag, label in sel[:-1]), sel
        assert sel[-1][1] is None  # the revoke button: no label to show
    assert 'class="col-md-6"' in html  # the form's fields stack on a phone


def test_the_section_in_english(client, operator_dinkes):
    services.token_buat(user=operator_dinkes, nama="Satu", akses="baca")
    client.force_login(operator_dinkes)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _r, html = _halaman(client)
    for teks in ("API tokens", "Read only", "Last used", "never", "Make an API token", "Revoke"):
        assert teks in html, teks


def test_a_token_name_is_shown_as_text(client, operator_dinkes):
    services.token_buat(user=operator_dinkes, nama='<b>"x"</b>', akses="baca")
    client.force_login(operator_dinkes)
    _r, html = _halaman(client)
    assert "<b>" not in html
    assert "&lt;b&gt;&quot;x&quot;&lt;/b&gt;" in html
