"""A snapshot's detail is read and written in one place (clusters.rincian): the stored JSON
keeps its shape, its figures stay exact, and snapshots written by older code still load."""

import copy
from decimal import Decimal as D

from clusters import dasbor, services
from clusters.models import SkorSnapshot
from clusters.rincian import Poin, RincianSkor

# The shape clusters.services.skor writes (figures are Decimal strings as str() gives them).
TERSIMPAN = {
    "versi": 1,
    "total": {"max": "1000.00", "mandiri": "51.00", "verifikasi": "45.00", "berbukti": "40.00"},
    "kategori": [["Pratama", "500.00"], ["Madya", "601.00"], ["Utama", "901.00"]],
    "kategori_total": {"mandiri": "belum", "verifikasi": "belum", "berbukti": "belum"},
    "kelompok": [
        {
            "id": 4,
            "nama": "KLASTER IV",
            "urutan": 4,
            "max": "215.00",
            "mandiri": "51.00",
            "verifikasi": "45.00",
            "berbukti": "40.00",
        }
    ],
    "indikator": [
        {
            "id": 19,
            "kode": "Indikator 19",
            "nama": "Sekolah Ramah Anak",
            "kelompok_id": 4,
            "max": "51.00",
            "mandiri": "51.00",
            "verifikasi": "45.00",
            "berbukti": "40.00",
            "dibatasi": {
                "max": "54.00",
                "mandiri": "53.00",
                "verifikasi": "45.00",
                "berbukti": "40.00",
            },
        },
        {
            "id": 20,
            "kode": "Indikator 20",
            "nama": "Pusat Kreativitas Anak",
            "kelompok_id": 4,
            "max": "10.00",
            "mandiri": "0",
            "verifikasi": "0",
            "berbukti": "0",
            "dibatasi": None,
        },
    ],
    "pertanyaan": [
        {
            "id": 7,
            "kode": "Pertanyaan 1",
            "teks": "Jumlah sekolah ramah anak",
            "indikator_id": 19,
            "opd_id": 3,
            "lingkup": "kabkota",
            "max": "6.00",
            "mandiri": "4.50",
            "verifikasi": "0",
            "berbukti": "0",
            "skala": {
                "max": "5.6667",
                "mandiri": "4.3302",
                "verifikasi": "0.0000",
                "berbukti": "0",
            },
            "cakupan_persen": "75.00",
            "status": "draft",
            "terjawab": True,
            "diverifikasi": False,
            "kurang_bukti": True,
            "wajib_lampiran": True,
        },
        {
            "id": 8,
            "kode": "Pertanyaan 2",
            "teks": "Kelurahan dengan forum anak",
            "indikator_id": 20,
            "opd_id": None,
            "lingkup": "desa_kelurahan",
            "max": "10.00",
            "mandiri": "0",
            "verifikasi": "0",
            "berbukti": "0",
            "skala": {"max": "10.0000", "mandiri": "0", "verifikasi": "0", "berbukti": "0"},
            "cakupan_persen": None,
            "status": "belum",
            "terjawab": False,
            "diverifikasi": False,
            "kurang_bukti": False,
            "wajib_lampiran": False,
        },
    ],
    "opd": [
        {
            "id": 3,
            "singkatan": "Dinkes",
            "nama": "Dinas Kesehatan",
            "max": "5.67",
            "mandiri": "4.33",
            "verifikasi": "0.00",
            "berbukti": "0.00",
        },
        {
            "id": None,
            "singkatan": "",
            "nama": "",
            "max": "10.00",
            "mandiri": "0.00",
            "verifikasi": "0.00",
            "berbukti": "0.00",
        },
    ],
    "kelengkapan": [
        {"opd_id": 3, "kelompok_id": 4, "draft": 1},
        {"opd_id": None, "kelompok_id": 4, "belum": 1},
    ],
    "unit": [
        {"pertanyaan_id": 8, "wilayah_id": 31, "memenuhi": True, "status": "draft"},
        {"pertanyaan_id": 8, "wilayah_id": 32, "memenuhi": None, "status": "draft"},
    ],
    "status_label": {"draft": "Draf", "dikembalikan": "Dikembalikan"},
}


def test_a_stored_detail_round_trips_unchanged():
    tersimpan = copy.deepcopy(TERSIMPAN)
    rincian = RincianSkor.dari_json(tersimpan)
    assert rincian.ke_json() == TERSIMPAN
    assert tersimpan == TERSIMPAN  # reading never changes what was stored


def test_figures_are_exact_decimals_as_stored():
    rincian = RincianSkor.dari_json(TERSIMPAN)
    soal = rincian.pertanyaan[0]
    assert (soal.max, soal.mandiri, soal.cakupan_persen) == (D("6.00"), D("4.50"), D("75.00"))
    assert str(soal.skala.verifikasi) == "0.0000"  # the share's precision is kept
    assert rincian.kategori[1] == ("Madya", D("601.00"))
    assert rincian.indikator[0].dibatasi == Poin(
        max=D("54.00"), mandiri=D("53.00"), verifikasi=D("45.00"), berbukti=D("40.00")
    )
    assert rincian.kelengkapan[0].semua == 1 and rincian.unit[1].memenuhi is None
    assert rincian.singkatan_opd[3] == "Dinkes" and rincian.kode_indikator[20] == "Indikator 20"
    assert rincian.label_status("draft") == "Draf"


def test_a_snapshot_from_before_the_cap_rule_still_loads():
    """Snapshots of the first scoring code: indicators had "faktor" instead of "dibatasi",
    questions had no "skala" (their share) and no "cakupan_persen"."""
    lama = copy.deepcopy(TERSIMPAN)
    for indikator in lama["indikator"]:
        del indikator["dibatasi"]
        indikator["faktor"] = None
    for soal in lama["pertanyaan"]:
        del soal["skala"], soal["cakupan_persen"]
    del lama["status_label"]

    rincian = RincianSkor.dari_json(lama)

    assert rincian.indikator[0].dibatasi is None
    soal = rincian.pertanyaan[0]
    assert soal.skala == Poin(max=D("6.00"), mandiri=D("4.50"), verifikasi=D(0), berbukti=D(0))
    assert soal.cakupan_persen is None
    assert rincian.label_status("draft") == "Belum dijawab"
    # The dashboards can draw from it.
    assert dasbor.ringkasan(rincian)["total"].mandiri == D("51.00")


def test_a_computed_snapshot_round_trips_through_the_database(tahun, soal_dinkes, operator_dinkes):
    services.jawaban_simpan(pertanyaan=soal_dinkes, by=operator_dinkes, versi=0, fraksi=D("0.75"))
    snapshot = services.skor_hitung(tahun=tahun)
    tersimpan = SkorSnapshot.objects.get(pk=snapshot.pk)

    assert tersimpan.rincian_skor.ke_json() == tersimpan.rincian == snapshot.rincian
    assert tersimpan.rincian_skor.total.mandiri == tersimpan.total_mandiri


def test_a_totals_only_snapshot_has_no_detail(tahun, kota_serang):
    snapshot = services.skor_hitung(tahun=tahun)
    SkorSnapshot.objects.filter(pk=snapshot.pk).update(rincian=None)
    assert SkorSnapshot.objects.get(pk=snapshot.pk).rincian_skor is None
