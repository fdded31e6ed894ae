"""A follow-up's notice to its agency is a to-do: done when the agency closes the follow-up."""

from agencies.models import Notifikasi
from koordinasi import services


def test_the_agencys_notice_is_done_when_it_closes_the_follow_up(
    operator_dinkes, sekretariat, tindak_dinkes
):
    (tugas,) = Notifikasi.objects.filter(penerima=operator_dinkes)
    assert tugas.terbuka and tugas.tautan == tindak_dinkes.get_absolute_url()
    services.tindak_lanjut_perbarui(
        tindak_lanjut=tindak_dinkes,
        status="selesai",
        hasil="Data imunisasi terkirim ke Bappeda",
        versi=tindak_dinkes.versi,
        by=operator_dinkes,
    )
    tugas.refresh_from_db()
    assert tugas.selesai is not None and tugas.dibaca is None  # done without being opened
    # The secretariat hears of the close: a new notice, open.
    assert Notifikasi.objects.terbuka().filter(penerima=sekretariat).count() == 1
