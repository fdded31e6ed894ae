"""Working through a queue: after a head's approval or return, or the secretariat's verification
or return, the next item waiting for the same person opens ("2 lagi"); and the notices that
asked for those steps are done once the step is taken, so the bell counts only what is open."""

from decimal import Decimal

from django.urls import reverse

from agencies.models import Notifikasi
from clusters import services
from clusters.models import Penugasan
from tests.conftest import _pertanyaan


def _soal_dinsos(indikator, dinsos, n):
    """``n`` questions of Dinas Sosial scored by points given directly, no evidence required."""
    soal = []
    for i in range(n):
        p = _pertanyaan(
            indikator,
            f"Pertanyaan {10 + i}",
            urutan=10 + i,
            cara_penilaian="langsung",
            wajib_lampiran=False,
            petunjuk_lampiran="",
        )
        Penugasan.objects.create(pertanyaan=p, opd=dinsos, utama=True)
        soal.append(p)
    return soal


def _kirim(soal, operator):
    jawaban = []
    for p in soal:
        j = services.jawaban_simpan(pertanyaan=p, by=operator, versi=0, poin_langsung=Decimal(4))
        jawaban.append(services.jawaban_kirim(jawaban=j, by=operator))
    return jawaban


def _halaman(jawaban) -> str:
    return reverse("clusters:pertanyaan-detail", args=[jawaban.pertanyaan_id])


def _pesan(response) -> list[str]:
    """The message the step left (earlier ones, not shown since, come before it)."""
    return [str(m) for m in response.wsgi_request._messages][-1:]


def test_the_head_approves_and_the_next_waiting_answer_opens_until_none_is_left(
    client, indikator, dinsos, operator_dinsos, kepala_dinsos
):
    pertama, kedua, ketiga = _kirim(_soal_dinsos(indikator, dinsos, 3), operator_dinsos)
    client.force_login(kepala_dinsos)

    r = client.post(reverse("clusters:jawaban-setujui", args=[pertama.pk]))
    assert r.status_code == 302 and r.url == _halaman(kedua)
    assert _pesan(r) == [
        "Jawaban disetujui dan diteruskan ke Sekretariat. 2 lagi menunggu Anda; ini berikutnya."
    ]

    r = client.post(reverse("clusters:jawaban-tolak", args=[kedua.pk]), {"alasan": "Angka salah"})
    assert r.url == _halaman(ketiga)
    assert _pesan(r) == ["Jawaban dikembalikan ke operator. 1 lagi menunggu Anda; ini berikutnya."]

    r = client.post(reverse("clusters:jawaban-setujui", args=[ketiga.pk]))
    assert r.url == _halaman(ketiga)  # nothing left: stays on the answer just approved
    assert _pesan(r) == ["Jawaban disetujui dan diteruskan ke Sekretariat."]


def test_a_refused_step_stays_on_the_answer_and_does_not_move_on(
    client, indikator, dinsos, operator_dinsos, kepala_dinsos
):
    pertama, _kedua = _kirim(_soal_dinsos(indikator, dinsos, 2), operator_dinsos)
    client.force_login(kepala_dinsos)
    client.post(reverse("clusters:jawaban-setujui", args=[pertama.pk]))
    # A second click on the same page (stale): refused, and the head stays where they were.
    r = client.post(reverse("clusters:jawaban-setujui", args=[pertama.pk]))
    assert r.url == _halaman(pertama)
    assert "lagi menunggu" not in " ".join(_pesan(r))


def test_what_a_head_sent_themselves_is_not_offered_next(
    client, indikator, dinsos, operator_dinsos, kepala_dinsos, make_person
):
    from agencies.models import Peran

    make_person("kepala.dinsos2", Peran.KEPALA_OPD, opd=dinsos)  # who approves the head's own
    pertama, kedua = _soal_dinsos(indikator, dinsos, 2)
    (dari_operator,) = _kirim([pertama], operator_dinsos)
    j = services.jawaban_simpan(
        pertanyaan=kedua, by=kepala_dinsos, versi=0, poin_langsung=Decimal(1)
    )
    services.jawaban_kirim(jawaban=j, by=kepala_dinsos)  # the head answered one themselves

    client.force_login(kepala_dinsos)
    r = client.post(reverse("clusters:jawaban-setujui", args=[dari_operator.pk]))
    assert r.url == _halaman(dari_operator)
    assert _pesan(r) == ["Jawaban disetujui dan diteruskan ke Sekretariat."]


def test_the_secretariat_verifies_and_the_next_answer_waiting_for_verification_opens(
    client, indikator, dinsos, operator_dinsos, kepala_dinsos, sekretariat
):
    jawaban = _kirim(_soal_dinsos(indikator, dinsos, 2), operator_dinsos)
    for j in jawaban:
        services.jawaban_setujui(jawaban=j, by=kepala_dinsos)
    client.force_login(sekretariat)

    r = client.post(reverse("clusters:jawaban-verifikasi", args=[jawaban[0].pk]), {"poin": "4"})
    assert r.url == _halaman(jawaban[1])
    assert _pesan(r) == ["Jawaban terverifikasi dan dikunci. 1 lagi menunggu Anda; ini berikutnya."]

    r = client.post(
        reverse("clusters:jawaban-kembalikan", args=[jawaban[1].pk]),
        {"alasan": "SK belum ditandatangani"},
    )
    assert r.url == _halaman(jawaban[1])
    assert _pesan(r) == ["Jawaban dikembalikan ke OPD dengan alasan."]


def test_a_notice_asking_for_a_step_is_done_when_the_step_is_taken_by_anyone(
    client, indikator, dinsos, operator_dinsos, kepala_dinsos, make_person
):
    from agencies.models import Peran

    wakil = make_person("wakil.kepala.dinsos", Peran.KEPALA_OPD, opd=dinsos)
    (jawaban,) = _kirim(_soal_dinsos(indikator, dinsos, 1), operator_dinsos)
    menunggu = Notifikasi.objects.filter(penerima__in=[kepala_dinsos, wakil])
    assert menunggu.count() == 2 and all(n.terbuka for n in menunggu)
    client.force_login(kepala_dinsos)
    assert client.get(reverse("beranda")).context["notifikasi_baru"] == 1

    # The other head approves: both heads' notices are done, neither was opened.
    services.jawaban_tolak(jawaban=jawaban, by=wakil, alasan="Poin terlalu tinggi")
    assert [(n.dibaca, n.selesai is not None) for n in menunggu.all()] == [(None, True)] * 2
    assert client.get(reverse("beranda")).context["notifikasi_baru"] == 0
    html = client.get(reverse("agencies:notifikasi")).content.decode()
    assert "Selesai" in html

    # The operator's "returned" notice is open until they send the answer again.
    dikembalikan = Notifikasi.objects.get(penerima=operator_dinsos)
    assert dikembalikan.terbuka
    services.jawaban_kirim(jawaban=jawaban, by=operator_dinsos)
    dikembalikan.refresh_from_db()
    assert dikembalikan.selesai is not None
    # ... and the heads have a new open notice for the new request.
    assert Notifikasi.objects.terbuka().filter(penerima=kepala_dinsos).count() == 1


def test_a_notice_that_asks_nothing_stays_until_read(client, tahun, dinsos, operator_dinsos):
    from datetime import timedelta

    from django.utils import timezone

    tahun.batas_waktu = timezone.now() - timedelta(days=1)
    tahun.save()
    services.perpanjangan_beri(
        tahun=tahun,
        opd=dinsos,
        sampai=timezone.now() + timedelta(days=7),
        alasan="Banjir",
        by=operator_dinsos,
    )
    (n,) = Notifikasi.objects.filter(penerima=operator_dinsos)
    assert n.terbuka and n.selesai is None


def test_a_new_deadline_reminder_replaces_the_earlier_open_one(
    tahun, soal_dinsos, operator_dinsos, kepala_dinsos
):
    import datetime

    from django.utils import timezone

    tahun.batas_waktu = timezone.now() + datetime.timedelta(days=10)
    tahun.save()
    hari_batas = timezone.localtime(tahun.batas_waktu).date()
    assert services.batas_waktu_ingatkan(hari_ini=hari_batas - datetime.timedelta(days=3)) == 1
    assert services.batas_waktu_ingatkan(hari_ini=hari_batas - datetime.timedelta(days=1)) == 1
    pengingat = Notifikasi.objects.filter(penerima=operator_dinsos).order_by("pk")
    assert [n.terbuka for n in pengingat] == [False, True]
    assert "(1 hari lagi)" in pengingat.last().judul


def test_notices_written_before_they_were_a_to_do_list_are_done_if_their_record_moved_on(
    indikator, dinsos, operator_dinsos, kepala_dinsos, make_person
):
    import importlib

    from django.apps import apps

    from agencies.models import Peran

    make_person("wakil.kepala.dinsos", Peran.KEPALA_OPD, opd=dinsos)
    disetujui, menunggu = _kirim(_soal_dinsos(indikator, dinsos, 2), operator_dinsos)
    # As before 0004: the approval left the head's notice open.
    services.jawaban_setujui(jawaban=disetujui, by=kepala_dinsos)
    Notifikasi.objects.update(selesai=None)
    lama = importlib.import_module("agencies.migrations.0005_notifikasi_lama_selesai")
    lama.tutup(apps, None)
    terbuka = Notifikasi.objects.terbuka().filter(penerima=kepala_dinsos)
    assert [n.tautan for n in terbuka] == [menunggu.get_absolute_url()]
