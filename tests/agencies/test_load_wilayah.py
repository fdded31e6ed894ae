"""load_wilayah loads one kab/kota subtree from the shipped Kemendagri 2025 list."""

import pytest
from django.core.management import CommandError, call_command

from agencies.models import Wilayah


def load(kode: str, *args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("load_wilayah", kode, *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kode", "nama", "kecamatan", "kelurahan_desa"),
    [
        ("36.73", "Kota Serang", 6, 67),
        ("32.71", "Kota Bogor", 6, 68),
        ("36.74", "Kota Tangerang Selatan", 7, 54),
    ],
)
def test_loads_the_kecamatan_and_kelurahan_of_a_city(kode, nama, kecamatan, kelurahan_desa):
    output = load(kode)

    assert f"{nama} ({kode}): {kecamatan} kecamatan, {kelurahan_desa} kelurahan/desa" in output
    kabkota = Wilayah.objects.get(kode=kode)
    assert kabkota.tingkat == Wilayah.Tingkat.KABKOTA
    assert kabkota.induk.kode == kode[:2]
    below = Wilayah.objects.di_dalam(kabkota)
    assert below.kecamatan().count() == kecamatan
    assert below.desa_kelurahan().count() == kelurahan_desa
    # every kelurahan hangs under its own kecamatan
    for kelurahan in below.desa_kelurahan().select_related("induk"):
        assert kelurahan.kode.startswith(kelurahan.induk.kode + ".")


@pytest.mark.django_db
def test_a_regency_counts_its_desa_apart_from_kelurahan():
    output = load("36.04")  # Kabupaten Serang: mostly desa
    assert "Kabupaten Serang (36.04)" in output
    desa = Wilayah.objects.get(kode="36.04").anak.first().anak.first()
    assert desa.jenis in {"Desa", "Kelurahan"}
    assert Wilayah.objects.filter(kode__startswith="36.04.", kode__regex=r"\.2\d{3}$").exists()


@pytest.mark.django_db
def test_running_it_again_changes_nothing():
    load("36.73")
    before = list(Wilayah.objects.values_list("pk", "kode", "nama", "induk_id"))

    output = load("36.73")

    assert "tidak ada yang berubah" in output
    assert list(Wilayah.objects.values_list("pk", "kode", "nama", "induk_id")) == before


@pytest.mark.django_db
def test_two_cities_of_one_province_share_the_province():
    load("36.73")
    load("36.74")
    assert Wilayah.objects.filter(tingkat=Wilayah.Tingkat.PROVINSI).count() == 1
    assert Wilayah.objects.kabkota_dilayani().kode == "36.73"  # the first one loaded


@pytest.mark.django_db
def test_the_city_served_can_be_chosen_in_settings(settings):
    settings.KLA_KABKOTA = "36.74"
    load("36.73")
    load("36.74")
    assert Wilayah.objects.kabkota_dilayani().nama == "Kota Tangerang Selatan"


@pytest.mark.django_db
def test_a_province_serves_one_more_city_with_layani():
    assert "Kota Serang dilayani portal ini." in load("36.73")  # the first one: served
    assert "dilayani" not in load("36.74")  # loaded only: its regions, not served
    keluaran = load("36.72", "--layani")
    assert "Kota Cilegon dilayani portal ini." in keluaran
    assert list(Wilayah.objects.dilayani().values_list("kode", flat=True)) == ["36.72", "36.73"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kode", "message"),
    [
        ("36.7", "tidak valid: gunakan kode kabupaten/kota Kemendagri PP.KK"),
        ("Serang", "tidak valid"),
        ("36.73.01", "tidak valid"),
        ("99.99", "Kode 99.99 tidak ada dalam daftar wilayah Kemendagri 2025"),
        ("36", "Kode 36 adalah provinsi"),
    ],
)
def test_a_bad_code_is_refused_and_nothing_is_written(kode, message):
    with pytest.raises(CommandError, match=message):
        load(kode)
    assert not Wilayah.objects.exists()
