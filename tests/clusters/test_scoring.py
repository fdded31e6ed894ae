"""Known answers for the pure scoring module: each scoring kind, the three totals, the rule
for indicators whose question maxima do not add up, and the category bands."""

from decimal import Decimal as D

import pytest

from clusters import scoring
from clusters.models import KATEGORI_BAKU
from clusters.scoring import Ind, Isian, Soal

AMBANG = list(KATEGORI_BAKU)


@pytest.mark.parametrize(
    ("cara", "nilai", "maks", "poin"),
    [
        ("opsi", {"fraksi": D("0.75")}, D(12), D("9.00")),
        ("opsi", {"fraksi": D("0.25")}, D("1.5"), D("0.38")),  # 0.375 rounds half up
        ("opsi", {"fraksi": D(0)}, D(5), D("0.00")),
        ("cakupan", {"cakupan_persen": D("33.33")}, D(4), D("1.33")),  # 1.3332
        ("cakupan", {"cakupan_persen": D(100)}, D(5), D("5.00")),
        ("cakupan", {"cakupan_persen": D("12.5")}, D(3), D("0.38")),  # 0.375
        ("langsung", {"poin_langsung": D("2.5")}, D(4), D("2.50")),
        ("opsi", {}, D(4), None),  # not answered yet
    ],
)
def test_points_per_scoring_kind(cara, nilai, maks, poin):
    assert scoring.poin_pertanyaan(nilai_max=maks, cara=cara, **nilai) == poin


def test_an_unknown_scoring_kind_is_refused():
    with pytest.raises(ValueError, match="tidak dikenal"):
        scoring.poin_pertanyaan(nilai_max=D(1), cara="tebak")


def _soal(pk, maks, *, ind=1, cara="opsi", wajib=False, opd=None):
    return Soal(
        id=pk, indikator_id=ind, nilai_max=D(maks), cara=cara, wajib_lampiran=wajib, opd_id=opd
    )


def test_three_totals_side_by_side():
    """A: 10 claimed, evidence required and missing. B: 5 claimed, no evidence needed,
    verified at 4. C: 2.5 claimed with its evidence, waiting for verification. D: unanswered."""
    hasil = scoring.hitung(
        indikator=[Ind(id=1, kelompok_id=1, nilai_max=D(30))],
        soal=[
            _soal(1, 10, wajib=True, opd=7),
            _soal(2, 5, cara="langsung", opd=7),
            _soal(3, 5, wajib=True, opd=8),
            _soal(4, 10, opd=8),
        ],
        isian=[
            Isian(pertanyaan_id=1, status="draft", fraksi=D(1), ada_lampiran=False),
            Isian(
                pertanyaan_id=2,
                status="terverifikasi",
                poin_langsung=D(5),
                poin_verifikator=D(4),
            ),
            Isian(
                pertanyaan_id=3,
                status="menunggu_verifikasi",
                fraksi=D("0.5"),
                ada_lampiran=True,
            ),
        ],
    )
    assert hasil.soal[1].mandiri == D(10) and hasil.soal[1].berbukti == 0
    assert hasil.soal[1].kurang_bukti
    assert hasil.soal[2].verifikasi == D(4) and hasil.soal[2].diverifikasi
    assert hasil.soal[3].berbukti == D("2.5") and not hasil.soal[3].diverifikasi
    assert not hasil.soal[4].terjawab
    assert (hasil.total.max, hasil.total.mandiri, hasil.total.berbukti, hasil.total.verifikasi) == (
        D(30),
        D("17.50"),
        D("7.50"),
        D("4.00"),
    )
    assert hasil.kelompok[1].mandiri == hasil.total.mandiri
    assert (hasil.opd[7].max, hasil.opd[7].mandiri, hasil.opd[7].berbukti) == (
        D(15),
        D(15),
        D(5),
    )
    assert (hasil.opd[8].max, hasil.opd[8].mandiri) == (D(15), D("2.50"))


def test_verifier_points_count_only_once_verified():
    hasil = scoring.hitung(
        indikator=[Ind(id=1, kelompok_id=1, nilai_max=D(4))],
        soal=[_soal(1, 4)],
        # Reopened: the verifier's old points are kept on the row but no longer count.
        isian=[Isian(pertanyaan_id=1, status="dikembalikan", fraksi=D(1), poin_verifikator=D(3))],
    )
    assert hasil.total.verifikasi == 0 and hasil.total.mandiri == D(4)


def test_indicator_whose_question_maxima_exceed_its_maximum_is_capped_not_scaled():
    """Like indicator 21 B of 2024: three questions of 6 (18) under an indicator of 17.
    Answers 6 + 3 + 0 = 9 → 9.00 (the old scaling gave 9 × 17 / 18 = 8.50, which encoded the
    wrong rule); full marks 18 → capped at 17."""
    indikator = [
        Ind(id=1, kelompok_id=1, nilai_max=D(17)),
        Ind(id=2, kelompok_id=1, nilai_max=D(3)),
    ]
    soal = [_soal(1, 6, opd=7), _soal(2, 6, opd=7), _soal(3, 6, opd=8), _soal(4, 3, ind=2, opd=8)]
    half = scoring.hitung(
        indikator=indikator,
        soal=soal,
        isian=[
            Isian(pertanyaan_id=1, status="draft", fraksi=D(1)),
            Isian(pertanyaan_id=2, status="draft", fraksi=D("0.5")),
            Isian(pertanyaan_id=3, status="draft", fraksi=D(0)),
            Isian(pertanyaan_id=4, status="draft", fraksi=D(1)),
        ],
    )
    assert half.indikator[1].mandiri == D("9.00")
    assert half.indikator[1].max == D(17)
    assert half.dibatasi == {}  # 9 is well under 17: nothing is cut
    assert half.total.mandiri == D("12.00") and half.total.max == D(20)
    assert half.opd[7].mandiri == D("9.00")  # 6 + 3, as claimed
    full = scoring.hitung(
        indikator=indikator,
        soal=soal,
        isian=[Isian(pertanyaan_id=k, status="draft", fraksi=D(1)) for k in (1, 2, 3, 4)],
    )
    assert full.indikator[1].mandiri == D(17) and full.total.mandiri == D(20)
    assert full.dibatasi[1].mandiri == D(18)
    # The agencies' shares of the capped 17: 12 × 17/18 = 11.33 and 6 × 17/18 + 3 = 8.67.
    assert (full.opd[7].mandiri, full.opd[8].mandiri) == (D("11.33"), D("8.67"))


def test_indicator_19_of_2024_full_marks_give_exactly_its_maximum():
    """Indicator 19: questions sum to 54 under a maximum of 51."""
    soal = [_soal(1, 12), _soal(2, 12), _soal(3, 30)]
    hasil = scoring.hitung(
        indikator=[Ind(id=1, kelompok_id=1, nilai_max=D(51))],
        soal=soal,
        isian=[Isian(pertanyaan_id=k, status="draft", fraksi=D(1)) for k in (1, 2, 3)],
    )
    assert hasil.indikator[1].mandiri == D(51)
