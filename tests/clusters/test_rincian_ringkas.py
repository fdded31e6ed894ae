"""Versi 3 of a snapshot's detail stores each question as a list (its columns named once)
and the per-unit answers as lists, and reads back to the same records as versi 1 and 2,
which still load."""

import dataclasses
from decimal import Decimal as D

import pytest

from clusters import services
from clusters.models import Jawaban, SkorSnapshot
from clusters.rincian import _TANDA, KOLOM_PERTANYAAN, VERSI, Poin, RincianSkor, pertanyaan_json
from tests.clusters.test_skor import tambah_soal
from tests.conftest import kota_uji


def test_versi_3_stores_questions_and_units_as_lists(tahun, indikator, dinkes, kasemen):
    soal = tambah_soal(indikator, dinkes, 3)
    soal[2].lingkup = soal[2].Lingkup.KECAMATAN
    soal[2].save(update_fields=["lingkup"])
    Jawaban.objects.filter(pertanyaan=soal[1]).delete()
    Jawaban.objects.create(daerah=kota_uji(), pertanyaan=soal[2], wilayah=kasemen, fraksi=D(1))

    data = services.skor_hitung(tahun=tahun).rincian

    assert data["versi"] == VERSI == 3
    assert data["kolom_pertanyaan"] == list(KOLOM_PERTANYAAN)
    per_soal = {p[1]: dict(zip(KOLOM_PERTANYAAN, p, strict=True)) for p in data["pertanyaan"]}
    dijawab, kosong = per_soal[soal[0].kode], per_soal[soal[1].kode]
    assert dijawab["teks"] == soal[0].teks and dijawab["opd_id"] == dinkes.pk
    assert dijawab["terjawab"] is True
    assert dijawab["skala"] is None  # the indicator is not capped: its own figures
    assert kosong["status"] == "belum" and kosong["mandiri"] == "0"
    assert (kosong["skala"], kosong["cakupan_persen"], kosong["terjawab"]) == (None, None, False)
    assert data["unit"] == [[soal[2].pk, kasemen.pk, 1, "draft"]]  # meets it: 1 or 0


@pytest.mark.parametrize("versi", [1, 2])
def test_an_older_snapshot_reads_to_the_same_records(versi, tahun, indikator, dinkes, kasemen):
    soal = tambah_soal(indikator, dinkes, 2)
    soal[1].lingkup = soal[1].Lingkup.KECAMATAN
    soal[1].save(update_fields=["lingkup"])
    Jawaban.objects.create(daerah=kota_uji(), pertanyaan=soal[1], wilayah=kasemen, fraksi=D(0))
    snapshot = services.skor_hitung(tahun=tahun)
    baru = snapshot.rincian_skor
    lama = dataclasses.replace(baru, versi=versi).ke_json()
    assert isinstance(lama["pertanyaan"][0], dict) and "kolom_pertanyaan" not in lama
    if versi == 1:
        assert lama["unit"][0]["wilayah_id"] == kasemen.pk and "skala" in lama["pertanyaan"][0]
    SkorSnapshot.objects.filter(pk=snapshot.pk).update(rincian=lama)

    dibaca = SkorSnapshot.objects.get(pk=snapshot.pk).rincian_skor

    assert dataclasses.replace(dibaca, versi=VERSI) == baru
    assert RincianSkor.dari_json(lama).ke_json() == lama
    assert RincianSkor.dari_json(snapshot.rincian).ke_json() == snapshot.rincian


@pytest.mark.parametrize("nyala", range(4))
def test_a_questions_values_are_written_in_the_order_their_columns_are_named(nyala):
    soal = {"id": 1, "kode": "P 1", "teks": "T", "indikator_id": 2, "opd_id": 3, "lingkup": "x"}
    sendiri = Poin(max=D("4.00"), mandiri=D("3.00"), verifikasi=D("2.00"), berbukti=D("1.00"))
    skala = Poin(max=D("3.5"), mandiri=D("2.5"), verifikasi=D("1.5"), berbukti=D("0.5"))
    tanda = tuple(i == nyala for i in range(4))

    baris = pertanyaan_json(
        soal=soal, angka=sendiri, skala=skala, cakupan_persen=D("55.50"), status="s", tanda=tanda
    )

    assert dict(zip(KOLOM_PERTANYAAN, baris, strict=True)) == {
        **soal,
        **{"max": "4.00", "mandiri": "3.00", "verifikasi": "2.00", "berbukti": "1.00"},
        "status": "s",
        "skala": {"max": "3.5", "mandiri": "2.5", "verifikasi": "1.5", "berbukti": "0.5"},
        "cakupan_persen": "55.50",
        **{k: i == nyala for i, k in enumerate(_TANDA)},
    }
