"""The task force: decrees, members, KHA training, and the notice when a trained person leaves."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from agencies import services as agencies_services
from agencies.models import (
    AnggotaGugusTugas,
    Keanggotaan,
    Notifikasi,
    PelatihanKha,
    Peran,
    Personil,
)
from tests.conftest import PNG, berkas

KHUSUS = "kehilangan satu orang terlatih KHA"


def test_the_secretariat_is_told_when_a_trained_member_leaves_the_task_force(
    anggota, dinsos, sekretariat, operator_dinkes
):
    kursi = anggota("Ratna Dewi", dinsos, terlatih=True)
    agencies_services.anggota_akhiri(anggota=kursi, alasan="Mutasi ke kecamatan", by=sekretariat)
    notice = Notifikasi.objects.get(judul__contains=KHUSUS)
    assert notice.penerima == sekretariat
    assert notice.judul.startswith("Dinsos kehilangan satu orang terlatih KHA: Ratna Dewi")
    assert "Mutasi ke kecamatan" in notice.judul
    assert notice.tautan == dinsos.get_absolute_url()
    assert not Notifikasi.objects.filter(penerima=operator_dinkes, judul__contains=KHUSUS)


def test_no_notice_when_an_untrained_member_leaves(anggota, dinsos, sekretariat):
    kursi = anggota("Budi Santoso", dinsos)
    agencies_services.anggota_akhiri(anggota=kursi, alasan="Pensiun", by=sekretariat)
    assert not Notifikasi.objects.filter(judul__contains=KHUSUS).exists()


def test_the_notice_also_fires_when_a_trained_person_leaves_their_agency(
    anggota, dinkes, operator_dinkes, sekretariat
):
    anggota("Siti Nurhaliza", dinkes, terlatih=True, user=operator_dinkes)
    membership = Keanggotaan.objects.get(user=operator_dinkes, peran=Peran.OPERATOR_OPD)
    agencies_services.keanggotaan_akhiri(
        keanggotaan=membership, alasan="Mutasi ke RSUD", by=sekretariat
    )
    assert Notifikasi.objects.filter(
        penerima=sekretariat, judul__startswith="Dinkes kehilangan satu orang terlatih KHA"
    ).exists()


def test_ending_a_seat_refuses_what_would_be_wrong(anggota, dinsos, sekretariat):
    kursi = anggota("Ratna Dewi", dinsos, terlatih=True)
    with pytest.raises(ValidationError, match="alasan"):
        agencies_services.anggota_akhiri(anggota=kursi, alasan=" ", by=sekretariat)
    with pytest.raises(ValidationError, match="masa depan"):
        agencies_services.anggota_akhiri(
            anggota=kursi,
            alasan="x",
            selesai=datetime.date.today() + datetime.timedelta(days=3),
            by=sekretariat,
        )
    agencies_services.anggota_akhiri(anggota=kursi, alasan="Mutasi", by=sekretariat)
    with pytest.raises(ValidationError, match="sudah diakhiri"):
        agencies_services.anggota_akhiri(anggota=kursi, alasan="Mutasi", by=sekretariat)
    assert Notifikasi.objects.filter(judul__contains=KHUSUS).count() == 1


def test_a_new_decree_replaces_the_one_in_force(gugus_kota, sekretariat):
    lama = gugus_kota.sk.get()
    baru = agencies_services.sk_gugus_tugas_tambah(
        gugus_tugas=gugus_kota,
        nomor="463/Kep.40-Huk/2026",
        tanggal=datetime.date(2026, 2, 2),
        berlaku_mulai=datetime.date(2026, 2, 2),
        by=sekretariat,
    )
    lama.refresh_from_db()
    assert lama.diganti_oleh == baru
    with pytest.raises(ValidationError, match="sudah dicatat"):
        agencies_services.sk_gugus_tugas_tambah(
            gugus_tugas=gugus_kota,
            nomor="463/kep.40-huk/2026",
            tanggal=datetime.date(2026, 3, 1),
            berlaku_mulai=datetime.date(2026, 3, 1),
            by=sekretariat,
        )


def test_one_chair_and_one_seat_per_person(anggota, gugus_kota, dinkes, dinsos, sekretariat):
    kursi = anggota("Sekda", dinkes, unsur=AnggotaGugusTugas.Unsur.PIMPINAN, sub=None)
    kursi.jabatan = AnggotaGugusTugas.Jabatan.KETUA
    kursi.save()
    orang = agencies_services.personil_simpan(nama="Kepala Dinsos", opd=dinsos, by=sekretariat)
    with pytest.raises(ValidationError, match="sudah memiliki ketua"):
        agencies_services.anggota_tambah(
            gugus_tugas=gugus_kota,
            personil=orang,
            jabatan=AnggotaGugusTugas.Jabatan.KETUA,
            unsur="pimpinan",
            by=sekretariat,
        )
    with pytest.raises(ValidationError, match="sudah menjadi anggota"):
        agencies_services.anggota_tambah(
            gugus_tugas=gugus_kota, personil=kursi.personil, unsur="teknis", by=sekretariat
        )


def test_the_page_counts_trained_members_per_sub_team_and_per_agency(
    client, operator_kasemen, gugus_kota, anggota, dinkes, dinsos
):
    anggota("A", dinkes, sub=3, terlatih=True)
    anggota("B", dinkes, sub=3)
    anggota("C", dinsos, sub=2, terlatih=True, unsur=AnggotaGugusTugas.Unsur.PIMPINAN)
    client.force_login(operator_kasemen)  # every role reads the task force
    response = client.get(reverse("koordinasi:gugus-tugas"))
    sub_tim, lembaga, _anggota = response.context["tabel"]
    baris = {r["sel"][0]: r["sel"][1:] for r in sub_tim.baris}
    assert baris["Klaster III: Kesehatan Dasar dan Kesejahteraan"] == [2, 2, 1, 50.0]
    assert baris["Klaster II: Lingkungan Keluarga dan Pengasuhan Alternatif"] == [1, 0, 1, 100.0]
    baris = {r["sel"][0]: r["sel"][1:] for r in lembaga.baris}
    assert baris == {"Dinkes": [2, 2, 1, 50.0], "Dinsos": [1, 0, 1, 100.0]}
    assert (response.context["jumlah"], response.context["terlatih"]) == (3, 2)


def test_the_secretariat_adds_a_member_and_records_training(
    client, sekretariat, gugus_kota, dinsos, operator_dinsos
):
    client.force_login(sekretariat)
    sub = gugus_kota.sub_tim.get(nama__startswith="Klaster V")
    response = client.post(
        reverse("koordinasi:anggota-tambah", args=[gugus_kota.pk]),
        {
            "nama": "Fitri Andriani",
            "jabatan_dinas": "Konselor UPTD PPA",
            "opd": dinsos.pk,
            "jabatan": "anggota",
            "sub_tim": sub.pk,
            "unsur": "teknis",
            "mulai": "2025-02-01",
        },
    )
    assert response.status_code == 302
    kursi = AnggotaGugusTugas.objects.get()
    assert (kursi.personil.nama, kursi.sub_tim, kursi.sk) == (
        "Fitri Andriani",
        sub,
        gugus_kota.sk.get(),
    )
    url = reverse("koordinasi:personil", args=[kursi.personil.pk])
    refused = client.post(
        url,
        {
            "tanggal": "2025-03-04",
            "penyelenggara": "KemenPPPA",
            "sertifikat": berkas("s.png", b"x"),
        },
    )
    assert refused.status_code == 400 and not PelatihanKha.objects.exists()
    client.post(
        url,
        {"tanggal": "2025-03-04", "penyelenggara": "KemenPPPA", "sertifikat": berkas("s.png", PNG)},
    )
    pelatihan = PelatihanKha.objects.get()
    unduh = reverse("koordinasi:sertifikat-unduh", args=[pelatihan.pk])
    assert client.get(unduh).status_code == 200
    client.force_login(operator_dinsos)  # the person's own agency
    assert client.get(unduh).status_code == 200


def test_a_certificate_is_not_served_to_other_agencies(
    client, anggota, dinsos, operator_dinkes, sekretariat
):
    kursi = anggota("Ratna Dewi", dinsos)
    pelatihan = agencies_services.pelatihan_catat(
        personil=kursi.personil,
        tanggal=datetime.date(2024, 1, 9),
        penyelenggara="KemenPPPA",
        sertifikat=berkas("sertifikat.pdf"),
        by=sekretariat,
    )
    client.force_login(operator_dinkes)
    assert (
        client.get(reverse("koordinasi:sertifikat-unduh", args=[pelatihan.pk])).status_code == 404
    )


def test_only_the_secretariat_manages_the_city_task_force_and_a_kecamatan_its_own(
    client, operator_dinkes, operator_kasemen, gugus_kota, kasemen, kota_serang, dinkes
):
    client.force_login(operator_dinkes)
    url = reverse("koordinasi:sk-tambah", args=[gugus_kota.pk])
    assert client.post(url, {"nomor": "1"}).status_code == 403
    client.force_login(operator_kasemen)
    buat = reverse("koordinasi:gugus-tugas-buat")
    assert client.post(buat, {"wilayah": kota_serang.kode}).status_code == 403
    response = client.post(buat, {"wilayah": kasemen.kode})
    gt = kasemen.gugus_tugas
    assert response["Location"] == reverse("koordinasi:gugus-tugas-detail", args=[gt.pk])
    assert gt.sub_tim.count() == 6
    response = client.post(
        reverse("koordinasi:sk-tambah", args=[gt.pk]),
        {"nomor": "400/7/Kec.Ksm/2025", "tanggal": "2025-04-01", "berlaku_mulai": "2025-04-01"},
    )
    assert gt.sk.count() == 1


def test_a_refused_new_member_leaves_no_person_behind(
    client, sekretariat, gugus_kota, dinsos, anggota, dinkes
):
    kursi = anggota("Sekda", dinkes, unsur=AnggotaGugusTugas.Unsur.PIMPINAN, sub=None)
    kursi.jabatan = AnggotaGugusTugas.Jabatan.KETUA
    kursi.save()
    client.force_login(sekretariat)
    data = {
        "nama": "Kepala Dinsos",
        "opd": dinsos.pk,
        "jabatan": "ketua",  # a second chair: refused
        "unsur": "pimpinan",
        "mulai": "2025-02-01",
    }
    for _i in range(2):  # pressed twice
        client.post(reverse("koordinasi:anggota-tambah", args=[gugus_kota.pk]), data)
    assert not Personil.objects.filter(nama="Kepala Dinsos").exists()


def test_a_decree_starting_later_is_not_in_force_yet(client, sekretariat, gugus_kota, dinsos):
    lama = gugus_kota.sk.get()
    depan = datetime.date.today() + datetime.timedelta(days=30)
    baru = agencies_services.sk_gugus_tugas_tambah(
        gugus_tugas=gugus_kota,
        nomor="463/Kep.9-Huk/2027",
        tanggal=datetime.date.today(),
        berlaku_mulai=depan,
        by=sekretariat,
    )
    assert gugus_kota.sk.berlaku() == lama
    assert gugus_kota.sk.berlaku(pada=depan) == baru
    client.force_login(sekretariat)
    halaman = client.get(reverse("koordinasi:gugus-tugas"))
    assert halaman.context["sk_berlaku"] == lama and "belum berlaku" in halaman.content.decode()
    # A member starting today sits under the decree in force today.
    client.post(
        reverse("koordinasi:anggota-tambah", args=[gugus_kota.pk]),
        {
            "nama": "Fitri",
            "opd": dinsos.pk,
            "jabatan": "anggota",
            "unsur": "teknis",
            "mulai": datetime.date.today().isoformat(),
        },
    )
    assert AnggotaGugusTugas.objects.get(personil__nama="Fitri").sk == lama


def test_no_notice_when_a_trained_member_still_sits_on_a_task_force(
    anggota, dinsos, sekretariat, kasemen, gugus_kota
):
    kursi = anggota("Ratna Dewi", dinsos, terlatih=True)
    gt_kasemen = agencies_services.gugus_tugas_buat(wilayah=kasemen, by=sekretariat)
    agencies_services.anggota_tambah(
        gugus_tugas=gt_kasemen, personil=kursi.personil, unsur="teknis", by=sekretariat
    )
    agencies_services.anggota_akhiri(anggota=kursi, alasan="Pindah ke kecamatan", by=sekretariat)
    assert not Notifikasi.objects.filter(judul__contains=KHUSUS).exists()


def test_moving_a_trained_member_keeps_them_and_tells_nobody(
    client, anggota, dinsos, sekretariat, gugus_kota
):
    kursi = anggota("Ratna Dewi", dinsos, terlatih=True, sub=2)
    kursi.mulai = datetime.date(2025, 1, 8)
    kursi.save()
    sub = gugus_kota.sub_tim.get(nama__startswith="Klaster V")
    client.force_login(sekretariat)
    response = client.post(
        reverse("koordinasi:anggota-pindah", args=[gugus_kota.pk]),
        {
            "anggota": kursi.pk,
            "jabatan": "koordinator",
            "sub_tim": sub.pk,
            "unsur": "teknis",
            "mulai": datetime.date.today().isoformat(),
        },
    )
    assert response.status_code == 302
    kursi.refresh_from_db()
    assert kursi.selesai == datetime.date.today() - datetime.timedelta(days=1)
    baru = gugus_kota.anggota.aktif().get(personil=kursi.personil)
    assert (baru.jabatan, baru.sub_tim) == ("koordinator", sub)
    assert not Notifikasi.objects.filter(judul__contains=KHUSUS).exists()


def test_a_training_recorded_from_the_english_ui_is_stored_in_indonesian(
    client, sekretariat, anggota, dinsos
):
    orang = anggota("Budi", dinsos).personil
    client.force_login(sekretariat)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(
        reverse("koordinasi:personil", args=[orang.pk]),
        {"tanggal": "2025-03-04", "penyelenggara": "KemenPPPA"},
    )
    translation.activate("id")
    assert PelatihanKha.objects.get().nama == "Pelatihan Konvensi Hak Anak (KHA)"


def test_the_city_task_force_is_the_served_city_one(settings, sekretariat, kota_serang):
    from agencies.models import GugusTugas, Wilayah

    tangsel = agencies_services.wilayah_muat(kode="36.74").kabkota
    lain = GugusTugas.objects.create(wilayah=tangsel, nama="Gugus Tugas Tangsel")  # first pk
    serang = GugusTugas.objects.create(wilayah=kota_serang, nama="Gugus Tugas Serang")
    assert Wilayah.objects.kabkota_dilayani() == kota_serang  # loaded first
    assert GugusTugas.objects.kota(kota_serang.pk) == serang
    assert lain.daerah == tangsel and serang.daerah == kota_serang
