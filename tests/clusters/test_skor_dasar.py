"""The bench's baseline for the score recompute (bench/skor.py) is one SQL statement that
computes the same figures as the snapshot stores: on a small year built by hand, every level
agrees with the snapshot to the cent, and the city's totals are the ones counted by hand."""

from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.utils import timezone

from agencies.models import Wilayah
from bench.skor import skor_dasar
from clusters import services
from clusters.models import Indikator, Jawaban, Kelompok, Lampiran, Penugasan, Pertanyaan
from tests.conftest import kota_uji

SEN = D("0.01")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def soal(indikator, kode, nilai_max, cara, opd=None, **lain) -> Pertanyaan:
    p = Pertanyaan.objects.create(
        tahun=indikator.tahun,
        indikator=indikator,
        kode=kode,
        teks=f"Teks {kode}",
        urutan=int(kode[1:]),
        nilai_max=D(nilai_max),
        lingkup=lain.pop("lingkup", Pertanyaan.Lingkup.KABKOTA),
        cara_penilaian=cara,
        wajib_lampiran=lain.pop("wajib_lampiran", False),
    )
    if opd is not None:
        Penugasan.objects.create(pertanyaan=p, opd=opd, utama=True)
    return p


def lampirkan(jawaban, pengunggah, *, dihapus=None) -> None:
    Lampiran.objects.create(
        jawaban=jawaban,
        berkas="lampiran/bukti.pdf",
        nama_asli="bukti.pdf",
        jenis="application/pdf",
        ukuran=1,
        sha256="0" * 64,
        diunggah_oleh=pengunggah,
        dihapus=dihapus,
    )


@pytest.fixture
def tahun_kecil(tahun, indikator, dinkes, dinsos, kasemen, operator_dinkes):
    """Indicator 15 (max 20) holds 22 points of questions, but its totals stay under its
    maximum; indicator 19 (max 5, another group) holds 9 and is capped on its own and
    evidenced totals."""
    opsi, cakupan, langsung = "opsi", "cakupan", "langsung"
    ind19 = Indikator.objects.create(
        tahun=tahun,
        kelompok=Kelompok.objects.create(tahun=tahun, nama="KLASTER IV", urutan=5),
        kode="Indikator 19",
        nama="Pendidikan anak usia dini",
        urutan=2,
        nilai_max=D(5),
    )
    # Dinkes claims 6 of 8 without the evidence it must attach.
    q1 = soal(indikator, "P1", 8, opsi, dinkes, wajib_lampiran=True)
    Jawaban.objects.create(daerah=kota_uji(), pertanyaan=q1, fraksi=D("0.75"))
    # Dinsos gives itself 5 of 8; the verifier gives 4.
    q2 = soal(indikator, "P2", 8, langsung, dinsos)
    Jawaban.objects.create(
        daerah=kota_uji(),
        pertanyaan=q2,
        poin_langsung=D(5),
        poin_verifikator=D(4),
        status="terverifikasi",
    )
    # 62.5 % coverage of 4 points, with its evidence.
    q3 = soal(indikator, "P3", 4, cakupan, dinkes, wajib_lampiran=True)
    lampirkan(
        Jawaban.objects.create(daerah=kota_uji(), pertanyaan=q3, cakupan_persen=D("62.5")),
        operator_dinkes,
    )
    soal(indikator, "P4", 2, opsi)  # no lead agency, not answered
    # Points typed over a grade win: 3.33 of 4.
    q5 = soal(ind19, "P5", 4, opsi, dinkes)
    Jawaban.objects.create(
        daerah=kota_uji(), pertanyaan=q5, fraksi=D("0.25"), poin_langsung=D("3.33")
    )
    q6 = soal(ind19, "P6", 3, langsung, dinsos)
    Jawaban.objects.create(
        daerah=kota_uji(),
        pertanyaan=q6,
        poin_langsung=D(3),
        poin_verifikator=D(3),
        status="terverifikasi",
    )
    # Its only evidence was removed.
    q7 = soal(ind19, "P7", 2, opsi, dinsos, wajib_lampiran=True)
    jawaban = Jawaban.objects.create(
        daerah=kota_uji(), pertanyaan=q7, fraksi=D(1), status="menunggu_kepala"
    )
    lampirkan(jawaban, operator_dinkes, dihapus=timezone.now())
    # A per-kecamatan question: Kasemen meets it, Serang does not, Cipocok has not graded.
    q8 = soal(indikator, "P8", 0, opsi, dinkes, lingkup=Pertanyaan.Lingkup.KECAMATAN)
    serang, cipocok = (Wilayah.objects.get(kode=k) for k in ("36.73.01", "36.73.04"))
    Jawaban.objects.create(daerah=kota_uji(), pertanyaan=q8, wilayah=kasemen, fraksi=D(1))
    Jawaban.objects.create(daerah=kota_uji(), pertanyaan=q8, wilayah=serang, fraksi=D(0))
    Jawaban.objects.create(
        daerah=kota_uji(), pertanyaan=q8, wilayah=cipocok, status="menunggu_kepala"
    )
    return tahun


def sen(n) -> D:
    return D(str(n)).quantize(SEN)


def empat(*angka) -> tuple:
    return tuple(sen(n) for n in angka)


def dari_sql(baris: list[tuple]) -> dict:
    hasil = {}
    for tingkat, a, b, status, *angka in baris:
        if tingkat == "kelengkapan":
            hasil[(tingkat, a, b, status)] = int(angka[1])
        elif tingkat == "unit":
            memenuhi = None if angka[1] is None else bool(angka[1])
            hasil[(tingkat, a, b)] = (memenuhi, status)
        elif tingkat == "soal":
            hasil[(tingkat, a)] = (*empat(*angka), status or "belum")
        else:
            hasil[(tingkat, a)] = empat(*angka)
    return hasil


def dari_snapshot(r: dict) -> dict:
    def figures(d):
        return empat(d["max"], d["mandiri"], d["verifikasi"], d["berbukti"])

    hasil = {("total", None): figures(r["total"])}
    hasil.update((("kelompok", g["id"]), figures(g)) for g in r["kelompok"])
    hasil.update((("opd", o["id"]), figures(o)) for o in r["opd"])
    for i in r["indikator"]:
        hasil[("indikator", i["id"])] = figures(i)
        if i["dibatasi"]:
            hasil[("dibatasi", i["id"])] = figures(i["dibatasi"])
    # Versi 3: each question a list, its columns named in kolom_pertanyaan.
    soal = [dict(zip(r["kolom_pertanyaan"], p, strict=True)) for p in r["pertanyaan"]]
    capped = {i["id"] for i in r["indikator"] if i["dibatasi"]} | {
        p["indikator_id"] for p in soal if p["skala"] is not None
    }
    for p in soal:
        hasil[("soal", p["id"])] = (*figures(p), p["status"])
        if p["indikator_id"] in capped:
            hasil[("skala", p["id"])] = figures(p["skala"] or p)
    for k in r["kelengkapan"]:
        for status, n in k.items():
            if status not in ("opd_id", "kelompok_id"):
                hasil[("kelengkapan", k["opd_id"], k["kelompok_id"], status)] = n
    for pertanyaan_id, wilayah_id, memenuhi, status in r["unit"]:
        hasil[("unit", pertanyaan_id, wilayah_id)] = (memenuhi, status)
    return hasil


def test_the_baseline_computes_the_snapshots_figures(tahun_kecil, dinkes, dinsos):
    snapshot = services.skor_hitung(tahun=tahun_kecil)
    dasar = dari_sql(skor_dasar(tahun_kecil.pk, snapshot.daerah_id))
    assert dasar == dari_snapshot(snapshot.rincian)
    # By hand: indicator 15 gives 6 + 5 + 2.5 own points, 4 verified, 5 + 2.5 evidenced;
    # indicator 19 gives 3.33 + 3 + 2 own points capped at 5, 3 verified, 3.33 + 3 evidenced
    # capped at 5.
    assert dasar[("total", None)] == empat(25, "18.5", 7, "12.5")
    assert dasar[("dibatasi", snapshot.rincian["indikator"][1]["id"])] == empat(
        9, "8.33", 3, "6.33"
    )
    # Dinkes: 6 + 2.5 + 3.33 × 5 / 8.33 own; 0 + 2.5 + 3.33 × 5 / 6.33 evidenced.
    dinkes_figures = dasar[("opd", dinkes.pk)]
    assert dinkes_figures[1:] == empat("10.50", 0, "5.13")
    assert dasar[("opd", dinsos.pk)][1:] == empat("8.00", 7, "7.37")
    assert dasar[("kelengkapan", None, snapshot.rincian["kelompok"][0]["id"], "belum")] == 1
    assert {v for k, v in dasar.items() if k[0] == "unit"} == {
        (True, "draft"),
        (False, "draft"),
        (None, "menunggu_kepala"),
    }
