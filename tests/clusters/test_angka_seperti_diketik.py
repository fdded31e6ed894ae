"""A figure typed as 12 comes back as 12, not 12,00; 12,5 and 7,25 keep their decimals: in the
answer form when it is opened again, on the answer page, and in the RAD tables."""

from decimal import Decimal

import pytest
from django.urls import reverse

from kla_portal.templatetags.portal import sel


def page(pertanyaan) -> str:
    return reverse("clusters:pertanyaan-detail", args=[pertanyaan.pk])


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (Decimal("12.00"), "12"),
        (Decimal("12.50"), "12,5"),
        (Decimal("7.25"), "7,25"),
        (Decimal("1250.50"), "1.250,5"),
        (Decimal("1250000.00"), "1.250.000"),
        (40, "40"),
    ],
)
def test_a_figure_is_written_as_it_was_typed(stored, shown):
    assert sel(stored, "bilangan") == shown


def test_the_answer_form_gives_back_the_figures_as_typed(
    client, operator_dinkes, sekretariat, soal_dinkes
):
    client.force_login(operator_dinkes)
    client.post(
        page(soal_dinkes),
        {"versi": 0, "fraksi": "1", "angka_tahun_ini": "12", "angka_tahun_lalu": "7,25"},
    )

    html = client.get(page(soal_dinkes)).content.decode()
    assert 'name="angka_tahun_ini" value="12"' in html
    assert 'name="angka_tahun_lalu" value="7,25"' in html
    assert 'value="12,00"' not in html

    client.force_login(sekretariat)
    html = client.get(page(soal_dinkes)).content.decode()
    assert '<dd class="col-sm-8">12</dd>' in html
    assert '<dd class="col-sm-8">7,25</dd>' in html


def test_points_typed_as_12_5_come_back_as_12_5_in_the_points_box(
    client, operator_dinkes, indikator, dinkes
):
    from clusters.models import Penugasan, Pertanyaan

    soal = Pertanyaan.objects.create(
        tahun=indikator.tahun,
        indikator=indikator,
        kode="Pertanyaan 9",
        teks="Pertanyaan 9: berapa poin?",
        urutan=9,
        nilai_max=Decimal(20),
        lingkup=Pertanyaan.Lingkup.KABKOTA,
        cara_penilaian=Pertanyaan.CaraPenilaian.LANGSUNG,
    )
    Penugasan.objects.create(pertanyaan=soal, opd=dinkes, utama=True)
    client.force_login(operator_dinkes)
    client.post(page(soal), {"versi": 0, "poin_langsung": "12,5"})
    assert 'name="poin_langsung" value="12,5"' in client.get(page(soal)).content.decode()
    client.post(page(soal), {"versi": 1, "poin_langsung": "12"})
    assert 'name="poin_langsung" value="12"' in client.get(page(soal)).content.decode()
