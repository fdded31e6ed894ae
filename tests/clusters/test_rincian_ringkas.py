"""Versi 2 of a snapshot's detail stores less (what a reader can tell without it is left out)
and reads back to the same records as versi 1, which still loads."""

import dataclasses
from decimal import Decimal as D

from clusters import services
from clusters.models import Jawaban, SkorSnapshot
from clusters.rincian import VERSI, RincianSkor
from tests.clusters.test_skor import tambah_soal


def test_versi_2_leaves_out_defaults_and_stores_units_as_lists(tahun, indikator, dinkes, kasemen):
    soal = tambah_soal(indikator, dinkes, 3)
    soal[2].lingkup = soal[2].Lingkup.KECAMATAN
    soal[2].save(update_fields=["lingkup"])
    Jawaban.objects.filter(pertanyaan=soal[1]).delete()
    Jawaban.objects.create(pertanyaan=soal[2], wilayah=kasemen, fraksi=D(1))

    data = services.skor_hitung(tahun=tahun).rincian

    assert data["versi"] == VERSI == 2
    per_soal = {p["kode"]: p for p in data["pertanyaan"]}
    dijawab, kosong = per_soal[soal[0].kode], per_soal[soal[1].kode]
    assert dijawab["terjawab"] is True and "skala" not in dijawab  # the indicator is not capped
    assert not {"skala", "cakupan_persen", "terjawab", "kurang_bukti"} & kosong.keys()
    assert data["unit"] == [[soal[2].pk, kasemen.pk, True, "draft"]]


def test_a_versi_1_snapshot_reads_to_the_same_records(tahun, indikator, dinkes, kasemen):
    soal = tambah_soal(indikator, dinkes, 2)
    soal[1].lingkup = soal[1].Lingkup.KECAMATAN
    soal[1].save(update_fields=["lingkup"])
    Jawaban.objects.create(pertanyaan=soal[1], wilayah=kasemen, fraksi=D(0))
    snapshot = services.skor_hitung(tahun=tahun)
    baru = snapshot.rincian_skor
    lama = dataclasses.replace(baru, versi=1).ke_json()
    assert lama["unit"][0]["wilayah_id"] == kasemen.pk and "skala" in lama["pertanyaan"][0]
    SkorSnapshot.objects.filter(pk=snapshot.pk).update(rincian=lama)

    dibaca = SkorSnapshot.objects.get(pk=snapshot.pk).rincian_skor

    assert dataclasses.replace(dibaca, versi=VERSI) == baru
    assert RincianSkor.dari_json(lama).ke_json() == lama
