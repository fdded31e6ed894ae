"""A database of a one-city installation migrates into the many-city layout without loss: the
city it served (KLA_KABKOTA, else the first kab/kota loaded) becomes its first served city and
every existing record belongs to it. Run through Django's own migration executor, backwards to
the last layout without ``daerah`` and forwards again, with rows written in between."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

SEBELUM = [
    ("agencies", "0006_token_api"),
    ("clusters", "0007_rincian_orjson"),
    ("rencana_aksi", "0005_realisasi_antrean_tinjauan"),
    ("koordinasi", "0002_setelah_tinjauan"),
    ("laporan", "0002_rapor_opd"),
]


def _migrasi(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def _terbaru():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(("kla_kabkota", "kota"), [("", "36.73"), ("36.72", "36.72")])
def test_a_one_city_database_becomes_its_first_served_city(settings, kla_kabkota, kota):
    settings.KLA_KABKOTA = kla_kabkota
    apps = _migrasi(SEBELUM)
    Wilayah = apps.get_model("agencies", "Wilayah")
    banten = Wilayah.objects.create(kode="36", nama="Banten", tingkat=1)
    serang = Wilayah.objects.create(kode="36.73", nama="Kota Serang", tingkat=2, induk=banten)
    Wilayah.objects.create(kode="36.72", nama="Kota Cilegon", tingkat=2, induk=banten)
    kasemen = Wilayah.objects.create(kode="36.73.02", nama="Kasemen", tingkat=3, induk=serang)
    User = apps.get_model("agencies", "User")
    orang = User.objects.create(username="rina", nama_lengkap="Rina")
    Opd = apps.get_model("agencies", "Opd")
    dinkes = Opd.objects.create(nama="Dinas Kesehatan", singkatan="Dinkes", jenis="dinas")
    apps.get_model("agencies", "Keanggotaan").objects.create(
        user=orang, peran="operator_opd", opd=dinkes, mulai=datetime.date(2025, 1, 1)
    )
    gugus = apps.get_model("agencies", "GugusTugas").objects.create(wilayah=kasemen, nama="GT")
    periode = apps.get_model("rencana_aksi", "PeriodeRad").objects.create(
        tahun_mulai=2025, tahun_selesai=2029
    )
    apps.get_model("rencana_aksi", "Aksi").objects.create(
        periode=periode, kode="A.1", nama="Posyandu", klaster="klaster_3", opd_utama=dinkes
    )
    mulai = datetime.datetime(2025, 3, 1, 9, tzinfo=datetime.UTC)
    apps.get_model("koordinasi", "Rapat").objects.create(
        gugus_tugas=gugus, judul="Rakor", mulai=mulai, selesai=mulai + datetime.timedelta(hours=2)
    )

    apps = _migrasi(_terbaru())

    Wilayah = apps.get_model("agencies", "Wilayah")
    dilayani = Wilayah.objects.filter(dilayani_sejak__isnull=False)
    assert list(dilayani.values_list("kode", flat=True)) == [kota]
    kota_pk = dilayani.get().pk
    for app, model in [
        ("agencies", "Opd"),
        ("agencies", "Keanggotaan"),
        ("agencies", "GugusTugas"),
        ("rencana_aksi", "PeriodeRad"),
        ("rencana_aksi", "Aksi"),
        ("koordinasi", "Rapat"),
    ]:
        rows = apps.get_model(app, model).objects.all()
        assert rows.count() == 1, model  # nothing lost
        assert set(rows.values_list("daerah_id", flat=True)) == {kota_pk}, model
