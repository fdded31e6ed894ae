"""Closing a follow-up with its evidence is saved once however often the same form arrives,
and not at all when the disk is full."""

import pytest

from koordinasi.models import LampiranTindakLanjut
from tests.conftest import berkas
from tests.kla_portal.test_penyimpanan_penuh import MiB, disk_penuh, pdf  # noqa: F401

SUDAH = "Data ini sudah tersimpan sebelumnya; tidak disimpan dua kali."
KUNCI = "d8e8fca2dc0f896fd7cb4cb0031ba249"


def test_a_close_with_evidence_sent_twice_is_saved_once(
    client, settings, operator_dinkes, tindak_dinkes, sekretariat
):
    client.force_login(operator_dinkes)
    versi = tindak_dinkes.versi

    def tutup():
        data = {
            "status": "selesai",
            "hasil": "Data terkirim ke Sekretariat",
            "versi": versi,
            "berkas": berkas("data-pra.pdf"),
            "kunci_kirim": KUNCI,
        }
        return client.post(tindak_dinkes.get_absolute_url(), data)

    first, again = tutup(), tutup()
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert SUDAH in client.get(again["Location"]).content.decode()
    assert LampiranTindakLanjut.objects.count() == 1
    assert len(list((settings.MEDIA_ROOT / "koordinasi" / "lampirantindaklanjut").iterdir())) == 1
    tindak_dinkes.refresh_from_db()
    assert (tindak_dinkes.status, tindak_dinkes.versi) == ("selesai", versi + 1)


@pytest.mark.usefixtures("disk_penuh")
def test_a_close_whose_evidence_does_not_fit_on_the_disk_changes_nothing(
    client, settings, operator_dinkes, tindak_dinkes
):
    client.force_login(operator_dinkes)
    data = {
        "status": "selesai",
        "hasil": "Data terkirim ke Sekretariat",
        "versi": tindak_dinkes.versi,
        "berkas": [berkas("data-pra.pdf"), berkas("foto-besar.pdf", pdf(2 * MiB))],
    }
    response = client.post(tindak_dinkes.get_absolute_url(), data)
    assert response.status_code == 400
    assert "Penyimpanan penuh; berkas tidak tersimpan. Hubungi admin." in response.content.decode()
    tindak_dinkes.refresh_from_db()
    assert tindak_dinkes.status != "selesai"
    assert not LampiranTindakLanjut.objects.exists()
    assert not list(settings.MEDIA_ROOT.glob("koordinasi/**/*.pdf"))
