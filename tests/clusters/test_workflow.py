"""The answer workflow for each role: answer, evidence, send, approve, verify, return, reopen."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agencies.models import Notifikasi
from clusters import services
from clusters.models import Jawaban, Lampiran
from tests.conftest import PNG, berkas


def page(pertanyaan, unit=None) -> str:
    if unit is None:
        return reverse("clusters:pertanyaan-detail", args=[pertanyaan.pk])
    return reverse("clusters:pertanyaan-unit", args=[pertanyaan.pk, unit.kode])


def answer(client, pertanyaan, versi=0, unit=None, **data):
    return client.post(page(pertanyaan, unit), {"versi": versi, **data})


def test_an_operator_answers_attaches_evidence_and_sends(
    client, operator_dinkes, kepala_dinkes, soal_dinkes, django_capture_on_commit_callbacks
):
    kepala_dinkes.email = "kadinkes@example.go.id"
    kepala_dinkes.save()
    client.force_login(operator_dinkes)

    response = client.post(
        page(soal_dinkes),
        {
            "versi": 0,
            "fraksi": "0.75",
            "angka_tahun_ini": "1.250,5",
            "catatan": "Data Puskesmas 2024",
            "berkas": [berkas(), berkas("foto.png", PNG)],
        },
    )
    assert response.status_code == 302
    jawaban = Jawaban.objects.get(pertanyaan=soal_dinkes)
    assert (jawaban.status, jawaban.poin_opd, jawaban.angka_tahun_ini) == (
        "draft",
        Decimal("6.00"),
        Decimal("1250.5"),
    )
    assert jawaban.opd.singkatan == "Dinkes"
    assert sorted(jawaban.lampiran.values_list("jenis", flat=True)) == [
        "application/pdf",
        "image/png",
    ]

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("clusters:jawaban-kirim", args=[jawaban.pk]), follow=True)
    assert "Jawaban dikirim ke kepala OPD" in sent.content.decode()
    jawaban.refresh_from_db()
    assert jawaban.status == "menunggu_kepala"
    assert Notifikasi.objects.filter(
        penerima=kepala_dinkes, judul__startswith="Menunggu persetujuan Anda"
    ).exists()
    assert mail.outbox and mail.outbox[0].to == ["kadinkes@example.go.id"]


def test_sending_without_the_required_evidence_is_refused(client, operator_dinkes, soal_dinkes):
    client.force_login(operator_dinkes)
    answer(client, soal_dinkes, fraksi="1")
    jawaban = Jawaban.objects.get()
    response = client.post(reverse("clusters:jawaban-kirim", args=[jawaban.pk]), follow=True)
    assert (
        "Lampirkan data dukung sebelum mengirim: Lampirkan SK dan foto kegiatan"
        in response.content.decode()
    )
    jawaban.refresh_from_db()
    assert jawaban.status == "draft"


def test_sending_twice_changes_nothing_the_second_time(
    operator_dinkes, soal_dinsos, operator_dinsos, kepala_dinsos
):
    jawaban = services.jawaban_simpan(
        pertanyaan=soal_dinsos, by=operator_dinsos, versi=0, poin_langsung=Decimal(5)
    )
    services.jawaban_kirim(jawaban=jawaban, by=operator_dinsos)
    with pytest.raises(ValidationError, match="sudah dikirim"):
        services.jawaban_kirim(jawaban=jawaban, by=operator_dinsos)
    assert Jawaban.objects.get().versi == 2


def sent_answer(soal_dinsos, operator_dinsos) -> Jawaban:
    jawaban = services.jawaban_simpan(
        pertanyaan=soal_dinsos, by=operator_dinsos, versi=0, poin_langsung=Decimal(5)
    )
    return services.jawaban_kirim(jawaban=jawaban, by=operator_dinsos)


def test_the_head_approves_or_returns_with_a_reason(
    client, make_person, dinsos, soal_dinsos, operator_dinsos
):
    kepala = make_person("kepala.dinsos", "kepala_opd", opd=dinsos)
    jawaban = sent_answer(soal_dinsos, operator_dinsos)
    client.force_login(kepala)
    assert "Persetujuan kepala" in client.get(page(soal_dinsos)).content.decode()

    empty = client.post(
        reverse("clusters:jawaban-tolak", args=[jawaban.pk]), {"alasan": ""}, follow=True
    )
    assert "Tuliskan alasannya" in empty.content.decode()
    client.post(
        reverse("clusters:jawaban-tolak", args=[jawaban.pk]),
        {"alasan": "Angka tidak sesuai data Dinsos"},
    )
    jawaban.refresh_from_db()
    assert (jawaban.status, jawaban.alasan) == ("dikembalikan", "Angka tidak sesuai data Dinsos")

    # the operator sees the reason and is told
    client.force_login(operator_dinsos)
    assert "Angka tidak sesuai data Dinsos" in client.get(page(soal_dinsos)).content.decode()
    assert Notifikasi.objects.filter(
        penerima=operator_dinsos, judul__contains="Angka tidak sesuai"
    ).exists()

    services.jawaban_kirim(jawaban=jawaban, by=operator_dinsos)
    client.force_login(kepala)
    client.post(reverse("clusters:jawaban-setujui", args=[jawaban.pk]))
    jawaban.refresh_from_db()
    assert jawaban.status == "menunggu_verifikasi"


def test_the_secretariat_verifies_with_its_own_points_and_the_answer_locks(
    client, sekretariat, soal_dinsos, operator_dinsos, kepala_dinsos
):
    jawaban = sent_answer(soal_dinsos, operator_dinsos)
    services.jawaban_setujui(jawaban=jawaban, by=kepala_dinsos)
    client.force_login(sekretariat)
    client.post(
        reverse("clusters:jawaban-verifikasi", args=[jawaban.pk]), {"poin": "5,28"}
    )  # 0.66 of 8
    jawaban.refresh_from_db()
    assert (jawaban.status, jawaban.poin_opd, jawaban.poin_verifikator) == (
        "terverifikasi",
        Decimal("5.00"),
        Decimal("5.28"),
    )

    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        services.jawaban_simpan(
            pertanyaan=soal_dinsos,
            by=operator_dinsos,
            versi=jawaban.versi,
            poin_langsung=Decimal(8),
        )

    client.post(
        reverse("clusters:jawaban-buka-kembali", args=[jawaban.pk]),
        {"alasan": "Ada SK baru yang lebih tepat"},
    )
    jawaban.refresh_from_db()
    assert (jawaban.status, jawaban.poin_verifikator, jawaban.alasan) == (
        "dikembalikan",
        None,
        "Ada SK baru yang lebih tepat",
    )


def test_verifier_points_must_lie_within_the_maximum(
    sekretariat, soal_dinsos, operator_dinsos, kepala_dinsos
):
    jawaban = sent_answer(soal_dinsos, operator_dinsos)
    services.jawaban_setujui(jawaban=jawaban, by=kepala_dinsos)
    with pytest.raises(ValidationError, match="antara 0 dan 8"):
        services.jawaban_verifikasi(jawaban=jawaban, by=sekretariat, poin=Decimal(9))
    assert Jawaban.objects.get().status == "menunggu_verifikasi"


def test_the_secretariat_returns_with_a_reason(
    client, sekretariat, soal_dinsos, operator_dinsos, kepala_dinsos
):
    jawaban = sent_answer(soal_dinsos, operator_dinsos)
    services.jawaban_setujui(jawaban=jawaban, by=kepala_dinsos)
    client.force_login(sekretariat)
    client.post(
        reverse("clusters:jawaban-kembalikan", args=[jawaban.pk]),
        {"alasan": "Lampirkan SK yang ditandatangani"},
    )
    jawaban.refresh_from_db()
    assert (jawaban.status, jawaban.alasan) == ("dikembalikan", "Lampirkan SK yang ditandatangani")


def test_after_the_deadline_only_an_extension_lets_an_agency_send(
    sekretariat, tahun, soal_dinsos, operator_dinsos, kepala_dinsos, dinsos
):
    jawaban = services.jawaban_simpan(
        pertanyaan=soal_dinsos, by=operator_dinsos, versi=0, poin_langsung=Decimal(4)
    )
    tahun.batas_waktu = timezone.now() - datetime.timedelta(hours=1)
    tahun.save()
    with pytest.raises(ValidationError, match="Batas waktu Evaluasi KLA 2024 sudah lewat"):
        services.jawaban_kirim(jawaban=jawaban, by=operator_dinsos)
    services.perpanjangan_beri(
        tahun=tahun,
        opd=dinsos,
        sampai=timezone.now() + datetime.timedelta(days=2),
        alasan="Kepala dinas baru dilantik",
        by=sekretariat,
    )
    assert services.jawaban_kirim(jawaban=jawaban, by=operator_dinsos).status == "menunggu_kepala"
    assert Notifikasi.objects.filter(
        penerima=operator_dinsos, judul__contains="perpanjangan"
    ).exists()


def test_an_extension_must_end_after_the_deadline(sekretariat, tahun, dinsos):
    with pytest.raises(ValidationError, match="setelah batas waktu"):
        services.perpanjangan_beri(
            tahun=tahun, opd=dinsos, sampai=tahun.batas_waktu, alasan="x", by=sekretariat
        )


def test_a_closed_year_takes_no_answers(tahun, soal_dinsos, operator_dinsos):
    tahun.dibuka = False
    tahun.save()
    with pytest.raises(ValidationError, match="belum dibuka"):
        services.jawaban_simpan(
            pertanyaan=soal_dinsos, by=operator_dinsos, versi=0, poin_langsung=Decimal(4)
        )


def test_a_stale_save_is_refused_and_loses_nothing(
    client, make_person, dinsos, soal_dinsos, operator_dinsos
):
    rekan = make_person("operator2.dinsos", "operator_opd", opd=dinsos, nama="Rudi Hartono")
    services.jawaban_simpan(
        pertanyaan=soal_dinsos, by=operator_dinsos, versi=0, poin_langsung=Decimal(4)
    )
    # Both opened the page at version 1; Rudi saves first.
    services.jawaban_simpan(
        pertanyaan=soal_dinsos, by=rekan, versi=1, poin_langsung=Decimal(6), catatan="versi Rudi"
    )
    client.force_login(operator_dinsos)
    response = answer(
        client, soal_dinsos, versi=1, poin_langsung="3", catatan="versi Budi yang belum tersimpan"
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "sudah diubah oleh Rudi Hartono" in text
    assert "versi Budi yang belum tersimpan" in text  # what was typed is still in the form
    jawaban = Jawaban.objects.get()
    assert (jawaban.poin_langsung, jawaban.catatan) == (Decimal(6), "versi Rudi")


def test_the_answer_page_shows_who_changed_what(
    client, sekretariat, soal_dinsos, operator_dinsos, kepala_dinsos
):
    jawaban = sent_answer(soal_dinsos, operator_dinsos)
    services.jawaban_setujui(jawaban=jawaban, by=kepala_dinsos)
    services.jawaban_kembalikan(jawaban=jawaban, by=sekretariat, alasan="Data 2023 belum ada")
    client.force_login(sekretariat)
    text = client.get(page(soal_dinsos)).content.decode()
    assert "Riwayat" in text
    assert "Rina Marlina" in text and "Budi Santoso" in text
    assert "Data 2023 belum ada" in text
    assert jawaban.history.count() == 4  # saved, sent, approved, returned


def test_replacing_a_file_keeps_the_old_version(client, operator_dinkes, soal_dinkes):
    client.force_login(operator_dinkes)
    answer(client, soal_dinkes, fraksi="1", berkas=berkas("sk-lama.pdf"))
    old = Lampiran.objects.get()
    client.post(
        reverse("clusters:lampiran-ganti", args=[old.pk]), {"berkas": berkas("sk-baru.pdf")}
    )
    old.refresh_from_db()
    assert old.diganti_oleh.nama_asli == "sk-baru.pdf"
    assert list(Lampiran.objects.aktif().values_list("nama_asli", flat=True)) == ["sk-baru.pdf"]
    assert "sk-lama.pdf" in client.get(page(soal_dinkes)).content.decode()  # in the history part
    assert client.get(old.get_absolute_url()).status_code == 200


def test_a_verified_answers_files_cannot_change(
    client, sekretariat, operator_dinkes, kepala_dinkes, soal_dinkes
):
    client.force_login(operator_dinkes)
    answer(client, soal_dinkes, fraksi="1", berkas=berkas())
    jawaban = Jawaban.objects.get()
    services.jawaban_kirim(jawaban=jawaban, by=operator_dinkes)
    services.jawaban_setujui(jawaban=jawaban, by=kepala_dinkes)
    services.jawaban_verifikasi(jawaban=jawaban, by=sekretariat)
    response = client.post(
        reverse("clusters:lampiran-lepas", args=[Lampiran.objects.get().pk]), follow=True
    )
    assert "Data dukung tidak dapat diubah" in response.content.decode()
    assert Lampiran.objects.aktif().count() == 1


def test_a_kelurahan_operator_answers_for_the_kelurahan_and_the_camat_approves(
    client, lurah_cipare, camat_serang, cipare, soal_kelurahan
):
    client.force_login(lurah_cipare)
    response = answer(
        client, soal_kelurahan, unit=cipare, fraksi="1", berkas=berkas("sk-patbm.pdf")
    )
    assert response.status_code == 302
    jawaban = Jawaban.objects.get(wilayah=cipare)
    assert (jawaban.fraksi, jawaban.poin_opd) == (Decimal(1), None)  # a unit feeds the coverage
    client.post(reverse("clusters:jawaban-kirim", args=[jawaban.pk]))
    client.force_login(camat_serang)
    assert (
        "1 jawaban menunggu persetujuan Anda"
        in client.get(reverse("clusters:tugas")).content.decode()
    )
    client.post(reverse("clusters:jawaban-setujui", args=[jawaban.pk]))
    jawaban.refresh_from_db()
    assert jawaban.status == "menunggu_verifikasi"


def test_the_lead_agency_gets_the_coverage_proposed_from_approved_unit_answers(
    client, make_person, dp3a, lurah_cipare, camat_serang, cipare, soal_kelurahan
):
    jawaban = services.jawaban_simpan(
        pertanyaan=soal_kelurahan, wilayah=cipare, by=lurah_cipare, versi=0, fraksi=Decimal(1)
    )
    services.lampiran_tambah(
        pertanyaan=soal_kelurahan, wilayah=cipare, berkas=berkas(), by=lurah_cipare
    )
    operator = make_person("operator.dp3a", "operator_opd", opd=dp3a)
    client.force_login(operator)
    assert (
        "0 dari 67 unit memenuhi" in client.get(page(soal_kelurahan)).content.decode()
    )  # a draft counts not

    jawaban = services.jawaban_kirim(jawaban=jawaban, by=lurah_cipare)
    services.jawaban_setujui(jawaban=jawaban, by=camat_serang)
    response = client.get(page(soal_kelurahan))
    text = response.content.decode()
    assert "1 dari 67 unit memenuhi dan sudah disetujui camat, yaitu 1,49%" in text
    assert response.context["form"]["cakupan_persen"].value() == Decimal("1.49")
    saved = answer(client, soal_kelurahan, cakupan_persen="1,49")
    assert saved.status_code == 302
    assert Jawaban.objects.get(wilayah__isnull=True).poin_opd == Decimal("0.12")  # 8 × 1.49 %


def test_an_option_that_is_not_offered_is_refused(client, operator_dinkes, soal_dinkes):
    client.force_login(operator_dinkes)
    response = answer(client, soal_dinkes, fraksi="0.9")
    assert response.status_code == 400
    assert (
        "Pilih pilihan yang valid" in response.content.decode()
        or "bukan salah satu" in response.content.decode()
    )
    assert not Jawaban.objects.exists()


def test_reminders_three_days_and_one_day_before_the_deadline(
    tahun, soal_dinsos, soal_dinkes, operator_dinsos, operator_dinkes, kepala_dinkes
):
    tahun.batas_waktu = timezone.now() + datetime.timedelta(days=10)
    tahun.save()
    hari_batas = timezone.localtime(tahun.batas_waktu).date()

    def before(days):
        return hari_batas - datetime.timedelta(days=days)

    jawaban = services.jawaban_simpan(
        pertanyaan=soal_dinkes, by=operator_dinkes, versi=0, fraksi=Decimal(1)
    )
    services.lampiran_tambah(pertanyaan=soal_dinkes, berkas=berkas(), by=operator_dinkes)
    services.jawaban_kirim(jawaban=jawaban, by=operator_dinkes)
    Notifikasi.objects.all().delete()

    assert services.batas_waktu_ingatkan(hari_ini=before(4)) == 0  # four days before
    assert services.batas_waktu_ingatkan(hari_ini=before(3)) == 2
    assert Notifikasi.objects.get(penerima=operator_dinsos).judul.startswith(
        "1 pertanyaan Evaluasi KLA 2024 belum dikirim"
    )
    assert Notifikasi.objects.get(penerima=kepala_dinkes).judul.startswith(
        "1 jawaban menunggu persetujuan Anda"
    )
    assert not Notifikasi.objects.filter(
        penerima=operator_dinkes
    ).exists()  # Dinkes sent everything
    # a second run the same day repeats nothing
    assert services.batas_waktu_ingatkan(hari_ini=before(3)) == 0
    assert services.batas_waktu_ingatkan(hari_ini=before(1)) == 2


def test_the_reminder_is_a_scheduled_task():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["ingatkan-batas-waktu"]
    assert entry["task"] == "clusters.tasks.ingatkan_batas_waktu"
    from kla_portal.celery import app

    app.loader.import_default_modules()
    assert entry["task"] in app.tasks


# --- Found in review --------------------------------------------------------------------------


def test_after_a_conflict_saving_again_works(
    client, make_person, dinsos, soal_dinsos, operator_dinsos
):
    rekan = make_person("operator2.dinsos", "operator_opd", opd=dinsos, nama="Rudi Hartono")
    services.jawaban_simpan(pertanyaan=soal_dinsos, by=rekan, versi=0, poin_langsung=Decimal(6))
    client.force_login(operator_dinsos)
    first = answer(client, soal_dinsos, versi=0, poin_langsung="3", catatan="punya Budi")
    assert first.status_code == 400
    assert first.context["form"]["versi"].value() == 1  # the form now knows the newer version
    again = answer(client, soal_dinsos, versi=1, poin_langsung="3", catatan="punya Budi")
    assert again.status_code == 302
    assert Jawaban.objects.get().catatan == "punya Budi"


def test_after_the_deadline_drafts_can_still_be_mended(tahun, soal_dinsos, operator_dinsos):
    tahun.batas_waktu = timezone.now() - datetime.timedelta(days=1)
    tahun.save()
    jawaban = services.jawaban_simpan(
        pertanyaan=soal_dinsos, by=operator_dinsos, versi=0, poin_langsung=Decimal(4)
    )
    assert jawaban.status == "draft"
    with pytest.raises(ValidationError, match="sudah lewat"):
        services.jawaban_kirim(jawaban=jawaban, by=operator_dinsos)


def test_a_closed_year_keeps_its_evidence(tahun, operator_dinkes, soal_dinkes):
    lampiran = services.lampiran_tambah(pertanyaan=soal_dinkes, berkas=berkas(), by=operator_dinkes)
    tahun.dibuka = False
    tahun.save()
    for change in (
        lambda: services.lampiran_lepas(lampiran=lampiran, by=operator_dinkes),
        lambda: services.lampiran_ganti(
            lampiran=lampiran, berkas=berkas("baru.pdf"), by=operator_dinkes
        ),
        lambda: services.lampiran_tambah(
            pertanyaan=soal_dinkes, berkas=berkas("lain.pdf"), by=operator_dinkes
        ),
    ):
        with pytest.raises(ValidationError, match="belum dibuka"):
            change()
    assert Lampiran.objects.aktif().count() == 1


def test_a_step_taken_from_an_old_page_is_refused(
    kepala_dinkes, operator_dinkes, sekretariat, soal_dinkes
):
    jawaban = services.jawaban_simpan(
        pertanyaan=soal_dinkes, by=operator_dinkes, versi=0, fraksi=Decimal(1)
    )
    services.lampiran_tambah(pertanyaan=soal_dinkes, berkas=berkas(), by=operator_dinkes)
    jawaban = services.jawaban_kirim(jawaban=jawaban, by=operator_dinkes)
    seen = jawaban.versi
    services.jawaban_setujui(jawaban=jawaban, by=kepala_dinkes, versi=seen)
    services.jawaban_kembalikan(jawaban=jawaban, by=sekretariat, alasan="Lengkapi")
    with pytest.raises(ValidationError, match="sudah diubah"):
        services.jawaban_kirim(jawaban=jawaban, by=operator_dinkes, versi=seen)


def test_the_inbox_does_not_mark_an_agency_with_an_extension_late(
    client, sekretariat, tahun, operator_dinkes, dinkes, soal_dinkes
):
    tahun.batas_waktu = timezone.now() - datetime.timedelta(hours=2)
    tahun.save()
    client.force_login(operator_dinkes)
    assert client.get(reverse("clusters:tugas")).context["items"][0]["terlambat"]
    services.perpanjangan_beri(
        tahun=tahun,
        opd=dinkes,
        sampai=timezone.now() + datetime.timedelta(days=1),
        alasan="Banjir",
        by=sekretariat,
    )
    assert not client.get(reverse("clusters:tugas")).context["items"][0]["terlambat"]


def test_moving_a_question_to_another_agency_is_in_the_answers_history(
    sekretariat, operator_dinkes, soal_dinkes, dinsos
):
    jawaban = services.jawaban_simpan(
        pertanyaan=soal_dinkes, by=operator_dinkes, versi=0, fraksi=Decimal(1)
    )
    services.penugasan_atur(
        pertanyaan_list=[soal_dinkes], utama=dinsos, pendukung=[], by=sekretariat
    )
    jawaban.refresh_from_db()
    assert jawaban.opd == dinsos
    assert jawaban.history.first().history_user == sekretariat


def test_the_history_shows_what_changed_in_the_answer(client, operator_dinsos, soal_dinsos):
    client.force_login(operator_dinsos)
    answer(client, soal_dinsos, versi=0, poin_langsung="4", catatan="awal")
    answer(client, soal_dinsos, versi=1, poin_langsung="6", catatan="awal")
    text = client.get(page(soal_dinsos)).content.decode()
    assert "poin: 6" in text
    assert "catatan: awal" in text


def test_reimporting_a_new_maximum_recomputes_own_points(
    admin_portal, operator_dinkes, soal_dinkes
):
    from clusters.services.persiapan import _hitung_ulang_poin

    services.jawaban_simpan(
        pertanyaan=soal_dinkes, by=operator_dinkes, versi=0, fraksi=Decimal("0.5")
    )
    soal_dinkes.nilai_max = Decimal(10)
    soal_dinkes.save()
    _hitung_ulang_poin(soal_dinkes, admin_portal)
    assert Jawaban.objects.get().poin_opd == Decimal(5)


def test_the_camat_sees_the_kecamatan_and_its_kelurahan_in_the_inbox(
    client, camat_serang, cipare, soal_kelurahan
):
    client.force_login(camat_serang)
    items = client.get(reverse("clusters:tugas")).context["items"]
    units = {item["unit"].kode for item in items}
    assert cipare.kode in units
    assert all(code.startswith("36.73.01.") for code in units)  # only Kecamatan Serang's kelurahan
    assert len(items) == len(units)  # one per-kelurahan question, one row per kelurahan


def test_sending_an_answer_already_sent_says_so(operator_dinsos, kepala_dinsos, soal_dinsos):
    jawaban = services.jawaban_simpan(
        pertanyaan=soal_dinsos, by=operator_dinsos, versi=0, poin_langsung=Decimal(4)
    )
    seen = jawaban.versi
    services.jawaban_kirim(jawaban=jawaban, by=operator_dinsos, versi=seen)
    with pytest.raises(ValidationError, match="sudah dikirim"):
        services.jawaban_kirim(jawaban=jawaban, by=operator_dinsos, versi=seen)


def test_the_question_page_says_when_the_deadline_has_passed(
    client, tahun, operator_dinsos, soal_dinsos
):
    services.jawaban_simpan(
        pertanyaan=soal_dinsos, by=operator_dinsos, versi=0, poin_langsung=Decimal(4)
    )
    tahun.batas_waktu = timezone.now() - datetime.timedelta(hours=1)
    tahun.save()
    client.force_login(operator_dinsos)
    text = client.get(page(soal_dinsos)).content.decode()
    assert "Batas waktu pengiriman sudah lewat" in text
    assert "Kirim ke kepala" not in text


def test_reassigning_tells_the_new_lead_agency(sekretariat, operator_dinsos, soal_dinkes, dinsos):
    services.penugasan_atur(
        pertanyaan_list=[soal_dinkes], utama=dinsos, pendukung=[], by=sekretariat
    )
    assert Notifikasi.objects.filter(
        penerima=operator_dinsos, judul__contains="kini menjadi tanggung jawab Dinsos"
    ).exists()
