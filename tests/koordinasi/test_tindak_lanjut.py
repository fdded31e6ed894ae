"""Follow-ups: an agency sees and closes only its own, with evidence; refusals change nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agencies.models import Notifikasi
from koordinasi import services
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
    response = client.get(unduh)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
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


def berkas_tersimpan(settings) -> set:
    return {p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()}


def tutup_dulu(client, tindak):
    assert tutup(client, tindak).status_code == 302
    tindak.refresh_from_db()
    return tindak


def test_the_owner_cannot_reopen_a_closed_follow_up(client, operator_dinkes, tindak_dinkes):
    client.force_login(operator_dinkes)
    tindak = tutup_dulu(client, tindak_dinkes)
    halaman = client.get(tindak.get_absolute_url())
    assert [c[0] for c in halaman.context["form"].fields["status"].choices] == ["selesai"]
    response = client.post(
        tindak.get_absolute_url(), {"status": "berjalan", "hasil": "x", "versi": tindak.versi}
    )
    assert response.status_code == 400
    assert TindakLanjut.objects.get(pk=tindak.pk).status == "selesai"
    with pytest.raises(ValidationError, match="hanya Sekretariat"):
        services.tindak_lanjut_perbarui(
            tindak_lanjut=tindak,
            status="berjalan",
            hasil="x",
            versi=tindak.versi,
            by=operator_dinkes,
        )


def test_the_secretariat_reopens_with_a_reason_the_owner_hears(
    client, sekretariat, operator_dinkes, tindak_dinkes
):
    client.force_login(operator_dinkes)
    tindak = tutup_dulu(client, tindak_dinkes)
    client.force_login(sekretariat)
    data = {"status": "berjalan", "hasil": tindak.hasil, "versi": tindak.versi}
    tanpa_alasan = client.post(tindak.get_absolute_url(), data)
    assert (
        tanpa_alasan.status_code == 400
        and "alasan membuka kembali" in tanpa_alasan.content.decode()
    )
    with pytest.raises(ValidationError, match="paling panjang 255"):
        services.tindak_lanjut_perbarui(
            tindak_lanjut=tindak,
            status="berjalan",
            hasil="x",
            alasan="x" * 256,
            versi=tindak.versi,
            by=sekretariat,
        )
    data["alasan"] = "Data Puskesmas belum lengkap"
    assert client.post(tindak.get_absolute_url(), data).status_code == 302
    tindak.refresh_from_db()
    assert (tindak.status, tindak.alasan_dibuka, tindak.selesai_pada) == (
        "berjalan",
        "Data Puskesmas belum lengkap",
        None,
    )
    kabar = Notifikasi.objects.get(
        penerima=operator_dinkes, judul__startswith="Sekretariat membuka"
    )
    assert "Data Puskesmas belum lengkap" in kabar.judul


def test_a_refused_close_leaves_no_file_in_storage(
    client, settings, operator_dinkes, tindak_dinkes
):
    client.force_login(operator_dinkes)
    sebelum = berkas_tersimpan(settings)
    response = tutup(
        client,
        tindak_dinkes,
        berkas=[berkas("bukti-1.pdf"), berkas("bukti-2.exe", b"MZ\x90\x00" + b"\x00" * 64)],
    )
    assert response.status_code == 400
    assert berkas_tersimpan(settings) == sebelum  # the good first file was not stored either
    assert not LampiranTindakLanjut.objects.exists()


def test_the_kecamatan_operator_reports_on_the_office_follow_up_and_the_lurah_does_not(
    client, gugus_kota, kantor_kec_serang, operator_serang, lurah_cipare, sekretariat
):
    from tests.koordinasi.conftest import data_rapat

    rapat = services.rapat_jadwalkan(
        gugus_tugas=gugus_kota,
        data=data_rapat("Rakor kecamatan", hari=-3),
        opd=[kantor_kec_serang],
        by=sekretariat,
        kabari=False,
    )
    tindak = services.tindak_lanjut_tambah(
        rapat=rapat,
        keputusan="Data PATBM",
        opd=kantor_kec_serang,
        tenggat=timezone.localdate(),
        by=sekretariat,
    )
    assert Notifikasi.objects.filter(penerima=operator_serang, tautan=tindak.get_absolute_url())
    assert not Notifikasi.objects.filter(penerima=lurah_cipare).exists()
    client.force_login(operator_serang)
    assert tutup(client, tindak).status_code == 302
    client.force_login(lurah_cipare)
    assert client.get(tindak.get_absolute_url()).status_code == 404
