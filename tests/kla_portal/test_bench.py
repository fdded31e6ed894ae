"""make bench's page survey: signed in through the login form, each page timed over shuffled
rounds against the trivial page, printed as ratios with the goals met or missed."""

import pytest

from bench import halaman

SANDI = "sandi-rahasia-123"  # the named people's password (tests/conftest.py)


@pytest.mark.django_db(transaction=True)
def test_the_survey_prints_each_page_as_a_ratio_to_the_trivial_page(
    live_server, sekretariat, operator_dinkes
):
    daftar = [halaman.Halaman("sekretariat", "/opd/"), halaman.Halaman("operator.dinkes", "/")]
    rasio = halaman.survei(live_server.url, daftar, password=SANDI, ronde=1)
    assert set(rasio) == set(daftar) and all(r > 0 for r in rasio.values())

    baris = []
    halaman.cetak_tabel(rasio, {h: 2 * r for h, r in rasio.items()}, cetak=baris.append)
    teks = "\n".join(baris)
    assert "sekretariat /opd/" in teks and "operator.dinkes /" in teks
    assert "2.00x" in teks  # the growth column
    assert "five slowest at 10x" in teks
    assert "growth 10x/demo <= 1.5x" in teks and "MISS (2 pages)" in teks


@pytest.mark.django_db(transaction=True)
def test_a_page_the_person_may_not_open_is_reported_and_left_out(live_server, operator_dinkes):
    baris = []
    daftar = [halaman.Halaman("operator.dinkes", "/pengguna/")]
    assert (
        halaman.survei(live_server.url, daftar, password=SANDI, ronde=1, cetak=baris.append) == {}
    )
    assert baris == ["  dilewati (HTTP 403): operator.dinkes /pengguna/"]
