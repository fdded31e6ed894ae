"""make bench's page survey of two servers at once: both fetched in the same rounds, each page
against the trivial page of its own server; BENCH_HALAMAN narrows the pages."""

import pytest

from bench import halaman

SANDI = "sandi-rahasia-123"  # the named people's password (tests/conftest.py)


@pytest.mark.django_db(transaction=True)
def test_two_servers_are_surveyed_in_the_same_rounds(live_server, sekretariat):
    daftar = [halaman.Halaman("sekretariat", "/opd/")]
    # One server under two names stands for the demo size and ten times the data.
    server = {"demo": live_server.url, "10x": live_server.url}
    waktu = halaman.ukur_bersama(server, daftar, password=SANDI, ronde=3, seed=1, cetak=print)
    trivial = halaman.Halaman("sekretariat", halaman.TRIVIAL)
    assert set(waktu) == {(s, h) for s in server for h in (*daftar, trivial)}
    assert len(waktu["demo", daftar[0]]) == 3
    assert len(waktu["demo", trivial]) == 3 * halaman.TRIVIAL_KALI

    rasio = halaman.survei_bersama(server, daftar, password=SANDI, ronde=2)
    assert set(rasio) == {"demo", "10x"}
    assert set(rasio["demo"]) == set(rasio["10x"]) == set(daftar)


def test_the_lower_quartile_leaves_out_the_slow_rounds():
    assert halaman.kuartil_bawah([5.0, 1.0, 4.0, 2.0, 3.0]) == 2.0
    assert halaman.kuartil_bawah([1.0, 9.0]) == 3.0  # a quarter of the way from 1 to 9
    assert halaman.kuartil_bawah([7.0]) == 7.0


def test_bench_halaman_keeps_the_pages_it_names():
    daftar = [
        halaman.Halaman("bappeda", "/rad/1/aksi/"),
        halaman.Halaman("bappeda", "/opd/"),
        halaman.Halaman("operator.dinkes", "/rad/"),
    ]
    assert halaman.saring(daftar, "") == daftar
    assert halaman.saring(daftar, "/rad/") == [daftar[0], daftar[2]]
    assert halaman.saring(daftar, "bappeda /opd/, operator.dinkes") == daftar[1:]
