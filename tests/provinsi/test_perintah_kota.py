"""The command-line imports choose the kab/kota they write into: --kota, else the --oleh
person's, else the first served; another city's agencies are never matched."""

from decimal import Decimal

import pytest
from django.core.management import CommandError

from clusters.models import Jawaban
from rencana_aksi.models import Aksi, PeriodeRad
from tests.clusters.impor_jawaban.bantu import run, xlsx

pytestmark = pytest.mark.django_db


def test_import_jawaban_writes_into_the_city_named(
    tmp_path, tahun, kota_serang, cilegon, dinkes_cilegon, warga_cilegon, soal_cilegon, dinkes
):
    berkas = tmp_path / "jawaban.xlsx"
    berkas.write_bytes(xlsx([["Indikator 16", "Pertanyaan A", "5", None, "dari Cilegon"]]))
    run("2024", str(berkas), "--kota", "36.72")
    [jawaban] = Jawaban.objects.all()
    assert (jawaban.daerah, jawaban.opd, jawaban.poin_opd) == (cilegon, dinkes_cilegon, Decimal(5))
    for args, pesan in (
        (["--kota", "36.99"], "tidak dilayani"),
        (["--kota", "36.73", "--oleh", "operator.cilegon"], "bukan orang Kota Serang"),
    ):
        with pytest.raises(CommandError, match=pesan):
            run("2024", str(berkas), *args)
    assert Jawaban.objects.count() == 1


def test_import_rad_takes_the_citys_plan_and_agencies(
    tmp_path, kota_serang, cilegon, dinkes_cilegon, dinkes
):
    from django.core.management import call_command

    from kla_portal.ekspor import buku_xlsx

    PeriodeRad.objects.create(daerah=kota_serang, tahun_mulai=2025, tahun_selesai=2029)
    rencana = PeriodeRad.objects.create(daerah=cilegon, tahun_mulai=2025, tahun_selesai=2029)
    berkas = tmp_path / "rad.xlsx"
    berkas.write_bytes(
        buku_xlsx(
            "RAD",
            ["kode_aksi", "aksi", "klaster", "opd", "indikator_kinerja", "satuan", "target_2025"],
            [["A.1", "Posyandu ramah anak", "klaster_3", "Dinkes", "Posyandu", "unit", "10"]],
        )
    )
    call_command("import_rad", str(berkas), "--periode", "2025", "--kota", "36.72")
    [aksi] = Aksi.objects.all()
    assert (aksi.periode, aksi.opd_utama, aksi.daerah) == (rencana, dinkes_cilegon, cilegon)
