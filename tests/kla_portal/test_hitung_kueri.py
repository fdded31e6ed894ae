"""The query-count fixture lists the numbered SQL when the count is wrong, with or without -v."""

import pytest

from agencies.models import Opd, User


def test_a_wrong_count_prints_each_query_numbered_on_one_line(db, django_assert_num_queries):
    with pytest.raises(pytest.fail.Exception) as gagal, django_assert_num_queries(1):
        Opd.objects.count()
        list(User.objects.filter(username="sekretariat"))
    pesan = str(gagal.value)
    assert pesan.startswith("Expected to perform 1 queries but 2 were done")
    assert "add -v" not in pesan
    baris = pesan.split("Queries:\n")[1].splitlines()
    assert len(baris) == 2
    assert baris[0].startswith("  1. SELECT COUNT(*)")
    assert baris[0].endswith('FROM "agencies_opd"')
    assert baris[1].startswith('  2. SELECT … FROM "agencies_user" WHERE')


def test_long_queries_are_cut_to_one_short_line(db, django_assert_num_queries):
    with pytest.raises(pytest.fail.Exception) as gagal, django_assert_num_queries(0):
        list(Opd.objects.filter(nama__in=[f"Dinas {n}" for n in range(50)]))
    (baris,) = str(gagal.value).split("Queries:\n")[1].splitlines()
    assert len(baris) <= 170
    assert baris.endswith("…")


def test_the_maximum_names_the_limit_and_lists_the_queries(db, django_assert_max_num_queries):
    batas = django_assert_max_num_queries(0, info="the agencies page")
    with pytest.raises(pytest.fail.Exception) as gagal, batas:
        Opd.objects.count()
    pesan = str(gagal.value)
    assert pesan.startswith("Expected to perform 0 queries or less but 1 was done")
    assert "the agencies page" in pesan
    assert "  1. SELECT COUNT(*)" in pesan


def test_a_right_count_passes_and_gives_the_queries(db, django_assert_num_queries):
    with django_assert_num_queries(1) as kueri:
        Opd.objects.count()
    assert len(kueri.captured_queries) == 1


def test_a_failure_inside_the_block_is_not_mistaken_for_the_count(db, django_assert_num_queries):
    with pytest.raises(pytest.fail.Exception) as gagal, django_assert_num_queries(5):
        Opd.objects.count()
        pytest.fail("halaman salah")
    assert str(gagal.value) == "halaman salah"


def test_under_verbose_the_queries_are_listed_the_same_way(
    db, pytestconfig, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(pytestconfig.option, "verbose", 1)
    with pytest.raises(pytest.fail.Exception) as gagal, django_assert_num_queries(0):
        Opd.objects.count()
    assert str(gagal.value).endswith(
        'Queries:\n  1. SELECT COUNT(*) AS "__count" FROM "agencies_opd"'
    )
