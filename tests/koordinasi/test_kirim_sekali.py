"""Closing a follow-up with its evidence is saved once however often the same form arrives."""

from koordinasi.models import LampiranTindakLanjut
from tests.conftest import berkas

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
