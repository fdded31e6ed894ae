"""The province dashboard: every kab/kota of the province and no other, PROVILA readiness by
how many points, XLSX of each table, the province's roles, and query counts that do not grow
with the number of cities (3 and 38, East Java's count)."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from agencies import services as agencies_services
from agencies.models import Keanggotaan, Peran, User, Wilayah
from agencies.services.wilayah import kabkota_di_provinsi
from clusters import services as clusters_services
from clusters.models import EvaluasiDaerah, SkorSnapshot, SumberData
from provinsi import services
from tests.provinsi.conftest import orang

pytestmark = pytest.mark.django_db

DASBOR = "/provinsi/"


def _snapshot(kota, tahun, *, verifikasi, provinsi=None):
    return SkorSnapshot.objects.create(
        daerah=kota,
        tahun=tahun,
        data_per=timezone.now(),
        total_mandiri=verifikasi,
        total_verifikasi=verifikasi,
        total_berbukti=verifikasi,
        total_provinsi=provinsi,
    )


def test_provila_readiness_names_the_cities_short_by_how_many_points(
    client, tahun, kota_serang, cilegon, provinsi
):
    _snapshot(kota_serang, tahun, verifikasi=Decimal("612.50"))
    _snapshot(cilegon, tahun, verifikasi=Decimal("488.25"))
    client.force_login(provinsi["pimpinan"])
    response = client.get(DASBOR)
    assert response.status_code == 200
    isi = response.context["isi"]
    assert [str(b.kota) for b in isi.baris] == ["Kota Cilegon", "Kota Serang"]
    p = isi.provila
    assert p.semua == len(kabkota_di_provinsi("36")) == 8
    assert [str(b.kota) for b in p.berkategori] == ["Kota Serang"]
    # Pratama starts at 500: Cilegon is 11,75 points short.
    assert [(str(b.kota), kurang) for b, kurang in p.kurang] == [("Kota Cilegon", Decimal("11.75"))]
    assert len(p.belum_dilayani) == 6
    html = response.content.decode()
    assert "kurang <strong>11,75</strong> poin menuju Pratama" in html
    assert "1 dari 8" in html.replace("<strong>", "").replace("</strong>", "")
    # The leadership reads; it has no forms to change anything.
    assert "Layani kab/kota" not in html


def test_the_province_total_places_a_city_once_the_province_finished(
    client, tahun, cilegon, provinsi
):
    _snapshot(cilegon, tahun, verifikasi=Decimal(520), provinsi=Decimal(495))
    EvaluasiDaerah.objects.create(tahun=tahun, daerah=cilegon, status_provinsi="dikirim")
    client.force_login(provinsi["admin"])

    def baris_cilegon():
        return next(b for b in client.get(DASBOR).context["isi"].baris if b.kota == cilegon)

    baris = baris_cilegon()
    assert (baris.dasar, baris.kategori) == (Decimal(520), "Pratama")
    EvaluasiDaerah.objects.filter(daerah=cilegon).update(status_provinsi="selesai")
    baris = baris_cilegon()
    assert (baris.dasar, baris.kategori) == (Decimal(495), "Belum")
    assert baris.berikut == ("Pratama", Decimal(5))


def test_each_table_downloads_as_xlsx_with_what_the_page_shows(client, tahun, cilegon, provinsi):
    _snapshot(cilegon, tahun, verifikasi=Decimal("601.00"))
    services.batas_atur(
        tahun=tahun,
        kota=cilegon,
        batas=timezone.localdate() - datetime.timedelta(days=4),
        by=provinsi["admin"],
    )
    client.force_login(provinsi["admin"])
    response = client.get(DASBOR, {"unduh": "kab-kota"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Kabupaten/kota" and rows[1][0] == "Kota Cilegon"
    assert rows[1][3] == 601 and rows[1][5] == "Madya"
    assert rows[1][9] == 4  # four days past the province's deadline, not sent
    provila = openpyxl.load_workbook(io.BytesIO(client.get(DASBOR, {"unduh": "provila"}).content))
    assert {r[0] for r in list(provila.active.values)[1:]} >= {"Kota Serang", "Kabupaten Lebak"}
    assert client.get(DASBOR, {"unduh": "lain"}).status_code == 404


def test_city_roles_and_another_province_see_no_province_dashboard(
    client, tahun, kota_serang, cilegon, sekretariat, admin_portal
):
    for user in (sekretariat, admin_portal.__class__.objects.get(pk=admin_portal.pk)):
        client.force_login(user)
        if user.is_superuser:
            continue
        assert client.get(DASBOR).status_code == 403
    # A city admin (not the installation's operator) is not the province.
    client.force_login(orang("admin.serang", Peran.ADMIN, daerah=kota_serang))
    assert client.get(DASBOR).status_code == 403
    # West Java's admin in the same installation reads none of Banten's cities.
    bandung = agencies_services.kabkota_layani(kode="32.73").kabkota
    jabar = orang("admin.jabar", Peran.ADMIN_PROVINSI, daerah=bandung.induk)
    client.force_login(jabar)
    assert [str(b.kota) for b in client.get(DASBOR).context["isi"].baris] == ["Kota Bandung"]


def test_the_province_admin_serves_a_city_with_its_first_secretariat_account(
    client, tahun, kota_serang, provinsi, soal_dinkes
):
    soal_dinkes.sumber_data = ["Dinkes", "DP3A"]
    soal_dinkes.save()
    client.force_login(provinsi["admin"])
    # Another province's kab/kota, or one served already: refused, nothing made.
    for kode in ("32.73", "36.73", "36.99"):
        response = client.post(
            reverse("provinsi:kota-tambah"),
            {"kode": kode, "username": "sekretariat.x", "nama_lengkap": "X"},
            follow=True,
        )
        assert "Kab/kota tidak ditambahkan" in response.content.decode()
    assert not User.objects.filter(username="sekretariat.x").exists()
    response = client.post(
        reverse("provinsi:kota-tambah"),
        {"kode": "36.02", "username": "sekretariat.lebak", "nama_lengkap": "Sekretariat Lebak"},
    )
    assert response.status_code == 200 and "sekretariat.lebak" in response.content.decode()
    lebak = Wilayah.objects.get(kode="36.02")
    assert lebak.dilayani_sejak is not None
    akun = User.objects.get(username="sekretariat.lebak")
    assert akun.wajib_ganti_sandi and akun.daerah == lebak and akun.has_role(Peran.SEKRETARIAT)
    assert set(SumberData.objects.filter(daerah=lebak).values_list("nama", flat=True)) == {
        "Dinkes",
        "DP3A",
    }
    # Its new secretariat sees its own city, none of Kota Serang's.
    User.objects.filter(pk=akun.pk).update(wajib_ganti_sandi=False)  # changed on first login
    client.force_login(akun)
    halaman = client.get(reverse("agencies:opd-list")).content.decode()
    assert "Dinas Kesehatan" not in halaman and "Kabupaten Lebak" in halaman


def test_verifiers_are_assigned_per_city_from_the_province_accounts_only(
    client, tahun, kota_serang, cilegon, provinsi, sekretariat
):
    client.force_login(provinsi["admin"])
    url = reverse("provinsi:verifikator-tambah")
    response = client.post(url, {"kota": cilegon.pk, "username": "sekretariat"}, follow=True)
    assert "bukan akun provinsi" in response.content.decode()
    client.post(url, {"kota": cilegon.pk, "username": "verifikator.serang"})
    assert cilegon.pk in User.objects.get(username="verifikator.serang").kota_verifikasi_ids()
    response = client.post(url, {"kota": cilegon.pk, "username": "tim.baru", "nama_lengkap": "Tim"})
    assert response.status_code == 200
    baru = Keanggotaan.objects.get(user__username="tim.baru")
    assert (baru.peran, baru.wilayah_id, baru.daerah.kode) == (
        Peran.VERIFIKATOR_PROVINSI,
        cilegon.pk,
        "36",
    )
    # The leadership cannot assign anyone.
    client.force_login(provinsi["pimpinan"])
    assert client.post(url, {"kota": cilegon.pk, "username": "x"}).status_code == 403


def _kota_jatim(n: int) -> list[Wilayah]:
    jatim, _ = Wilayah.objects.get_or_create(
        kode="35", defaults={"nama": "Jawa Timur", "tingkat": Wilayah.Tingkat.PROVINSI}
    )
    ada = set(Wilayah.objects.filter(induk=jatim).values_list("kode", flat=True))
    Wilayah.objects.bulk_create(
        Wilayah(
            kode=kode,
            nama=nama,
            tingkat=Wilayah.Tingkat.KABKOTA,
            induk=jatim,
            dilayani_sejak=timezone.localdate(),
        )
        for kode, nama in kabkota_di_provinsi("35")[:n]
        if kode not in ada
    )
    return list(Wilayah.objects.filter(induk=jatim))


def _isi_kota(kota: list[Wilayah], tahun, admin) -> None:
    for k in kota:
        if not SkorSnapshot.objects.filter(daerah=k).exists():
            _snapshot(k, tahun, verifikasi=Decimal(480), provinsi=Decimal(470))
            services.batas_atur(tahun=tahun, kota=k, batas=timezone.localdate(), by=admin)


def test_the_dashboard_reads_as_many_queries_for_38_cities_as_for_3(
    client, tahun, django_assert_num_queries
):
    kota = _kota_jatim(3)
    admin = orang("admin.jatim", Peran.ADMIN_PROVINSI, daerah=kota[0].induk)
    _isi_kota(kota, tahun, admin)
    client.force_login(admin)
    client.get(DASBOR)  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as tiga:
        assert len(client.get(DASBOR).context["isi"].baris) == 3
    kota = _kota_jatim(38)
    _isi_kota(kota, tahun, admin)
    with CaptureQueriesContext(connection) as tiga_puluh_delapan:
        assert len(client.get(DASBOR).context["isi"].baris) == 38
    assert len(tiga_puluh_delapan) == len(tiga)


@pytest.mark.parametrize(
    "halaman",
    ["/", "/skor/2024/", "/opd/", "/evaluasi/tugas/", "/koordinasi/rapat/", "/laporan/"],
)
def test_a_city_page_reads_as_many_queries_with_38_more_cities_served(
    client, halaman, tahun, kota_serang, sekretariat, operator_dinkes, soal_dinkes
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clusters_services.skor_hitung(tahun=tahun)
    user = operator_dinkes if "tugas" in halaman else sekretariat
    client.force_login(user)
    client.get(halaman)
    with CaptureQueriesContext(connection) as satu:
        assert client.get(halaman).status_code == 200
    kota = _kota_jatim(38)
    _isi_kota(kota, tahun, orang("admin.jatim", Peran.ADMIN_PROVINSI, daerah=kota[0].induk))
    with CaptureQueriesContext(connection) as banyak:
        assert client.get(halaman).status_code == 200
    assert len(banyak) == len(satu), halaman


def test_the_command_gives_a_province_role_making_the_account_when_needed(kota_serang, cilegon):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("peran_provinsi", "admin.banten", "36", "--nama", "Admin Banten", stdout=out)
    assert "kata sandi sementara" in out.getvalue()
    admin = User.objects.get(username="admin.banten")
    assert admin.daerah.kode == "36" and admin.has_perm("agencies.kelola_provinsi")
    call_command(
        "peran_provinsi",
        "admin.banten",
        "36",
        "--peran",
        "verifikator_provinsi",
        "--kota",
        "36.72",
        stdout=StringIO(),
    )
    assert User.objects.get(username="admin.banten").kota_verifikasi_ids() == {cilegon.pk}
    call_command(
        "peran_provinsi", "admin.banten", "36", "--peran", "sekretariat", stdout=StringIO()
    )
    admin = User.objects.get(username="admin.banten")
    assert admin.has_role(Peran.SEKRETARIAT) and admin.daerah.kode == "36"
    for args in (["x", "99"], ["x", "36", "--peran", "verifikator_provinsi", "--kota", "32.73"]):
        with pytest.raises(CommandError):
            call_command("peran_provinsi", *args, stdout=StringIO())
    assert not User.objects.filter(username="x").exists()


def test_the_home_page_shows_the_province_and_what_waits_for_each_verifier(
    client, tahun, kota_serang, cilegon, provinsi, sekretariat
):
    from clusters.models import Jawaban, VerifikasiProvinsi

    jawaban = Jawaban.objects.create(
        daerah=cilegon, pertanyaan=_soal(tahun), status="terverifikasi"
    )
    VerifikasiProvinsi.objects.create(jawaban=jawaban)
    client.force_login(provinsi["verifikator"])
    halaman = client.get("/").content.decode()
    assert "1 dari 8 kab/kota" not in halaman  # nobody has a category yet
    assert "0 dari 8 kab/kota sudah berkategori KLA" in halaman
    assert "Menunggu verifikasi Anda: Kota Cilegon" in halaman
    assert "Menunggu verifikasi Anda: Kota Serang" not in halaman  # not assigned there
    client.force_login(sekretariat)
    assert "kab/kota sudah berkategori KLA" not in client.get("/").content.decode()


def _soal(tahun):
    from clusters.models import Indikator, Kelompok
    from tests.conftest import _pertanyaan

    kelompok = Kelompok.objects.create(tahun=tahun, nama="KLASTER I", urutan=2)
    indikator = Indikator.objects.create(
        tahun=tahun, kelompok=kelompok, kode="Indikator 9", nama="x", urutan=1, nilai_max=10
    )
    return _pertanyaan(indikator, "Pertanyaan 1")
