"""The trend across years draws a year whose verification is still going on as in progress
(a dashed stretch and a label), not as a collapse of the verified score."""

from decimal import Decimal as D

from django.utils import timezone

from clusters import grafik
from clusters.models import Jawaban, SkorSnapshot, TahunEvaluasi
from tests.clusters.test_dasbor import _fresh_cache, skor, url  # noqa: F401
from tests.conftest import kota_uji

TITIK = [
    {"waktu": "2023", "mandiri": D(603), "berbukti": D(544), "verifikasi": D(542)},
    {"waktu": "2024", "mandiri": D(552), "berbukti": D(521), "verifikasi": D(144), "sedang": True},
]


def _lapis(spec: dict, mark: str) -> list[dict]:
    return [
        lapis
        for lapis in spec["layer"]
        if (lapis["mark"] if isinstance(lapis["mark"], str) else lapis["mark"]["type"]) == mark
    ]


def test_the_year_being_verified_is_a_dashed_stretch_with_a_label():
    spec = grafik.tren(TITIK, [("Pratama", D(500))])
    [garis] = _lapis(spec, "line")
    verified = [
        (r["waktu"], r["tahap"], r["sedang"], r["poin"])
        for r in garis["data"]["values"]
        if r["ukuran"] == "Poin terverifikasi"
    ]
    # 2023 is finished: solid, and also the start of the dashed stretch to 2024.
    assert verified == [
        ("2023", "Selesai diverifikasi", False, 542.0),
        ("2023", "Sedang diverifikasi", False, 542.0),
        ("2024", "Sedang diverifikasi", True, 144.0),
    ]
    dash = garis["encoding"]["strokeDash"]
    assert dash["field"] == "tahap"
    assert dash["scale"] == {
        "domain": ["Selesai diverifikasi", "Sedang diverifikasi"],
        "range": [[1, 0], [6, 4]],
    }
    [label] = [t for t in _lapis(spec, "text") if t["data"]["values"][0].get("teks")]
    assert label["data"]["values"] == [{"waktu": "2024", "teks": "sedang diverifikasi"}]


def test_years_all_verified_draw_plain_lines():
    spec = grafik.tren([{**t, "sedang": False} for t in TITIK], [])
    [garis] = _lapis(spec, "line")
    assert "strokeDash" not in garis["encoding"]
    assert {r["tahap"] for r in garis["data"]["values"]} == {"Selesai diverifikasi"}
    assert len(spec["layer"]) == 3


def _sedang(tahun) -> bool:
    return SkorSnapshot.objects.terbaru_per_tahun(daerah_id=kota_uji().pk).get(tahun=tahun).sedang


def test_a_year_is_being_verified_while_open_or_while_an_answer_is_not_verified(
    tahun, soal_dinkes, dinkes
):
    SkorSnapshot.objects.create(
        daerah=kota_uji(),
        tahun=tahun,
        data_per=timezone.now(),
        total_mandiri=1,
        total_verifikasi=1,
        total_berbukti=1,
    )
    assert _sedang(tahun) is True  # open for answering
    TahunEvaluasi.objects.filter(pk=tahun.pk).update(dibuka=False)
    assert _sedang(tahun) is False  # closed, nothing waiting
    jawaban = Jawaban.objects.create(
        daerah=kota_uji(), pertanyaan=soal_dinkes, opd=dinkes, status="menunggu_verifikasi"
    )
    assert _sedang(tahun) is True
    Jawaban.objects.filter(pk=jawaban.pk).update(status="terverifikasi")
    assert _sedang(tahun) is False


def test_the_summary_draws_this_year_in_progress_beside_a_closed_year(
    client,
    sekretariat,
    skor,  # noqa: F811
):
    lalu = TahunEvaluasi.objects.create(tahun=2023, dibuka=False)
    SkorSnapshot.objects.create(
        daerah=kota_uji(),
        tahun=lalu,
        data_per=timezone.now(),
        total_mandiri=D(603),
        total_verifikasi=D(542),
        total_berbukti=D(544),
    )
    client.force_login(sekretariat)
    html = client.get(url("skor:ringkasan")).content.decode()
    assert "2024 sedang diverifikasi, garisnya putus-putus" in html  # the figure's name
    assert "sedang diverifikasi</text>" in html  # the label drawn over 2024
