"""The reports page lists the agencies with a report card a page at a time: its queries and its
size do not grow with the city's agencies, and the next agencies are a link away."""

from django.urls import reverse

from clusters.models import Indikator
from tests.conftest import OpdFactory
from tests.laporan.conftest import tambah_soal

BERANDA = reverse("laporan:beranda")


def opd_dengan_soal(indikator, n: int, mulai: int) -> None:
    """``n`` more agencies, each leading one question of the indicator."""
    for i in range(mulai, mulai + n):
        opd = OpdFactory(nama=f"Dinas Contoh {i:03d}", singkatan=f"DC{i:03d}")
        tambah_soal(indikator, opd, 1, mulai=100 + i)


def test_the_report_cards_come_a_page_at_a_time_whatever_the_agencies(
    client, sekretariat, instrumen_kecil, django_assert_num_queries
):
    indikator = Indikator.objects.filter(tahun__tahun=2024).first()
    opd_dengan_soal(indikator, 55, 0)
    client.force_login(sekretariat)
    client.get(BERANDA)
    # the page's queries (see test_pages): the agencies come with their total in one query
    with django_assert_num_queries(14) as sedikit:
        kecil = client.get(BERANDA).content.decode()
    opd_dengan_soal(indikator, 70, 55)
    # the same queries with 70 more agencies (125 and 3 in all)
    with django_assert_num_queries(len(sedikit.captured_queries)):
        besar = client.get(BERANDA).content.decode()
    assert kecil.count("Rapor (PDF)") == besar.count("Rapor (PDF)") == 50
    assert "halaman=3" in besar
    assert len(besar) < 1.05 * len(kecil)  # the same 50 rows, a few more page links
    ketiga = client.get(BERANDA, {"halaman": 3}).content.decode()
    assert ketiga.count("Rapor (PDF)") == 55 + 70 + 3 - 100  # the small instrument's three too
    assert "DC124" in ketiga
