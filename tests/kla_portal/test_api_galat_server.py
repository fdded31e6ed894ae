"""A fault inside an API view is answered as a problem+json 500 that asks to read before
sending again; a page keeps the site's own 500 page."""

from django.test import Client

from agencies import api as agencies_api


def test_a_fault_under_api_is_a_problem_saying_nothing_was_kept(db, sekretariat, monkeypatch):
    def rusak(self, request, *args, **kwargs):
        raise RuntimeError("uji: pekerja basis data hilang")

    monkeypatch.setattr(agencies_api.OpdViewSet, "list", rusak)
    client = Client(raise_request_exception=False)
    client.force_login(sekretariat)
    response = client.get("/api/v1/opd/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Kesalahan server",
        "status": 500,
        "detail": "Terjadi kesalahan di server. Baca ulang datanya untuk melihat apakah "
        "perubahan Anda tersimpan sebelum mengirim lagi.",
    }
    english = client.get("/api/v1/opd/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["title"] == "Server error"
