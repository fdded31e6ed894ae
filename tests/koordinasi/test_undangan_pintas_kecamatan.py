"""On a kecamatan's task force, "Semua kepala OPD" invites the offices of that kecamatan that
have a head, not every agency of the city."""

from agencies import services as agencies_services
from koordinasi import services
from koordinasi.services import Pintasan
from tests.koordinasi.conftest import data_rapat
from tests.koordinasi.test_undangan_pintas import diundang


def test_a_kecamatan_task_force_invites_only_its_own_offices_heads(
    sekretariat, kantor_kec_serang, camat_serang, kepala_dinkes, kepala_dinsos, gugus_kota
):
    gugus_serang = agencies_services.gugus_tugas_buat(
        wilayah=kantor_kec_serang.wilayah, by=sekretariat
    )
    rapat = services.rapat_jadwalkan(
        gugus_tugas=gugus_serang,
        data=data_rapat(),
        pintasan=Pintasan(semua_kepala_opd=True),
        by=sekretariat,
    )
    assert diundang(rapat) == {(kantor_kec_serang.singkatan, None)}
    # The city's task force: every agency with a head (Dinkes, Dinsos and the kecamatan office).
    kota = services.rapat_jadwalkan(
        gugus_tugas=gugus_kota,
        data=data_rapat(judul="Rakor kota"),
        pintasan=Pintasan(semua_kepala_opd=True),
        by=sekretariat,
    )
    assert diundang(kota) == {
        ("Dinkes", None),
        ("Dinsos", None),
        (kantor_kec_serang.singkatan, None),
    }
