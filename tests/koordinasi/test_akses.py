"""Who acts for a kecamatan, and a kecamatan's own task force: the lurah is not the kecamatan
office, another kecamatan's task force is not found, a kecamatan's operator forms and keeps
their own (members, training, meetings) and links only their kecamatan's accounts."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agencies import services as agencies_services
from agencies.models import AnggotaGugusTugas, Notifikasi, PelatihanKha, Peran, Personil
from koordinasi import services
from koordinasi.models import Rapat
from tests.koordinasi.conftest import data_rapat


@pytest.fixture
def gugus_kasemen(kasemen, operator_kasemen, gugus_kota):
    return agencies_services.gugus_tugas_buat(wilayah=kasemen, by=operator_kasemen)


def test_the_lurah_is_not_told_of_the_kecamatan_office_meeting_but_its_operator_is(
    gugus_kota, kantor_kec_serang, camat_serang, operator_serang, lurah_cipare, sekretariat
):
    services.rapat_jadwalkan(
        gugus_tugas=gugus_kota,
        data=data_rapat("Rakor kecamatan"),
        opd=[kantor_kec_serang],
        by=sekretariat,
    )
    diberi_tahu = set(
        Notifikasi.objects.filter(judul__startswith="Undangan rapat").values_list(
            "penerima__username", flat=True
        )
    )
    assert diberi_tahu == {"camat.serang", "operator.serang"}


def test_a_kecamatan_operator_sees_only_the_city_and_own_kecamatan_task_forces(
    client, operator_kasemen, lurah_cipare, gugus_kasemen, kantor_kec_serang, sekretariat
):
    serang = agencies_services.gugus_tugas_buat(wilayah=kantor_kec_serang.wilayah, by=sekretariat)
    client.force_login(operator_kasemen)
    kota = client.get(reverse("koordinasi:gugus-tugas"))
    assert [g.pk for g in kota.context["kecamatan"]] == [gugus_kasemen.pk]
    assert client.get(reverse("koordinasi:gugus-tugas-detail", args=[serang.pk])).status_code == 404
    # The lurah of Cipare reads Kecamatan Serang's (their own kecamatan) and changes nothing.
    client.force_login(lurah_cipare)
    halaman = client.get(reverse("koordinasi:gugus-tugas-detail", args=[serang.pk]))
    assert halaman.status_code == 200 and not halaman.context["kelola"]
    assert (
        client.get(reverse("koordinasi:gugus-tugas-detail", args=[gugus_kasemen.pk])).status_code
        == 404
    )


def test_a_kecamatan_operator_forms_their_task_force_from_the_page(
    client, operator_kasemen, gugus_kota, kasemen
):
    client.force_login(operator_kasemen)
    halaman = client.get(reverse("koordinasi:gugus-tugas"))
    assert halaman.context["bisa_dibentuk"] == [kasemen]
    assert "Bentuk Gugus Tugas KLA Kecamatan Kasemen" in halaman.content.decode()
    client.post(reverse("koordinasi:gugus-tugas-buat"), {"wilayah": kasemen.kode})
    assert kasemen.gugus_tugas.sub_tim.count() == 6
    assert client.get(reverse("koordinasi:gugus-tugas")).context["bisa_dibentuk"] == []


def test_only_the_secretariat_forms_the_city_task_force_when_none_exists(
    client, kota_serang, sekretariat, operator_kasemen
):
    client.force_login(operator_kasemen)
    belum = client.get(reverse("koordinasi:gugus-tugas"))
    assert not belum.context["boleh_bentuk_kota"] and belum.context["bisa_dibentuk"]
    client.force_login(sekretariat)
    belum = client.get(reverse("koordinasi:gugus-tugas"))
    assert belum.context["boleh_bentuk_kota"]
    assert f"Bentuk Gugus Tugas KLA {kota_serang.nama}" in belum.content.decode()


def test_a_kecamatan_operator_records_training_of_their_member_only(
    client, operator_kasemen, gugus_kasemen, anggota, dinkes
):
    orang = agencies_services.personil_simpan(nama="Lurah Kasemen", opd=dinkes, by=operator_kasemen)
    agencies_services.anggota_tambah(
        gugus_tugas=gugus_kasemen, personil=orang, unsur="pimpinan", by=operator_kasemen
    )
    kota_saja = anggota("Siti", dinkes).personil  # sits on the city's task force only
    client.force_login(operator_kasemen)
    data = {"tanggal": "2025-03-04", "penyelenggara": "DP3AP2KB Kota Serang"}
    assert client.post(reverse("koordinasi:personil", args=[orang.pk]), data).status_code == 302
    assert PelatihanKha.objects.filter(personil=orang).exists()
    assert client.post(reverse("koordinasi:personil", args=[kota_saja.pk]), data).status_code == 403
    assert not PelatihanKha.objects.filter(personil=kota_saja).exists()


def test_a_kecamatan_operator_schedules_their_own_task_force_meetings(
    client, operator_kasemen, gugus_kasemen, gugus_kota, dinsos, operator_dinsos
):
    client.force_login(operator_kasemen)
    halaman = client.get(reverse("koordinasi:gugus-tugas-detail", args=[gugus_kasemen.pk]))
    baru = reverse("koordinasi:rapat-baru") + f"?gugus={gugus_kasemen.pk}"
    assert baru in halaman.content.decode()  # the "Jadwalkan rapat" link
    besok = datetime.date.today() + datetime.timedelta(days=3)
    data = {
        "judul": "Rakor Gugus Tugas Kecamatan Kasemen",
        "tanggal": besok.isoformat(),
        "jam_mulai": "09:00",
        "jam_selesai": "11:00",
        "tempat": "Aula Kecamatan Kasemen",
        "agenda": "PATBM di kelurahan",
        "opd": [dinsos.pk],
        "gugus": gugus_kasemen.pk,
    }
    assert client.post(reverse("koordinasi:rapat-baru"), data).status_code == 302
    rapat = Rapat.objects.get()
    assert rapat.gugus_tugas == gugus_kasemen
    assert client.get(rapat.get_absolute_url()).context["kelola"]
    # Not the city's task force.
    kota = reverse("koordinasi:rapat-baru") + f"?gugus={gugus_kota.pk}"
    assert client.get(kota).status_code == 403


def test_the_account_field_offers_a_kecamatan_operator_only_their_kecamatan_accounts(
    client, operator_kasemen, gugus_kasemen, make_person, kasemen, sekretariat, admin_portal, dp3a
):
    lurah = make_person("lurah.kasemen", Peran.OPERATOR_WILAYAH, wilayah=kasemen.anak.first())
    client.force_login(operator_kasemen)
    halaman = client.get(reverse("koordinasi:gugus-tugas-detail", args=[gugus_kasemen.pk]))
    akun = set(halaman.context["form_anggota"].fields["user"].queryset)
    assert akun == {operator_kasemen, lurah}
    # The secretariat's account, linked by posting its id, is refused and nobody is recorded.
    response = client.post(
        reverse("koordinasi:anggota-tambah", args=[gugus_kasemen.pk]),
        {
            "nama": "Rina",
            "opd": dp3a.pk,
            "user": sekretariat.pk,
            "jabatan": "anggota",
            "unsur": "teknis",
            "mulai": "2025-02-01",
        },
    )
    assert response.status_code == 302
    assert not Personil.objects.filter(user=sekretariat).exists()
    # The service refuses too, whatever a form offered.
    with pytest.raises(ValidationError, match="tidak dapat menautkan"):
        agencies_services.personil_simpan(
            nama="Admin", opd=dp3a, user=admin_portal, by=operator_kasemen
        )
    orang = agencies_services.personil_simpan(
        nama="Lurah", opd=dp3a, user=lurah, by=operator_kasemen
    )
    assert orang.user == lurah


def test_an_area_operator_may_not_form_another_city_or_its_kecamatan(
    client, sekretariat, kota_serang
):
    tangsel = agencies_services.wilayah_muat(kode="36.74").kabkota
    client.force_login(sekretariat)
    for kode in (tangsel.kode, tangsel.anak.first().kode):
        assert (
            client.post(reverse("koordinasi:gugus-tugas-buat"), {"wilayah": kode}).status_code
            == 404
        )
    with pytest.raises(ValidationError, match="bukan wilayah kota yang dilayani"):
        agencies_services.gugus_tugas_buat(wilayah=tangsel, by=sekretariat)
    assert not AnggotaGugusTugas.objects.exists()
