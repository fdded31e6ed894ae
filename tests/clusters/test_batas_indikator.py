"""The cap rule on the real 2024 instrument: an indicator's points are the plain sum of its
questions' points, capped at the indicator's maximum, for each of the three totals.

Indicator 19 of 2024 (maximum 51) holds 13 questions worth 54: Pertanyaan 1 (4), 2a-2e
(3,2 each), 3 (2), 4 (6), 5 (5), 6 (6), 7 (5), 8 (5), 9 (5). Every figure below is counted
by hand from those maxima."""

from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.urls import reverse

from clusters import dasbor, instrumen, services
from clusters.models import Jawaban, Pertanyaan
from laporan import isi as laporan_isi
from laporan import rapor
from tests.clusters.test_import_instrumen import FILE_2024
from tests.conftest import kota_uji

MAX_19 = {
    "Pertanyaan 1": D(4),
    "Pertanyaan 2a": D("3.2"),
    "Pertanyaan 2b": D("3.2"),
    "Pertanyaan 2c": D("3.2"),
    "Pertanyaan 2d": D("3.2"),
    "Pertanyaan 2e": D("3.2"),
    "Pertanyaan 3": D(2),
    "Pertanyaan 4": D(6),
    "Pertanyaan 5": D(5),
    "Pertanyaan 6": D(6),
    "Pertanyaan 7": D(5),
    "Pertanyaan 8": D(5),
    "Pertanyaan 9": D(5),
}
PENUH = dict.fromkeys(MAX_19, D(1))
# 4 + 16 + 0,5 + 6 + 5 + 6 + 0 + 2,5 + 0 = 40 (the old rule: 40 × 51 / 54 = 37,78)
EMPAT_PULUH = PENUH | {
    "Pertanyaan 3": D("0.25"),
    "Pertanyaan 7": D(0),
    "Pertanyaan 8": D("0.5"),
    "Pertanyaan 9": D(0),
}
# 54 − 1 = 53 (the old rule: 53 × 51 / 54 = 50,06)
LIMA_PULUH_TIGA = PENUH | {"Pertanyaan 3": D("0.5")}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def instrumen_2024(sekretariat, dinkes):
    """The real 2024 instrument, every question led by Dinas Kesehatan, the year open."""
    tahun = services.tahun_buat(tahun=2024, by=sekretariat)
    rows = instrumen.baca_tabel(FILE_2024.name, FILE_2024.read_bytes())
    services.instrumen_impor(
        tahun=tahun, laporan=instrumen.periksa(rows, nama_dikenal=set()), by=sekretariat
    )
    services.penugasan_atur(
        pertanyaan_list=list(tahun.pertanyaan.all()), utama=dinkes, pendukung=[], by=sekretariat
    )
    services.tahun_ubah(tahun=tahun, by=sekretariat, batas_waktu=None, dibuka=True)
    return tahun


def isi_19(tahun, dinkes, *, fraksi, tanpa_bukti=(), verifikator=None):
    """Verified answers to indicator 19: the agency's grades, the questions whose required
    evidence is missing, and the verifier's points where they differ from the agency's."""
    verifikator = verifikator or {}
    soal = {
        p.kode: p for p in Pertanyaan.objects.filter(tahun=tahun, indikator__kode="Indikator 19")
    }
    assert {k: p.nilai_max for k, p in soal.items()} == MAX_19
    assert {p.cara_penilaian for p in soal.values()} == {"opsi"}
    for kode, pertanyaan in soal.items():
        pertanyaan.wajib_lampiran = kode in tanpa_bukti
        pertanyaan.save(update_fields=["wajib_lampiran"])
        poin = pertanyaan.nilai_max * fraksi[kode]
        Jawaban.objects.create(
            daerah=kota_uji(),
            pertanyaan=pertanyaan,
            opd=dinkes,
            status=Jawaban.Status.TERVERIFIKASI,
            fraksi=fraksi[kode],
            poin_opd=poin,
            poin_verifikator=verifikator.get(kode, poin),
        )
    return services.skor_hitung(tahun=tahun)


def angka_19(snapshot) -> dict:
    indikator = next(i for i in snapshot.rincian["indikator"] if i["kode"] == "Indikator 19")
    return indikator


@pytest.mark.parametrize(
    ("fraksi", "diharapkan", "dibatasi"),
    [
        (EMPAT_PULUH, "40.00", False),  # under the cap: counted in full, not 37,78
        (LIMA_PULUH_TIGA, "51.00", True),  # over the cap: 53 stops at 51, not 50,06
    ],
)
def test_indicator_19_counts_its_questions_in_full_up_to_its_maximum(
    instrumen_2024, dinkes, fraksi, diharapkan, dibatasi
):
    snapshot = isi_19(instrumen_2024, dinkes, fraksi=fraksi)
    ind = angka_19(snapshot)
    assert (ind["max"], ind["mandiri"], ind["berbukti"], ind["verifikasi"]) == (
        "51.00",
        diharapkan,
        diharapkan,
        diharapkan,
    )
    # Group and total are sums of capped indicators; nothing else of 2024 is answered.
    klaster_iv = next(g for g in snapshot.rincian["kelompok"] if g["nama"] == "KLASTER IV")
    assert klaster_iv["mandiri"] == diharapkan and klaster_iv["verifikasi"] == diharapkan
    assert (snapshot.total_mandiri, snapshot.total_berbukti, snapshot.total_verifikasi) == (
        D(diharapkan),
        D(diharapkan),
        D(diharapkan),
    )
    assert snapshot.rincian["total"]["max"] == "1000.00"
    assert (ind["dibatasi"] is not None) is dibatasi


def test_each_total_is_capped_on_its_own(instrumen_2024, dinkes):
    """The agency claims 53 (capped: 51,00); evidence is missing for Pertanyaan 4 (6), 6 (6)
    and 3 (1): 53 − 13 = 40,00 backed by evidence; the verifier gives 0 for Pertanyaan 5 and
    2 of 5 for Pertanyaan 9: 53 − 5 − 3 = 45,00. The old rule gave 50,06 / 37,78 / 42,50."""
    snapshot = isi_19(
        instrumen_2024,
        dinkes,
        fraksi=LIMA_PULUH_TIGA,
        tanpa_bukti={"Pertanyaan 3", "Pertanyaan 4", "Pertanyaan 6"},
        verifikator={"Pertanyaan 5": D(0), "Pertanyaan 9": D(2)},
    )
    ind = angka_19(snapshot)
    assert (ind["mandiri"], ind["berbukti"], ind["verifikasi"]) == ("51.00", "40.00", "45.00")
    assert ind["dibatasi"] == {
        "max": "54.00",
        "mandiri": "53.00",
        "verifikasi": "45.00",
        "berbukti": "40.00",
    }
    assert (snapshot.total_mandiri, snapshot.total_berbukti, snapshot.total_verifikasi) == (
        D("51.00"),
        D("40.00"),
        D("45.00"),
    )
    # The agency's own figures are its shares of the capped indicator: they add up to it.
    dinkes_row = next(o for o in snapshot.rincian["opd"] if o["id"] == dinkes.pk)
    assert (dinkes_row["mandiri"], dinkes_row["berbukti"], dinkes_row["verifikasi"]) == (
        "51.00",
        "40.00",
        "45.00",
    )


def test_the_pages_bundle_and_report_card_say_where_the_cap_bites(
    client, sekretariat, instrumen_2024, dinkes
):
    snapshot = isi_19(instrumen_2024, dinkes, fraksi=LIMA_PULUH_TIGA)
    catatan = dasbor.catatan_batas(
        next(i for i in snapshot.rincian_skor.indikator if i.kode == "Indikator 19")
    )
    assert catatan.startswith("dibatasi pada 51 (jumlah poin pertanyaannya: mandiri 53")

    client.force_login(sekretariat)
    hilang = client.get(reverse("skor:poin-hilang", args=[2024])).content.decode()
    assert "Sekolah (Satuan Pendidikan) Ramah Anak (SRA) (dibatasi pada 51" in hilang
    ringkasan = client.get(reverse("skor:ringkasan", args=[2024])).content.decode()
    assert "dibatasi pada nilai maksimum indikator" in ringkasan
    assert "diperkecil secara proporsional" in ringkasan  # the rule says it never scales

    isi = laporan_isi.muat(instrumen_2024, snapshot, oleh=sekretariat)
    ind = next(i for g in isi.kelompok for i in g["indikator"] if i["kode"] == "Indikator 19")
    assert ind["skor"]["mandiri"] == D("51.00") and ind["batas"] == catatan
    other = next(i for g in isi.kelompok for i in g["indikator"] if i["kode"] == "Indikator 1")
    assert other["batas"] == ""

    kartu = rapor.konteks(tahun=instrumen_2024, opd=dinkes)
    per_indikator = next(t for t in kartu["tabel"] if t.nama == "poin-hilang-indikator")
    assert any("indikator dibatasi pada 51" in str(b["sel"][0]) for b in per_indikator.baris)


def test_the_instrument_report_still_warns_of_the_mismatch_and_names_the_cap():
    laporan = instrumen.periksa(
        instrumen.baca_tabel(FILE_2024.name, FILE_2024.read_bytes()), nama_dikenal=set()
    )
    pesan = [str(t) for t in laporan.temuan]
    assert any(
        "Indikator 19: jumlah nilai pertanyaannya 54, tidak sama dengan nilai indikator 51. "
        "Poin indikator = jumlah poin pertanyaannya, dibatasi pada 51." in p
        for p in pesan
    )
