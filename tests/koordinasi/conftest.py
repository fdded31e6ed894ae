"""Fixtures of coordination: the city's task force with its decree, a meeting held last week
with Dinas Kesehatan and Dinas Sosial invited, and one coming next week."""

import datetime

import pytest
from django.utils import timezone

from agencies import services as agencies_services
from agencies.models import AnggotaGugusTugas
from koordinasi import services
from koordinasi.services import DataRapat
from tests.conftest import berkas

ZONA = timezone.get_current_timezone()


def jam(hari: int, pukul: int = 9) -> datetime.datetime:
    """A time ``hari`` days from today at ``pukul`` o'clock, Jakarta time."""
    tanggal = timezone.localdate() + datetime.timedelta(days=hari)
    return datetime.datetime.combine(tanggal, datetime.time(pukul), tzinfo=ZONA)


def data_rapat(judul="Rapat Koordinasi Gugus Tugas KLA", hari=7, **values) -> DataRapat:
    return DataRapat(
        **{
            "judul": judul,
            "mulai": jam(hari),
            "selesai": jam(hari, 11),
            "agenda": "1. Kemajuan evaluasi KLA\n2. Laporan RAD triwulan",
            "tempat": "Ruang Rapat Bappeda",
        }
        | values
    )


@pytest.fixture
def operator_serang(make_person, kota_serang):
    """The area operator of Kecamatan Serang (the kecamatan of Kelurahan Cipare)."""
    from agencies.models import Peran, Wilayah

    return make_person(
        "operator.serang",
        Peran.OPERATOR_WILAYAH,
        wilayah=Wilayah.objects.get(kode="36.73.01"),
        nama="Yayat Supriatna",
    )


@pytest.fixture
def gugus_kota(kota_serang, sekretariat):
    gugus = agencies_services.gugus_tugas_buat(wilayah=kota_serang, by=sekretariat)
    agencies_services.sk_gugus_tugas_tambah(
        gugus_tugas=gugus,
        nomor="463/Kep.112-Huk/2025",
        tanggal=datetime.date(2025, 1, 8),
        berlaku_mulai=datetime.date(2025, 1, 8),
        berkas=berkas("SK Gugus Tugas 2025.pdf"),
        by=sekretariat,
    )
    return gugus


@pytest.fixture
def rapat_lalu(gugus_kota, sekretariat, dinkes, dinsos):
    """A meeting last week, Dinas Kesehatan and Dinas Sosial invited, attendance not recorded."""
    return services.rapat_jadwalkan(
        gugus_tugas=gugus_kota,
        data=data_rapat("Rakor Maret", hari=-7),
        opd=[dinkes, dinsos],
        by=sekretariat,
        kabari=False,
    )


@pytest.fixture
def rapat_depan(gugus_kota, sekretariat, dinkes):
    """A meeting next week with Dinas Kesehatan invited."""
    return services.rapat_jadwalkan(
        gugus_tugas=gugus_kota, data=data_rapat("Rakor April"), opd=[dinkes], by=sekretariat
    )


@pytest.fixture
def tindak_dinkes(rapat_lalu, dinkes, sekretariat):
    return services.tindak_lanjut_tambah(
        rapat=rapat_lalu,
        keputusan="Kirim data Puskesmas Ramah Anak",
        opd=dinkes,
        tenggat=timezone.localdate() + datetime.timedelta(days=7),
        by=sekretariat,
    )


@pytest.fixture
def tindak_dinsos(rapat_lalu, dinsos, sekretariat):
    return services.tindak_lanjut_tambah(
        rapat=rapat_lalu,
        keputusan="Perbarui data LKSA",
        opd=dinsos,
        tenggat=timezone.localdate() + datetime.timedelta(days=7),
        by=sekretariat,
    )


@pytest.fixture
def anggota(gugus_kota, sekretariat):
    """Give someone a seat: ``anggota(nama, opd, unsur=..., sub=index, terlatih=False)``."""

    def make(nama, opd, *, unsur=AnggotaGugusTugas.Unsur.TEKNIS, sub=0, terlatih=False, user=None):
        orang = agencies_services.personil_simpan(nama=nama, opd=opd, user=user, by=sekretariat)
        if terlatih:
            agencies_services.pelatihan_catat(
                personil=orang,
                tanggal=datetime.date(2024, 5, 2),
                penyelenggara="KemenPPPA",
                by=sekretariat,
            )
        sub_tim = list(gugus_kota.sub_tim.all())[sub] if sub is not None else None
        return agencies_services.anggota_tambah(
            gugus_tugas=gugus_kota, personil=orang, unsur=unsur, sub_tim=sub_tim, by=sekretariat
        )

    return make


@pytest.fixture(autouse=True)
def email_rapat(monkeypatch):
    """The meetings' e-mails are sent by a worker (koordinasi.tasks.kirim_email_rapat); here the
    queued task runs at once in the test process, and each call is kept to be checked."""
    from koordinasi import tasks

    antrean = []

    def delay(*args, **kwargs):
        antrean.append((args, kwargs))
        return tasks.kirim_email_rapat(*args, **kwargs)

    monkeypatch.setattr(tasks.kirim_email_rapat, "delay", delay)
    return antrean
