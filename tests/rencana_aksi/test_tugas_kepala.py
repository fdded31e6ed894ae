"""A head approves answers and RAD reports: *Tugas saya* shows both waiting in one box."""

from django.urls import reverse

from tests.rencana_aksi.bantu import LALU, lapor


def test_the_heads_box_counts_the_rad_reports_waiting_and_opens_them(
    client, aksi_dinkes, operator_dinkes, kepala_dinkes, operator_dinsos
):
    lapor(aksi_dinkes, LALU, operator_dinkes, kirim=True)
    client.force_login(kepala_dinkes)
    html = client.get(reverse("clusters:tugas")).content.decode()
    assert "1 laporan triwulan RAD menunggu persetujuan Anda" in html
    tautan = reverse("rencana_aksi:laporan") + "?kategori=menunggu_kepala"
    assert f'href="{tautan}"' in html
    assert "menunggu_kepala" in client.get(tautan).content.decode()

    # The operator who sent it and another agency's people have nothing to approve.
    for orang in (operator_dinkes, operator_dinsos):
        client.force_login(orang)
        assert "laporan triwulan RAD" not in client.get(reverse("clusters:tugas")).content.decode()


def test_a_head_with_nothing_waiting_sees_no_box(client, aksi_dinkes, kepala_dinkes):
    client.force_login(kepala_dinkes)
    assert 'id="judul-menunggu"' not in client.get(reverse("clusters:tugas")).content.decode()
