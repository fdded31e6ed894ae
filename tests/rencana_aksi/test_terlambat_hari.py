"""A quarterly report sent after its due date keeps its lateness, with the days it was late,
in the agency's inbox, on the report's page and on the action's page."""

import datetime

import pytest
from django.utils import timezone

from rencana_aksi import pemantauan
from rencana_aksi.models import Realisasi, batas_lapor
from tests.rencana_aksi.bantu import LALU, halaman, lapor

WIB = datetime.timezone(datetime.timedelta(hours=7))


@pytest.mark.parametrize(
    ("tahun", "tw", "status", "dikirim", "terlambat", "hari_ini", "hari"),
    [
        # TW II 2025 is due 15 July 2025.
        (2025, 2, "menunggu_kepala", datetime.datetime(2025, 7, 20, 10, tzinfo=WIB), False,
         datetime.date(2025, 12, 1), 5),
        (2025, 2, "terverifikasi", datetime.datetime(2025, 7, 15, 16, tzinfo=WIB), False,
         datetime.date(2025, 12, 1), 0),
        # 19 July 20:00 UTC is 20 July 03:00 in Serang: 5 days, counted in local dates.
        (2025, 2, "menunggu_verifikasi", datetime.datetime(2025, 7, 19, 20, tzinfo=datetime.UTC),
         False, datetime.date(2025, 12, 1), 5),
        # Not sent yet and late: the days so far.
        (2025, 2, "draft", None, True, datetime.date(2025, 7, 18), 3),
        (2025, 2, None, None, True, datetime.date(2025, 7, 18), 3),
        (2025, 2, "draft", None, False, datetime.date(2025, 7, 18), 0),
        # TW IV 2025 is due 15 January 2026.
        (2025, 4, "terverifikasi", datetime.datetime(2026, 2, 1, 9, tzinfo=WIB), False,
         datetime.date(2026, 3, 1), 17),
        # Sent, with no date recorded: not called late.
        (2025, 4, "terverifikasi", None, False, datetime.date(2026, 3, 1), 0),
    ],
)  # fmt: skip
def test_the_days_late_run_from_the_due_date_to_the_day_sent(
    tahun, tw, status, dikirim, terlambat, hari_ini, hari
):
    assert (
        pemantauan.hari_terlambat(
            tahun, tw, status=status, dikirim=dikirim, terlambat=terlambat, hari_ini=hari_ini
        )
        == hari
    )


def test_a_report_sent_five_days_late_says_so_in_the_inbox_and_on_its_pages(
    client, aksi_dinkes, operator_dinkes, kepala_dinkes
):
    laporan = lapor(aksi_dinkes, LALU, operator_dinkes, kirim=True)
    lima_hari = datetime.datetime.combine(batas_lapor(*LALU), datetime.time(10))
    lima_hari = timezone.make_aware(lima_hari + datetime.timedelta(days=5))
    Realisasi.objects.filter(pk=laporan.pk).update(dikirim=lima_hari)
    client.force_login(operator_dinkes)

    inbox = client.get(halaman("laporan"))
    [item] = [i for i in inbox.context["items"] if (i["tahun"], i["triwulan"]) == LALU]
    assert item["kategori"] == {"menunggu_kepala"}
    assert item["hari_terlambat"] == 5
    assert "Terlambat 5 hari" in inbox.content.decode()

    page = client.get(laporan.get_absolute_url())
    assert page.context["terlambat"] is False  # sent: nothing left to do
    assert page.context["hari_terlambat"] == 5
    assert "Terlambat 5 hari" in page.content.decode()

    assert "Terlambat 5 hari" in client.get(aksi_dinkes.get_absolute_url()).content.decode()


def test_a_report_sent_on_its_due_date_is_not_late(
    client, aksi_dinkes, operator_dinkes, kepala_dinkes
):
    laporan = lapor(aksi_dinkes, LALU, operator_dinkes, kirim=True)
    tepat = datetime.datetime.combine(batas_lapor(*LALU), datetime.time(23, 30))
    Realisasi.objects.filter(pk=laporan.pk).update(dikirim=timezone.make_aware(tepat))
    client.force_login(operator_dinkes)
    page = client.get(laporan.get_absolute_url())
    assert page.context["hari_terlambat"] == 0
    assert "Terlambat" not in page.content.decode()
