"""Four eyes at the head's step of a quarterly report: whoever sent it may not approve it, and
a report is not sent where nobody else could approve it (an agency with no head account)."""

import pytest
from django.core.exceptions import ValidationError

from agencies import services as agencies_services
from agencies.models import Notifikasi, Peran, User
from rencana_aksi import services
from rencana_aksi.models import Realisasi
from tests.rencana_aksi.bantu import LALU, halaman, lapor

DISETUJUI_SENDIRI = (
    "Anda yang mengirim laporan ini, jadi tidak dapat menyetujuinya sendiri. "
    "Yang dapat menyetujui: dr. Hendra Gunawan (kepala.dinkes)."
)


@pytest.fixture
def rudi(make_person, dinkes) -> User:
    """dr. Rudi Hartono heads Dinas Kesehatan and also reports as one of its operators."""
    rudi = make_person("rudi.dinkes", Peran.KEPALA_OPD, opd=dinkes, nama="dr. Rudi Hartono")
    agencies_services.keanggotaan_tambah(user=rudi, peran=Peran.OPERATOR_OPD, opd=dinkes, by=rudi)
    return User.objects.get(pk=rudi.pk)


def test_a_head_who_sent_a_report_may_not_approve_it_and_hears_who_can(
    client, rudi, kepala_dinkes, aksi_dinkes, sekretariat
):
    laporan = lapor(aksi_dinkes, LALU, rudi, kirim=True)
    assert laporan.dikirim_oleh == rudi
    assert Notifikasi.objects.filter(penerima=kepala_dinkes).count() == 1
    assert not Notifikasi.objects.filter(penerima=rudi).exists()
    before = (laporan.versi, laporan.history.count())

    with pytest.raises(ValidationError) as refused:
        services.realisasi_setujui(realisasi=laporan, by=rudi)
    assert refused.value.messages == [DISETUJUI_SENDIRI]

    client.force_login(rudi)
    response = client.post(
        halaman("realisasi-setujui", laporan.pk), {"versi": laporan.versi}, follow=True
    )
    assert DISETUJUI_SENDIRI in response.content.decode()
    laporan.refresh_from_db()
    assert laporan.status == "menunggu_kepala"
    assert (laporan.versi, laporan.history.count()) == before

    text = client.get(laporan.get_absolute_url()).content.decode()
    assert DISETUJUI_SENDIRI in text
    assert 'disabled aria-describedby="alasan-setujui"' in text
    assert halaman("realisasi-setujui", laporan.pk) not in text
    assert halaman("realisasi-tolak", laporan.pk) in text
    inbox = client.get(halaman("laporan")).content.decode()
    assert DISETUJUI_SENDIRI in inbox
    assert "Anda pengirimnya: perlu disetujui kepala lain" in inbox

    # The other head approves; his inbox asks for his approval as before.
    client.force_login(kepala_dinkes)
    assert "perlu persetujuan Anda" in client.get(halaman("laporan")).content.decode()
    services.realisasi_setujui(realisasi=laporan, by=kepala_dinkes)
    assert Realisasi.objects.get().status == "menunggu_verifikasi"


def test_an_agency_without_a_head_account_cannot_send_and_the_page_says_why(
    client, operator_dinsos, aksi_dinsos, sekretariat, make_person, dinsos
):
    laporan = lapor(aksi_dinsos, LALU, operator_dinsos)
    reason = (
        "Dinas Sosial belum punya akun kepala di portal, jadi tidak ada yang dapat menyetujui "
        "kiriman ini. Minta Sekretariat Gugus Tugas (Rina Marlina) menambahkan akun kepala "
        "untuk Dinas Sosial, lalu kirim."
    )
    with pytest.raises(ValidationError) as refused:
        services.realisasi_kirim(realisasi=laporan, by=operator_dinsos)
    assert refused.value.messages == [reason]

    client.force_login(operator_dinsos)
    text = client.get(laporan.get_absolute_url()).content.decode()
    assert reason in text and 'disabled aria-describedby="alasan-kirim"' in text
    response = client.post(
        halaman("realisasi-kirim", laporan.pk), {"versi": laporan.versi}, follow=True
    )
    assert reason in response.content.decode()
    laporan.refresh_from_db()
    assert (laporan.status, laporan.dikirim, laporan.history.count()) == ("draft", None, 1)

    # Once Dinas Sosial has a head, the report goes to him.
    kepala = make_person("kepala.dinsos", Peran.KEPALA_OPD, opd=dinsos, nama="Drs. Rahmat")
    client.post(halaman("realisasi-kirim", laporan.pk), {"versi": laporan.versi})
    laporan.refresh_from_db()
    assert (laporan.status, laporan.dikirim_oleh) == ("menunggu_kepala", operator_dinsos)
    services.realisasi_setujui(realisasi=laporan, by=kepala)
    assert Realisasi.objects.get().status == "menunggu_verifikasi"
