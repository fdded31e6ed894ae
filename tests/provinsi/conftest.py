"""The province of Banten hosting Kota Serang and Kota Cilegon: the province's people, and in
Cilegon an agency with an operator and a head, a secretariat, and three questions of its own
lead agency beside Kota Serang's (soal_dinkes, capped indicator 16)."""

from decimal import Decimal

import pytest

from agencies import services as agencies_services
from agencies.models import Peran, User, Wilayah
from clusters import services as clusters_services
from clusters.models import Indikator, Penugasan, Pertanyaan, VerifikasiProvinsi
from tests.conftest import PDF, OpdFactory, UserFactory, berkas


def orang(username: str, peran: str, *, daerah: Wilayah, opd=None, wilayah=None) -> User:
    user = UserFactory(username=username, nama_lengkap=username.replace(".", " ").title())
    agencies_services.keanggotaan_tambah(
        user=user, peran=peran, opd=opd, wilayah=wilayah, by=user, daerah=daerah
    )
    return User.objects.get(pk=user.pk)


@pytest.fixture
def banten(kota_serang) -> Wilayah:
    return Wilayah.objects.get(kode="36")


@pytest.fixture
def cilegon(kota_serang) -> Wilayah:
    return agencies_services.kabkota_layani(kode="36.72").kabkota


@pytest.fixture
def dinkes_cilegon(cilegon):
    return OpdFactory(daerah=cilegon, nama="Dinas Kesehatan Kota Cilegon", singkatan="Dinkes")


@pytest.fixture
def warga_cilegon(cilegon, dinkes_cilegon) -> dict[str, User]:
    dp3a = OpdFactory(daerah=cilegon, nama="DP3A Kota Cilegon", singkatan="DP3A")
    return {
        "sekretariat": orang("sekretariat.cilegon", Peran.SEKRETARIAT, daerah=cilegon, opd=dp3a),
        "operator": orang(
            "operator.cilegon", Peran.OPERATOR_OPD, daerah=cilegon, opd=dinkes_cilegon
        ),
        "kepala": orang("kepala.cilegon", Peran.KEPALA_OPD, daerah=cilegon, opd=dinkes_cilegon),
    }


@pytest.fixture
def provinsi(banten, cilegon, kota_serang) -> dict[str, User]:
    verifikator = orang(
        "verifikator.cilegon", Peran.VERIFIKATOR_PROVINSI, daerah=banten, wilayah=cilegon
    )
    return {
        "admin": orang("admin.provinsi", Peran.ADMIN_PROVINSI, daerah=banten),
        "pimpinan": orang("pimpinan.provinsi", Peran.PIMPINAN_PROVINSI, daerah=banten),
        "verifikator": verifikator,
        "verifikator_serang": orang(
            "verifikator.serang", Peran.VERIFIKATOR_PROVINSI, daerah=banten, wilayah=kota_serang
        ),
    }


@pytest.fixture
def soal_cilegon(soal_dinkes, indikator, dinkes_cilegon) -> dict[str, Pertanyaan]:
    """soal_dinkes (graded, max 8, evidence required, in indicator 15 worth 20), and q3, q4
    (points given directly, max 8 each) in indicator 16, worth 12: their sum is capped."""
    ind16 = Indikator.objects.create(
        tahun=indikator.tahun,
        kelompok=indikator.kelompok,
        kode="Indikator 16",
        nama="Pusat kreativitas anak",
        urutan=2,
        nilai_max=Decimal(12),
    )
    soal = {"q1": soal_dinkes}
    for n, kode in enumerate(("Pertanyaan A", "Pertanyaan B"), start=3):
        soal[f"q{n}"] = Pertanyaan.objects.create(
            tahun=indikator.tahun,
            indikator=ind16,
            kode=kode,
            teks=f"{kode}: apakah tersedia?",
            urutan=n,
            nilai_max=Decimal(8),
            lingkup=Pertanyaan.Lingkup.KABKOTA,
            cara_penilaian=Pertanyaan.CaraPenilaian.LANGSUNG,
        )
    for p in soal.values():
        Penugasan.objects.create(pertanyaan=p, opd=dinkes_cilegon, utama=True)
    return soal


def jawab_sampai_terverifikasi(warga, pertanyaan, *, poin_kota, versi=0, **nilai):
    """The city's own workflow: the operator saves and sends, the head approves, the
    secretariat verifies at ``poin_kota``."""
    jawaban = clusters_services.jawaban_simpan(
        pertanyaan=pertanyaan, by=warga["operator"], versi=versi, **nilai
    )
    if pertanyaan.wajib_lampiran and not jawaban.lampiran.exists():
        clusters_services.lampiran_tambah(
            pertanyaan=pertanyaan, by=warga["operator"], berkas=berkas("sk.pdf", PDF)
        )
    jawaban.refresh_from_db()
    clusters_services.jawaban_kirim(jawaban=jawaban, by=warga["operator"])
    clusters_services.jawaban_setujui(jawaban=jawaban, by=warga["kepala"])
    return clusters_services.jawaban_verifikasi(
        jawaban=jawaban, by=warga["sekretariat"], poin=Decimal(poin_kota)
    )


@pytest.fixture
def cilegon_terverifikasi(warga_cilegon, soal_cilegon) -> dict:
    """Cilegon's three answers verified by its secretariat: 6 (of a graded 6), 8 and 7."""
    return {
        "q1": jawab_sampai_terverifikasi(
            warga_cilegon, soal_cilegon["q1"], poin_kota=6, fraksi=Decimal("0.75")
        ),
        "q3": jawab_sampai_terverifikasi(
            warga_cilegon, soal_cilegon["q3"], poin_kota=8, poin_langsung=Decimal(8)
        ),
        "q4": jawab_sampai_terverifikasi(
            warga_cilegon, soal_cilegon["q4"], poin_kota=7, poin_langsung=Decimal(8)
        ),
    }


def vp(jawaban) -> VerifikasiProvinsi:
    return VerifikasiProvinsi.objects.get(jawaban=jawaban)
