"""Four eyes at the head's step: whoever sent an answer may not approve it, and an answer is
not sent where nobody else could approve it (an agency or kecamatan with no head account)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agencies import services as agencies_services
from agencies.models import Keanggotaan, Notifikasi, Peran, User
from clusters import services
from clusters.models import Jawaban, Pertanyaan
from tests.conftest import OpdFactory, _pertanyaan, berkas

DISETUJUI_SENDIRI = (
    "Anda yang mengirim jawaban ini, jadi tidak dapat menyetujuinya sendiri. "
    "Yang dapat menyetujui: dr. Hendra Gunawan (kepala.dinkes)."
)


def page(pertanyaan, unit=None) -> str:
    if unit is None:
        return reverse("clusters:pertanyaan-detail", args=[pertanyaan.pk])
    return reverse("clusters:pertanyaan-unit", args=[pertanyaan.pk, unit.kode])


@pytest.fixture
def rudi(make_person, dinkes) -> User:
    """dr. Rudi Hartono heads Dinas Kesehatan and also works as one of its operators."""
    rudi = make_person("rudi.dinkes", Peran.KEPALA_OPD, opd=dinkes, nama="dr. Rudi Hartono")
    agencies_services.keanggotaan_tambah(user=rudi, peran=Peran.OPERATOR_OPD, opd=dinkes, by=rudi)
    return User.objects.get(pk=rudi.pk)


def answered(pertanyaan, by, **values) -> Jawaban:
    jawaban = services.jawaban_simpan(
        pertanyaan=pertanyaan, by=by, versi=0, **(values or {"fraksi": Decimal(1)})
    )
    if pertanyaan.wajib_lampiran:
        services.lampiran_tambah(pertanyaan=pertanyaan, berkas=berkas(), by=by)
    return Jawaban.objects.get(pk=jawaban.pk)


def test_a_head_who_sent_an_answer_may_not_approve_it_and_hears_who_can(
    client, rudi, kepala_dinkes, soal_dinkes, sekretariat
):
    jawaban = services.jawaban_kirim(jawaban=answered(soal_dinkes, rudi), by=rudi)
    assert jawaban.dikirim_oleh == rudi
    # The other head is asked to approve; the sender is not asked to approve his own.
    assert Notifikasi.objects.filter(penerima=kepala_dinkes).count() == 1
    assert not Notifikasi.objects.filter(penerima=rudi).exists()
    before = (jawaban.versi, jawaban.history.count())

    with pytest.raises(ValidationError) as refused:
        services.jawaban_setujui(jawaban=jawaban, by=rudi)
    assert refused.value.messages == [DISETUJUI_SENDIRI]

    client.force_login(rudi)
    response = client.post(
        reverse("clusters:jawaban-setujui", args=[jawaban.pk]),
        {"versi": jawaban.versi},
        follow=True,
    )
    assert DISETUJUI_SENDIRI in response.content.decode()
    jawaban.refresh_from_db()
    assert jawaban.status == "menunggu_kepala"
    assert (jawaban.versi, jawaban.history.count()) == before

    # His page shows the approval disabled with the reason; he can still send it back.
    text = client.get(page(soal_dinkes)).content.decode()
    assert DISETUJUI_SENDIRI in text
    assert 'disabled aria-describedby="alasan-setujui"' in text
    assert reverse("clusters:jawaban-setujui", args=[jawaban.pk]) not in text
    assert reverse("clusters:jawaban-tolak", args=[jawaban.pk]) in text
    # His inbox says so too.
    inbox = client.get(reverse("clusters:tugas")).content.decode()
    assert DISETUJUI_SENDIRI in inbox
    assert "Anda pengirimnya: perlu disetujui kepala lain" in inbox

    # The other head approves.
    services.jawaban_setujui(jawaban=jawaban, by=kepala_dinkes)
    jawaban.refresh_from_db()
    assert jawaban.status == "menunggu_verifikasi"


def test_a_head_whose_fellow_head_left_hears_who_must_add_one(
    rudi, kepala_dinkes, soal_dinkes, sekretariat
):
    jawaban = services.jawaban_kirim(jawaban=answered(soal_dinkes, rudi), by=rudi)
    agencies_services.keanggotaan_akhiri(
        keanggotaan=Keanggotaan.objects.get(user=kepala_dinkes),
        by=sekretariat,
        alasan="Pensiun",
    )
    with pytest.raises(ValidationError) as refused:
        services.jawaban_setujui(jawaban=jawaban, by=rudi)
    assert refused.value.messages == [
        "Anda yang mengirim jawaban ini, jadi tidak dapat menyetujuinya sendiri, dan belum ada "
        "kepala lain di Dinas Kesehatan yang dapat menyetujuinya. Minta Sekretariat Gugus Tugas "
        "(Rina Marlina) menambahkan akun kepala; sementara itu Anda dapat mengembalikannya ke "
        "operator."
    ]
    assert Jawaban.objects.get().status == "menunggu_kepala"


def test_the_only_head_may_not_send_but_approves_what_an_operator_sends(
    client, rudi, operator_dinkes, soal_dinkes, sekretariat
):
    jawaban = answered(soal_dinkes, rudi)
    with pytest.raises(ValidationError) as refused:
        services.jawaban_kirim(jawaban=jawaban, by=rudi)
    assert refused.value.messages == [
        "Anda satu-satunya kepala Dinas Kesehatan di portal, dan pengirim tidak dapat "
        "menyetujui kirimannya sendiri. Minta operator lain yang mengirim, atau minta "
        "Sekretariat Gugus Tugas (Rina Marlina) menambahkan akun kepala lain."
    ]
    assert Jawaban.objects.get().status == "draft"
    # Siti, an operator, sends it; Rudi, the head, approves it.
    services.jawaban_kirim(jawaban=jawaban, by=operator_dinkes)
    services.jawaban_setujui(jawaban=jawaban, by=rudi)
    assert Jawaban.objects.get().status == "menunggu_verifikasi"


def test_an_agency_without_a_head_account_cannot_send_and_the_page_says_why(
    client, operator_dinsos, soal_dinsos, sekretariat
):
    jawaban = answered(soal_dinsos, operator_dinsos, poin_langsung=Decimal(5))
    reason = (
        "Dinas Sosial belum punya akun kepala di portal, jadi tidak ada yang dapat menyetujui "
        "kiriman ini. Minta Sekretariat Gugus Tugas (Rina Marlina) menambahkan akun kepala "
        "untuk Dinas Sosial, lalu kirim."
    )
    client.force_login(operator_dinsos)
    text = client.get(page(soal_dinsos)).content.decode()
    assert reason in text and 'disabled aria-describedby="alasan-kirim"' in text
    response = client.post(
        reverse("clusters:jawaban-kirim", args=[jawaban.pk]), {"versi": jawaban.versi}, follow=True
    )
    assert reason in response.content.decode()
    jawaban.refresh_from_db()
    assert (jawaban.status, jawaban.dikirim_oleh, jawaban.history.count()) == ("draft", None, 1)


@pytest.fixture
def soal_kecamatan(indikator, dp3a) -> Pertanyaan:
    """A per-kecamatan question, without evidence, led by the child-protection agency."""
    pertanyaan = _pertanyaan(
        indikator,
        "Pertanyaan 4",
        lingkup=Pertanyaan.Lingkup.KECAMATAN,
        wajib_lampiran=False,
        petunjuk_lampiran="",
    )
    pertanyaan.penugasan.create(opd=dp3a, utama=True)
    return pertanyaan


def test_a_kecamatan_without_a_camat_account_cannot_send_until_one_is_added(
    client, make_person, operator_kasemen, kasemen, soal_kecamatan, sekretariat
):
    client.force_login(operator_kasemen)
    # No office for Kasemen in the portal at all yet.
    nobody = (
        "Kecamatan Kasemen belum terdaftar sebagai OPD kecamatan di portal, jadi belum ada "
        "camat yang dapat menyetujui kiriman ini. Minta Sekretariat Gugus Tugas (Rina Marlina) "
        "mendaftarkan kantor kecamatannya dan menambahkan akun camat, lalu kirim."
    )
    assert nobody in client.get(page(soal_kecamatan, kasemen)).content.decode()
    jawaban = services.jawaban_simpan(
        pertanyaan=soal_kecamatan, wilayah=kasemen, by=operator_kasemen, versi=0, fraksi=1
    )
    with pytest.raises(ValidationError, match="belum terdaftar sebagai OPD kecamatan"):
        services.jawaban_kirim(jawaban=jawaban, by=operator_kasemen)

    # The office is registered, but it has no camat account.
    kantor = OpdFactory(
        nama="Kecamatan Kasemen", singkatan="Kec. Kasemen", jenis="kecamatan", wilayah=kasemen
    )
    no_camat = (
        "Kecamatan Kasemen belum punya akun camat/kepala di portal, jadi tidak ada yang dapat "
        "menyetujui kiriman ini. Minta Sekretariat Gugus Tugas (Rina Marlina) menambahkan akun "
        "camat untuk Kecamatan Kasemen, lalu kirim."
    )
    text = client.get(page(soal_kecamatan, kasemen)).content.decode()
    assert no_camat in text and 'disabled aria-describedby="alasan-kirim"' in text
    response = client.post(
        reverse("clusters:jawaban-kirim", args=[jawaban.pk]), {"versi": jawaban.versi}, follow=True
    )
    assert no_camat in response.content.decode()
    assert Jawaban.objects.get().status == "draft"

    # The secretariat adds the camat: the answer goes to him.
    camat = make_person("camat.kasemen", Peran.KEPALA_OPD, opd=kantor, nama="H. Syamsul Bahri")
    assert "alasan-kirim" not in client.get(page(soal_kecamatan, kasemen)).content.decode()
    client.post(reverse("clusters:jawaban-kirim", args=[jawaban.pk]), {"versi": jawaban.versi})
    jawaban.refresh_from_db()
    assert (jawaban.status, jawaban.dikirim_oleh) == ("menunggu_kepala", operator_kasemen)
    assert Notifikasi.objects.filter(penerima=camat).count() == 1
    services.jawaban_setujui(jawaban=jawaban, by=camat)
    assert Jawaban.objects.get().status == "menunggu_verifikasi"
