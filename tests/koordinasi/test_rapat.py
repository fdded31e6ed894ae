"""Meetings: scheduling and invitations, refusals that change nothing, attendance, minutes,
decisions, the WhatsApp summary and the reminders."""

import datetime
from urllib.parse import unquote

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agencies.models import Notifikasi
from koordinasi import services
from koordinasi.models import Rapat, TindakLanjut, Undangan
from koordinasi.services import IsianKehadiran
from tests.conftest import OpdFactory, berkas
from tests.koordinasi.conftest import data_rapat


def form_rapat(**values):
    besok = timezone.localdate() + datetime.timedelta(days=3)
    return {
        "judul": "Rakor persiapan evaluasi KLA",
        "tanggal": besok.isoformat(),
        "jam_mulai": "09:00",
        "jam_selesai": "11:30",
        "tempat": "Aula DP3AP2KB",
        "tautan_daring": "",
        "agenda": "Kesiapan data dukung",
    } | values


def test_the_secretariat_schedules_a_meeting_and_invitees_hear_of_it(
    client,
    sekretariat,
    gugus_kota,
    dinkes,
    operator_dinkes,
    kepala_dinkes,
    anggota,
    dinsos,
    django_capture_on_commit_callbacks,
):
    kepala_dinkes.email = "kepala@dinkes.serangkota.go.id"
    kepala_dinkes.save()
    tamu = anggota("Yusuf Maulana", dinsos).personil
    tamu.email = "yusuf@pwi.example"
    tamu.save()
    client.force_login(sekretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("koordinasi:rapat-baru"), form_rapat(opd=[dinkes.pk], personil=[tamu.pk])
        )
    rapat = Rapat.objects.get()
    assert response["Location"] == rapat.get_absolute_url()
    assert timezone.localtime(rapat.mulai).hour == 9
    assert {(u.opd_id, u.personil_id) for u in rapat.undangan.all()} == {
        (dinkes.pk, None),
        (dinsos.pk, tamu.pk),
    }
    assert Notifikasi.objects.filter(penerima=operator_dinkes, judul__startswith="Undangan rapat")
    # E-mail to the head (an account) and to the guest (no account), each with the .ics.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "kepala@dinkes.serangkota.go.id",
        "yusuf@pwi.example",
    ]
    nama, isi, jenis = mail.outbox[0].attachments[0]
    assert (nama, jenis) == ("undangan-rapat.ics", "text/calendar")
    assert "BEGIN:VEVENT" in isi
    assert "Aula DP3AP2KB" in mail.outbox[0].body


def test_a_meeting_recorded_after_it_was_held_invites_nobody(
    client,
    sekretariat,
    gugus_kota,
    dinkes,
    operator_dinkes,
    kepala_dinkes,
    django_capture_on_commit_callbacks,
):
    kepala_dinkes.email = "kepala@dinkes.serangkota.go.id"
    kepala_dinkes.save()
    kemarin = timezone.localdate() - datetime.timedelta(days=1)
    client.force_login(sekretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("koordinasi:rapat-baru"),
            form_rapat(opd=[dinkes.pk], tanggal=kemarin.isoformat()),
            follow=True,
        )
    assert "Rapat yang sudah berlangsung dicatat; tidak ada undangan yang dikirim." in (
        response.content.decode()
    )
    assert Rapat.objects.get().undangan.get().opd == dinkes  # invited, for the attendance list
    assert not mail.outbox
    assert not Notifikasi.objects.filter(judul__startswith="Undangan rapat").exists()


@pytest.mark.parametrize(
    ("values", "pesan"),
    [
        ({"jam_selesai": "08:00"}, "Waktu selesai harus setelah waktu mulai"),
        ({"tempat": ""}, "Isi tempat rapat atau tautan rapat daring"),
        ({"opd": []}, "Undang sedikitnya satu"),
        ({"tanggal": "31-02-2025"}, "tanggal yang valid"),
        ({"tautan_daring": "zoom di grup WA"}, "URL dengan format yang benar"),
    ],
)
def test_a_wrong_meeting_is_refused_with_a_reason_and_nothing_is_saved(
    client, sekretariat, gugus_kota, dinkes, values, pesan
):
    client.force_login(sekretariat)
    response = client.post(reverse("koordinasi:rapat-baru"), form_rapat(opd=[dinkes.pk]) | values)
    assert response.status_code == 400
    assert pesan in response.content.decode()
    assert not Rapat.objects.exists()


def test_a_double_submit_schedules_one_meeting(client, sekretariat, gugus_kota, dinkes):
    client.force_login(sekretariat)
    client.post(reverse("koordinasi:rapat-baru"), form_rapat(opd=[dinkes.pk]))
    again = client.post(reverse("koordinasi:rapat-baru"), form_rapat(opd=[dinkes.pk]))
    assert again.status_code == 400 and "sudah ada di kalender" in again.content.decode()
    assert Rapat.objects.count() == 1


def test_a_stale_edit_is_refused_and_a_move_tells_everyone_again(
    client, sekretariat, admin_portal, rapat_depan, operator_dinkes
):
    client.force_login(sekretariat)
    url = reverse("koordinasi:rapat-ubah", args=[rapat_depan.pk])
    lama = client.get(url).context["form"].initial["versi"]
    services.rapat_ubah(
        rapat=rapat_depan,
        data=data_rapat("Rakor April (diundur)", hari=8),
        versi=lama,
        by=admin_portal,
    )
    sebelum = Notifikasi.objects.filter(penerima=operator_dinkes).count()
    response = client.post(url, form_rapat(judul="Rakor April", versi=lama))
    assert response.status_code == 400 and "sudah diubah oleh Admin" in response.content.decode()
    rapat_depan.refresh_from_db()
    assert rapat_depan.judul == "Rakor April (diundur)" and rapat_depan.urutan_ics == 1
    assert Notifikasi.objects.filter(penerima=operator_dinkes).count() == sebelum


def test_attendance_is_recorded_per_invitee_after_the_meeting_starts(
    client, sekretariat, rapat_lalu, rapat_depan, dinkes, dinsos
):
    client.force_login(sekretariat)
    u = {x.opd_id: x for x in rapat_lalu.undangan.all()}
    data = {
        "versi": rapat_lalu.versi,
        f"hadir_{u[dinkes.pk].pk}": "hadir",
        f"hadir_{u[dinsos.pk].pk}": "diwakili",
        f"wakil_{u[dinsos.pk].pk}": "Budi, Kasi Rehabilitasi",
    }
    response = client.post(reverse("koordinasi:kehadiran", args=[rapat_lalu.pk]), data)
    assert response.status_code == 302
    assert dict(rapat_lalu.undangan.values_list("opd_id", "kehadiran")) == {
        dinkes.pk: "hadir",
        dinsos.pk: "diwakili",
    }
    rapat_lalu.refresh_from_db()
    assert rapat_lalu.status == Rapat.Status.TERLAKSANA
    # The same form again (stale version) changes nothing.
    data[f"hadir_{u[dinkes.pk].pk}"] = "tidak_hadir"
    again = client.post(reverse("koordinasi:kehadiran", args=[rapat_lalu.pk]), data)
    assert again.status_code == 400 and "Tidak ada yang disimpan" in again.content.decode()
    assert Undangan.objects.get(pk=u[dinkes.pk].pk).kehadiran == "hadir"


def test_attendance_refusals(sekretariat, rapat_lalu, rapat_depan):
    u = rapat_lalu.undangan.first()
    with pytest.raises(ValidationError, match="nama wakil"):
        services.kehadiran_catat(
            rapat=rapat_lalu,
            isian={u.pk: IsianKehadiran("diwakili", "  ")},
            versi=rapat_lalu.versi,
            by=sekretariat,
        )
    with pytest.raises(ValidationError, match="setelah rapat dimulai"):
        services.kehadiran_catat(
            rapat=rapat_depan,
            isian={rapat_depan.undangan.first().pk: IsianKehadiran("hadir")},
            versi=rapat_depan.versi,
            by=sekretariat,
        )
    with pytest.raises(ValidationError, match="bukan milik rapat ini"):
        services.kehadiran_catat(
            rapat=rapat_lalu,
            isian={rapat_depan.undangan.first().pk: IsianKehadiran("hadir")},
            versi=rapat_lalu.versi,
            by=sekretariat,
        )
    assert not Undangan.objects.exclude(kehadiran="belum").exists()


def test_minutes_with_their_file_and_a_wrong_file_refused(
    client, sekretariat, operator_dinsos, operator_kasemen, rapat_lalu
):
    client.force_login(sekretariat)
    url = reverse("koordinasi:notulen", args=[rapat_lalu.pk])
    svg = berkas("notulen.pdf", b"<svg onload=alert(1)></svg>")
    refused = client.post(url, {"notulen": "x", "berkas": svg, "versi": rapat_lalu.versi})
    assert refused.status_code == 400 and "SVG/HTML dapat berisi skrip" in refused.content.decode()
    client.post(
        url,
        {"notulen": "Disepakati jemput bola akta.", "berkas": berkas(), "versi": rapat_lalu.versi},
    )
    rapat_lalu.refresh_from_db()
    assert rapat_lalu.notulen == "Disepakati jemput bola akta." and rapat_lalu.notulen_berkas
    unduh = reverse("koordinasi:notulen-unduh", args=[rapat_lalu.pk])
    client.force_login(operator_dinsos)  # invited
    response = client.get(unduh)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(operator_kasemen)  # not invited
    assert client.get(unduh).status_code == 404


def test_a_decision_becomes_a_follow_up_its_agency_hears_of(
    client, sekretariat, rapat_lalu, dinsos, operator_dinsos
):
    client.force_login(sekretariat)
    url = reverse("koordinasi:tindak-lanjut-tambah", args=[rapat_lalu.pk])
    kemarin_rapat = (timezone.localtime(rapat_lalu.mulai) - datetime.timedelta(days=1)).date()
    refused = client.post(url, {"keputusan": "x", "opd": dinsos.pk, "tenggat": kemarin_rapat})
    assert refused.status_code == 400 and "sebelum tanggal rapat" in refused.content.decode()
    tenggat = timezone.localdate() + datetime.timedelta(days=14)
    data = {"keputusan": "Perbarui data LKSA", "opd": dinsos.pk, "tenggat": tenggat}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 400  # a double submit
    tindak = TindakLanjut.objects.get()
    assert (tindak.opd, tindak.tenggat, tindak.status) == (dinsos, tenggat, "terbuka")
    assert Notifikasi.objects.filter(penerima=operator_dinsos, tautan=tindak.get_absolute_url())


def test_the_whatsapp_link_carries_the_meeting_summary(
    client, sekretariat, rapat_lalu, tindak_dinkes
):
    client.force_login(sekretariat)
    response = client.get(rapat_lalu.get_absolute_url())
    teks = unquote(response.context["whatsapp"].removeprefix("https://wa.me/?text="))
    assert "*Rakor Maret*" in teks and "Ruang Rapat Bappeda" in teks
    assert "Kirim data Puskesmas Ramah Anak (Dinkes" in teks
    assert rapat_lalu.get_absolute_url() in teks


def test_invitees_are_reminded_once_the_day_before(
    sekretariat, gugus_kota, dinkes, operator_dinkes
):
    rapat = services.rapat_jadwalkan(
        gugus_tugas=gugus_kota,
        data=data_rapat("Rakor besok", hari=1),
        opd=[dinkes],
        by=sekretariat,
        kabari=False,
    )
    sekarang = rapat.mulai - datetime.timedelta(hours=20)
    assert services.rapat_ingatkan(sekarang=sekarang) == 1
    assert services.rapat_ingatkan(sekarang=sekarang) == 0
    assert (
        Notifikasi.objects.filter(
            penerima=operator_dinkes, judul__startswith="Pengingat rapat"
        ).count()
        == 1
    )
    # Too early: more than a day ahead.
    assert services.rapat_ingatkan(sekarang=rapat.mulai - datetime.timedelta(hours=30)) == 0


def test_follow_ups_are_reminded_three_days_and_one_day_before_and_a_day_late(
    tindak_dinkes, operator_dinkes
):
    tenggat = tindak_dinkes.tenggat
    hari = {n: tenggat - datetime.timedelta(days=n) for n in (5, 3, 1, -1, -2)}
    assert services.tindak_lanjut_ingatkan(hari_ini=hari[5]) == 0
    assert services.tindak_lanjut_ingatkan(hari_ini=hari[3]) == 1
    assert services.tindak_lanjut_ingatkan(hari_ini=hari[3]) == 0  # once a day
    assert services.tindak_lanjut_ingatkan(hari_ini=hari[1]) == 1
    assert services.tindak_lanjut_ingatkan(hari_ini=hari[-1]) == 1
    assert services.tindak_lanjut_ingatkan(hari_ini=hari[-2]) == 0
    judul = list(
        Notifikasi.objects.filter(penerima=operator_dinkes, judul__contains="Tindak lanjut")
        .order_by("pk")
        .values_list("judul", flat=True)
    )
    assert len(judul) == 3
    assert "(3 hari lagi)" in judul[0] and "(1 hari lagi)" in judul[1]
    assert "lewat tenggat" in judul[2]


def test_the_beat_schedule_runs_the_reminders(settings):
    tugas = {v["task"] for v in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"koordinasi.tasks.ingatkan_rapat", "koordinasi.tasks.ingatkan_tindak_lanjut"} <= tugas


def test_the_meeting_page_is_for_those_invited(
    client, operator_dinkes, operator_dinsos, rapat_depan
):
    client.force_login(operator_dinkes)
    assert client.get(rapat_depan.get_absolute_url()).status_code == 200
    client.force_login(operator_dinsos)
    assert client.get(rapat_depan.get_absolute_url()).status_code == 404


def test_an_oversized_minutes_file_is_refused_with_its_size(
    client, settings, sekretariat, rapat_lalu
):
    settings.UPLOAD_MAX_MB = 1
    client.force_login(sekretariat)
    besar = berkas("notulen-scan.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10))
    response = client.post(
        reverse("koordinasi:notulen", args=[rapat_lalu.pk]),
        {"notulen": "Ringkas", "berkas": besar, "versi": rapat_lalu.versi},
    )
    assert response.status_code == 400
    assert (
        "terlalu besar" in response.content.decode()
        and "batasnya 1 MB" in response.content.decode()
    )
    rapat_lalu.refresh_from_db()
    assert rapat_lalu.notulen == "" and not rapat_lalu.notulen_berkas


# --- After the review: meetings that did not happen, held meetings, who is told -----------


def test_a_decision_cannot_be_recorded_before_the_meeting_begins(
    client, sekretariat, rapat_depan, dinkes
):
    with pytest.raises(ValidationError, match="setelah rapat dimulai"):
        services.tindak_lanjut_tambah(
            rapat=rapat_depan,
            keputusan="Kirim data",
            opd=dinkes,
            tenggat=timezone.localdate() + datetime.timedelta(days=30),
            by=sekretariat,
        )
    client.force_login(sekretariat)
    halaman = client.get(rapat_depan.get_absolute_url())
    assert "Catat keputusan sebagai tindak lanjut" not in halaman.content.decode()
    assert not TindakLanjut.objects.exists()


def test_a_meeting_with_follow_ups_cannot_be_cancelled(sekretariat, rapat_lalu, tindak_dinkes):
    with pytest.raises(ValidationError, match="sudah menghasilkan 1 tindak lanjut"):
        services.rapat_batalkan(rapat=rapat_lalu, alasan="Tidak jadi", by=sekretariat)
    rapat_lalu.refresh_from_db()
    assert rapat_lalu.status == Rapat.Status.DIJADWALKAN


def test_attendance_left_unrecorded_does_not_make_the_meeting_held(
    client, sekretariat, rapat_lalu, dinkes, dinsos
):
    u = {x.opd_id: x for x in rapat_lalu.undangan.all()}
    with pytest.raises(ValidationError, match="Belum dicatat: Dinkes, Dinsos"):
        services.kehadiran_catat(
            rapat=rapat_lalu,
            isian={
                u[dinkes.pk].pk: IsianKehadiran("belum"),
                u[dinsos.pk].pk: IsianKehadiran("belum"),
            },
            versi=rapat_lalu.versi,
            by=sekretariat,
        )
    client.force_login(sekretariat)
    response = client.post(
        reverse("koordinasi:kehadiran", args=[rapat_lalu.pk]),
        {
            "versi": rapat_lalu.versi,
            f"hadir_{u[dinkes.pk].pk}": "hadir",
            f"hadir_{u[dinsos.pk].pk}": "belum",
        },
    )
    assert response.status_code == 400 and "Belum dicatat: Dinsos" in response.content.decode()
    rapat_lalu.refresh_from_db()
    assert rapat_lalu.status == Rapat.Status.DIJADWALKAN
    assert not Undangan.objects.exclude(kehadiran="belum").exists()


def test_an_agency_taken_off_is_told_and_its_calendar_drops_the_meeting(
    sekretariat,
    rapat_depan,
    dinkes,
    dinsos,
    operator_dinkes,
    operator_dinsos,
    django_capture_on_commit_callbacks,
):
    operator_dinkes.email = "dinkes@serangkota.go.id"
    operator_dinkes.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.rapat_ubah(
            rapat=rapat_depan,
            data=data_rapat("Rakor April"),
            opd=[dinsos],
            personil=[],
            versi=rapat_depan.versi,
            by=sekretariat,
        )
    assert list(rapat_depan.undangan.values_list("opd_id", flat=True)) == [dinsos.pk]
    assert Notifikasi.objects.filter(
        penerima=operator_dinkes, judul__contains="tidak lagi mengundang"
    ).exists()
    assert Notifikasi.objects.filter(penerima=operator_dinsos, judul__startswith="Rapat diubah")
    batal = [m for m in mail.outbox if m.to == ["dinkes@serangkota.go.id"]]
    assert len(batal) == 1 and "METHOD:CANCEL" in batal[0].attachments[0][1]


def test_a_held_meeting_is_not_moved_nor_its_invitations_changed(
    sekretariat, rapat_lalu, dinkes, dinsos
):
    u = {x.opd_id: x for x in rapat_lalu.undangan.all()}
    services.kehadiran_catat(
        rapat=rapat_lalu,
        isian={
            u[dinkes.pk].pk: IsianKehadiran("hadir"),
            u[dinsos.pk].pk: IsianKehadiran("tidak_hadir"),
        },
        versi=rapat_lalu.versi,
        by=sekretariat,
    )
    rapat_lalu.refresh_from_db()
    with pytest.raises(ValidationError, match="waktu dan tempatnya tidak dapat diubah"):
        services.rapat_ubah(
            rapat=rapat_lalu,
            data=data_rapat("Rakor Maret", hari=-6),
            versi=rapat_lalu.versi,
            by=sekretariat,
        )
    with pytest.raises(ValidationError, match="daftar undangannya tidak dapat diubah"):
        services.rapat_ubah(
            rapat=rapat_lalu,
            data=data_rapat("Rakor Maret", hari=-7),
            opd=[dinkes, dinsos, OpdFactory(singkatan="Disdukcapil")],
            personil=[],
            versi=rapat_lalu.versi,
            by=sekretariat,
        )
    # A typo in the title of a held meeting may still be put right.
    services.rapat_ubah(
        rapat=rapat_lalu,
        data=data_rapat("Rakor Maret 2025", hari=-7),
        versi=rapat_lalu.versi,
        by=sekretariat,
    )
    rapat_lalu.refresh_from_db()
    assert rapat_lalu.judul == "Rakor Maret 2025" and rapat_lalu.undangan.count() == 2


# --- Double submits the database refuses too; addresses that make no sense ---------------


def test_the_database_refuses_the_same_meeting_twice(sekretariat, gugus_kota, dinkes, monkeypatch):
    from django.db import IntegrityError, transaction

    rapat = services.rapat_jadwalkan(
        gugus_tugas=gugus_kota, data=data_rapat(), opd=[dinkes], by=sekretariat, kabari=False
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Rapat.objects.create(
            gugus_tugas=gugus_kota,
            judul=rapat.judul,
            mulai=rapat.mulai,
            selesai=rapat.selesai,
            agenda="x",
        )
    # A second submit that passed the first check in the same instant gets the message.
    monkeypatch.setattr(services, "_pesan_ganda", lambda: "sudah ada (dari basis data)")
    from django.db.models import QuerySet

    monkeypatch.setattr(QuerySet, "exists", lambda self: False)
    with pytest.raises(ValidationError, match="dari basis data"):
        services.rapat_jadwalkan(
            gugus_tugas=gugus_kota, data=data_rapat(), opd=[dinkes], by=sekretariat, kabari=False
        )
    monkeypatch.undo()
    assert Rapat.objects.count() == 1
    # A cancelled meeting may be scheduled again at the same time.
    services.rapat_batalkan(rapat=rapat, alasan="Salah tanggal", by=sekretariat)
    services.rapat_jadwalkan(
        gugus_tugas=gugus_kota, data=data_rapat(), opd=[dinkes], by=sekretariat, kabari=False
    )


def test_the_database_refuses_the_same_decision_twice(rapat_lalu, dinkes, sekretariat, monkeypatch):
    from django.db import IntegrityError, transaction

    tenggat = timezone.localdate() + datetime.timedelta(days=7)
    services.tindak_lanjut_tambah(
        rapat=rapat_lalu, keputusan="Kirim data", opd=dinkes, tenggat=tenggat, by=sekretariat
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        TindakLanjut.objects.create(
            rapat=rapat_lalu, keputusan="Kirim data", opd=dinkes, tenggat=tenggat
        )
    from django.db.models import QuerySet

    monkeypatch.setattr(QuerySet, "exists", lambda self: False)
    with pytest.raises(ValidationError, match="sudah dicatat untuk Dinkes"):
        services.tindak_lanjut_tambah(
            rapat=rapat_lalu, keputusan="Kirim data", opd=dinkes, tenggat=tenggat, by=sekretariat
        )
    monkeypatch.undo()
    assert TindakLanjut.objects.count() == 1


@pytest.mark.parametrize("bulan", ["0001-01", "9999-12", "2025-13", "abc", "2025-1-1"])
def test_a_month_that_is_not_one_shows_this_month_with_a_message(client, sekretariat, bulan):
    client.force_login(sekretariat)
    response = client.get(reverse("koordinasi:kalender") + f"?bulan={bulan}")
    assert response.status_code == 200
    assert response.context["bulan"] == timezone.localdate().replace(day=1)
    assert "tidak dikenal" in response.content.decode()


@pytest.mark.parametrize("nilai", ["abc", "-1", "99999999999999999999999", "٣"])
def test_nonsense_ids_in_the_address_never_fail(
    client, sekretariat, operator_dinkes, gugus_kota, nilai
):
    client.force_login(sekretariat)
    assert client.get(reverse("koordinasi:rapat-baru") + f"?gugus={nilai}").status_code == 200
    assert client.get(reverse("koordinasi:tindak-lanjut") + f"?opd={nilai}").status_code == 200
    assert client.get(reverse("koordinasi:efektivitas") + f"?tahun={nilai}").status_code == 200
    client.force_login(operator_dinkes)
    assert client.post(reverse("koordinasi:langganan"), {"ganti": nilai}).status_code == 404


def test_minutes_whose_save_fails_leave_no_file_behind(
    settings, sekretariat, rapat_lalu, monkeypatch
):
    sebelum = {p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()}

    def gagal(*args, **kwargs):
        raise RuntimeError("basis data mati")

    monkeypatch.setattr(services, "_simpan", gagal)
    with pytest.raises(RuntimeError):
        services.notulen_simpan(
            rapat=rapat_lalu, notulen="x", berkas=berkas(), versi=rapat_lalu.versi, by=sekretariat
        )
    assert {p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()} == sebelum
