"""Inviting at once: "Semua anggota Gugus Tugas" and "Semua kepala OPD" are read when the
meeting is saved, added to whoever was chosen one by one, each invited once; a choice that is
not one of the form's (a made-up or foreign number) is refused and nothing is saved."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agencies import services as agencies_services
from agencies.models import Peran
from koordinasi import services
from koordinasi.models import Rapat
from koordinasi.services import Pintasan
from tests.conftest import OpdFactory
from tests.koordinasi.conftest import data_rapat
from tests.koordinasi.test_rapat import form_rapat


def diundang(rapat) -> set[tuple[str, str | None]]:
    """Each invitation as (agency abbreviation, person's name or None for the agency)."""
    return {
        (u.opd.singkatan, u.personil.nama if u.personil else None)
        for u in rapat.undangan.select_related("opd", "personil")
    }


@pytest.fixture
def tiga_anggota(anggota, dinkes, dinsos, dp3a, sekretariat):
    """Three seats on the city's task force, and one that ended today (no longer a member)."""
    anggota("Ani Rahmawati", dinkes)
    yusuf = anggota("Yusuf Maulana", dinsos)
    anggota("Rina Marlina", dp3a)
    pergi = anggota("Hadi Prasetyo", dinsos)
    agencies_services.anggota_akhiri(anggota=pergi, by=sekretariat, alasan="Mutasi", kabari=False)
    return yusuf.personil


def test_all_task_force_members_are_invited_each_once_with_those_chosen_by_hand(
    sekretariat, gugus_kota, dinkes, tiga_anggota
):
    rapat = services.rapat_jadwalkan(
        gugus_tugas=gugus_kota,
        data=data_rapat(),
        opd=[dinkes],
        personil=[tiga_anggota],  # Yusuf, chosen by hand and a member too
        pintasan=Pintasan(semua_anggota=True),
        by=sekretariat,
    )
    assert diundang(rapat) == {
        ("Dinkes", None),
        ("Dinkes", "Ani Rahmawati"),
        ("Dinsos", "Yusuf Maulana"),
        ("DP3AP2KB", "Rina Marlina"),
    }
    assert rapat.undangan.count() == 4


def test_all_agency_heads_are_their_agencies_invited_once(
    sekretariat, gugus_kota, dinkes, dinsos, dp3a, kepala_dinkes, kepala_dinsos, make_person
):
    # Not invited: an agency no longer active, though its head still holds the role; an agency
    # whose head's account is switched off; an agency with only an operator; DP3A (the
    # secretariat sits there, no head).
    lama = OpdFactory(nama="Kantor Lama", singkatan="KL")
    make_person("kepala.lama", Peran.KEPALA_OPD, opd=lama)
    agencies_services.opd_ubah(opd=lama, aktif=False, by=sekretariat)
    dukcapil = OpdFactory(nama="Dinas Kependudukan dan Pencatatan Sipil", singkatan="Disdukcapil")
    nonaktif = make_person("kepala.dukcapil", Peran.KEPALA_OPD, opd=dukcapil)
    nonaktif.is_active = False
    nonaktif.save()
    dishub = OpdFactory(nama="Dinas Perhubungan", singkatan="Dishub")
    make_person("operator.dishub", Peran.OPERATOR_OPD, opd=dishub)

    rapat = services.rapat_jadwalkan(
        gugus_tugas=gugus_kota,
        data=data_rapat(),
        opd=[dinsos, dp3a],  # Dinsos chosen by hand and through its head
        pintasan=Pintasan(semua_kepala_opd=True),
        by=sekretariat,
    )
    assert diundang(rapat) == {("Dinkes", None), ("Dinsos", None), ("DP3AP2KB", None)}


def test_a_head_whose_role_ended_no_longer_brings_the_agency(
    sekretariat, gugus_kota, dinkes, dinsos, kepala_dinkes, kepala_dinsos
):
    agencies_services.keanggotaan_akhiri(
        keanggotaan=kepala_dinsos.keanggotaan.get(), by=sekretariat, alasan="Pensiun"
    )
    rapat = services.rapat_jadwalkan(
        gugus_tugas=gugus_kota,
        data=data_rapat(),
        pintasan=Pintasan(semua_kepala_opd=True),
        by=sekretariat,
    )
    assert diundang(rapat) == {("Dinkes", None)}


def test_the_form_ticks_both_shortcuts_and_members_are_read_when_it_is_saved(
    client, sekretariat, gugus_kota, dinkes, dinsos, kepala_dinkes, anggota
):
    anggota("Ani Rahmawati", dinkes)
    client.force_login(sekretariat)
    assert client.get(reverse("koordinasi:rapat-baru")).status_code == 200
    anggota("Yusuf Maulana", dinsos)  # joins while the form is open
    response = client.post(
        reverse("koordinasi:rapat-baru"),
        form_rapat(semua_anggota="on", semua_kepala_opd="on", opd=[dinkes.pk]),
    )
    rapat = Rapat.objects.get()
    assert response["Location"] == rapat.get_absolute_url()
    assert diundang(rapat) == {
        ("Dinkes", None),
        ("Dinkes", "Ani Rahmawati"),
        ("Dinsos", "Yusuf Maulana"),
    }


def test_changing_a_meeting_with_a_shortcut_adds_the_members_and_keeps_the_others(
    client, sekretariat, rapat_depan, dinsos, anggota
):
    anggota("Yusuf Maulana", dinsos)
    awal = rapat_depan.mulai_lokal
    client.force_login(sekretariat)
    response = client.post(
        reverse("koordinasi:rapat-ubah", args=[rapat_depan.pk]),
        form_rapat(
            judul=rapat_depan.judul,
            tanggal=awal.date().isoformat(),
            jam_mulai="09:00",
            jam_selesai="11:00",
            tempat=rapat_depan.tempat,
            agenda=rapat_depan.agenda,
            opd=[u.opd_id for u in rapat_depan.undangan.all()],
            semua_anggota="on",
            versi=rapat_depan.versi,
        ),
    )
    assert response.status_code == 302
    assert diundang(rapat_depan) == {("Dinkes", None), ("Dinsos", "Yusuf Maulana")}


def test_a_shortcut_that_stands_for_nobody_is_refused_beside_it(client, sekretariat, gugus_kota):
    client.force_login(sekretariat)
    response = client.post(reverse("koordinasi:rapat-baru"), form_rapat(semua_anggota="on"))
    assert response.status_code == 400
    assert "Gugus Tugas ini belum punya anggota; undang satu per satu." in (
        response.content.decode()
    )
    assert not Rapat.objects.exists()
    with pytest.raises(ValidationError, match="Belum ada kepala OPD yang tercatat di portal"):
        services.rapat_jadwalkan(
            gugus_tugas=gugus_kota,
            data=data_rapat(),
            pintasan=Pintasan(semua_kepala_opd=True),
            by=sekretariat,
        )
    assert not Rapat.objects.exists()


@pytest.mark.parametrize(
    ("isian", "pesan"),
    [
        ({"opd": ["999999"]}, "OPD/lembaga nomor 999999 tidak ada atau tidak aktif."),
        ({"opd": ["Dinkes"]}, "“Dinkes” bukan nomor OPD/lembaga."),
        ({"personil": ["999999"]}, "Orang nomor 999999 tidak ada atau tidak dapat Anda undang."),
        ({"personil": ["1; DROP"]}, "“1; DROP” bukan nomor orang."),
    ],
)
def test_a_choice_that_is_not_on_the_form_is_refused_and_nothing_is_saved(
    client, sekretariat, gugus_kota, dinkes, isian, pesan
):
    client.force_login(sekretariat)
    response = client.post(
        reverse("koordinasi:rapat-baru"), form_rapat(semua_kepala_opd="on") | isian
    )
    assert response.status_code == 400
    assert pesan in response.content.decode()
    assert not Rapat.objects.exists()


def test_an_inactive_agency_or_a_person_the_operator_may_not_see_cannot_be_invited(
    client, sekretariat, kasemen, operator_kasemen, dinkes, dinsos
):
    """The kecamatan operator's list holds the people they may see; the number of someone
    else's person (recorded by the secretariat, on no task force they read), or of an agency
    switched off, posted anyway, is refused."""
    kasemen_gugus = agencies_services.gugus_tugas_buat(wilayah=kasemen, by=operator_kasemen)
    orang_lain = agencies_services.personil_simpan(nama="Ani Rahmawati", opd=dinkes, by=sekretariat)
    tutup = OpdFactory(nama="Kantor Lama", singkatan="KL", aktif=False)
    client.force_login(operator_kasemen)
    for isian, pesan in [
        ({"personil": [orang_lain.pk]}, f"Orang nomor {orang_lain.pk} tidak ada"),
        ({"opd": [tutup.pk]}, f"OPD/lembaga nomor {tutup.pk} tidak ada atau tidak aktif."),
    ]:
        response = client.post(
            reverse("koordinasi:rapat-baru"),
            form_rapat(gugus=kasemen_gugus.pk, opd=[dinsos.pk]) | isian,
        )
        assert response.status_code == 400
        assert pesan in response.content.decode()
    assert not Rapat.objects.exists()
