"""Follow-ups: an agency sees and closes only its own, with evidence; refusals change nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import Notifikasi
from koordinasi.models import LampiranTindakLanjut, TindakLanjut
from tests.conftest import berkas


def tutup(client, tindak, **values):
    data = {"status": "selesai", "hasil": "Data terkirim ke Sekretariat", "versi": tindak.versi}
    return client.post(tindak.get_absolute_url(), data | values)


def test_an_agency_sees_only_its_own_follow_ups(
    client, operator_dinkes, tindak_dinkes, tindak_dinsos, sekretariat
):
    client.force_login(operator_dinkes)
    daftar = client.get(reverse("koordinasi:tindak-lanjut"))
    assert [r["sel"][0] for r in daftar.context["tabel"].baris] == [
        "Kirim data Puskesmas Ramah Anak"
    ]
    # Another agency's id in the address or the filter shows nothing of it.
    assert client.get(tindak_dinsos.get_absolute_url()).status_code == 404
    url = reverse("koordinasi:tindak-lanjut") + f"?opd={tindak_dinsos.opd_id}&status=semua"
    assert client.get(url).context["tabel"].baris == []
    client.force_login(sekretariat)
    assert len(client.get(reverse("koordinasi:tindak-lanjut")).context["tabel"].baris) == 2


def test_the_owner_closes_its_follow_up_with_evidence_and_the_secretariat_hears(
    client, operator_dinkes, tindak_dinkes, sekretariat, operator_dinsos
):
    client.force_login(operator_dinkes)
    response = tutup(client, tindak_dinkes, hasil="", berkas=berkas("data-pra.pdf"))
    assert response.status_code == 302
    tindak_dinkes.refresh_from_db()
    assert tindak_dinkes.status == "selesai"
    assert tindak_dinkes.selesai_pada == timezone.localdate() and tindak_dinkes.tepat_waktu
    assert Notifikasi.objects.filter(penerima=sekretariat, judul__startswith="Dinkes menyelesaikan")
    bukti = LampiranTindakLanjut.objects.get()
    unduh = reverse("koordinasi:lampiran-unduh", args=[bukti.pk])
    assert client.get(unduh).status_code == 200
    client.force_login(operator_dinsos)
    assert client.get(unduh).status_code == 404


def test_another_agency_cannot_change_a_follow_up(
    client, operator_dinsos, kepala_dinkes, tindak_dinkes, pimpinan
):
    client.force_login(operator_dinsos)
    assert tutup(client, tindak_dinkes).status_code == 404
    client.force_login(pimpinan)  # reads everything, changes nothing
    assert client.get(tindak_dinkes.get_absolute_url()).context["form"] is None
    assert tutup(client, tindak_dinkes).status_code == 403
    client.force_login(kepala_dinkes)  # the owner's head may
    assert tutup(client, tindak_dinkes).status_code == 302
    assert TindakLanjut.objects.get(pk=tindak_dinkes.pk).status == "selesai"


@pytest.mark.parametrize(
    ("values", "pesan"),
    [
        ({"hasil": ""}, "Tuliskan hasilnya atau lampirkan buktinya"),
        ({"selesai_pada": "2999-01-01"}, "tidak boleh di masa depan"),
        ({"selesai_pada": "2020-01-01"}, "tidak boleh sebelum rapat"),
        ({"status": "dibatalkan"}, "bukan salah satu dari pilihan"),
        ({"berkas": berkas("bukti.exe", b"MZ\x90\x00" + b"\x00" * 64)}, "berkas program"),
    ],
)
def test_a_wrong_close_is_refused_and_changes_nothing(
    client, operator_dinkes, tindak_dinkes, values, pesan
):
    client.force_login(operator_dinkes)
    response = tutup(client, tindak_dinkes, **values)
    assert response.status_code == 400
    assert pesan in response.content.decode()
    tindak_dinkes.refresh_from_db()
    assert tindak_dinkes.status == "terbuka" and not LampiranTindakLanjut.objects.exists()


def test_a_stale_page_does_not_overwrite_a_newer_report(
    client, operator_dinkes, kepala_dinkes, tindak_dinkes
):
    client.force_login(kepala_dinkes)
    data = {"status": "berjalan", "hasil": "Sedang dihimpun", "versi": tindak_dinkes.versi}
    client.post(tindak_dinkes.get_absolute_url(), data)
    client.force_login(operator_dinkes)
    response = tutup(client, tindak_dinkes)  # built from the version before the head's save
    assert response.status_code == 400 and "sudah diubah oleh" in response.content.decode()
    assert TindakLanjut.objects.get(pk=tindak_dinkes.pk).status == "berjalan"


def test_overdue_follow_ups_are_marked(tindak_dinkes):
    tindak_dinkes.tenggat = timezone.localdate() - datetime.timedelta(days=1)
    tindak_dinkes.save()
    assert tindak_dinkes.lewat_tenggat
    assert list(TindakLanjut.objects.lewat_tenggat()) == [tindak_dinkes]
