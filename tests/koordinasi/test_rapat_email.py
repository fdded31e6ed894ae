"""Meetings: the e-mails a worker sends after the save, and the reminders, each reading its
recipients in a fixed number of queries and reminding once."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from agencies.models import Notifikasi
from koordinasi import services
from koordinasi.models import Rapat, TindakLanjut
from tests.conftest import OpdFactory
from tests.koordinasi.conftest import data_rapat, jam

# --- E-mails from a worker, recipients read once ------------------------------------------


def test_invitations_are_mailed_by_a_worker_after_the_save(
    sekretariat, gugus_kota, dinkes, kepala_dinkes, email_rapat, django_capture_on_commit_callbacks
):
    kepala_dinkes.email = "kepala@dinkes.serangkota.go.id"
    kepala_dinkes.save()
    with django_capture_on_commit_callbacks() as callbacks:
        rapat = services.rapat_jadwalkan(
            gugus_tugas=gugus_kota, data=data_rapat(), opd=[dinkes], by=sekretariat
        )
        assert mail.outbox == [] and email_rapat == []  # nothing is sent inside the request
    for callback in callbacks:
        callback()
    assert email_rapat[0][0][0] == rapat.pk  # the task gets the meeting's id
    assert [m.to for m in mail.outbox] == [["kepala@dinkes.serangkota.go.id"]]


@pytest.mark.django_db(transaction=True)
def test_invitations_are_mailed_from_the_request_while_the_queue_is_down(
    sekretariat, gugus_kota, dinkes, kepala_dinkes, antrean_di_redis_sendiri, monkeypatch
):
    from koordinasi import tasks

    monkeypatch.delattr(tasks.kirim_email_rapat, "delay")  # the real one, to a stopped Redis
    antrean_di_redis_sendiri.hentikan()
    kepala_dinkes.email = "kepala@dinkes.serangkota.go.id"
    kepala_dinkes.save()
    rapat = services.rapat_jadwalkan(
        gugus_tugas=gugus_kota, data=data_rapat(), opd=[dinkes], by=sekretariat
    )
    assert Rapat.objects.filter(pk=rapat.pk).exists()
    assert [m.to for m in mail.outbox] == [["kepala@dinkes.serangkota.go.id"]]


def test_a_cancellation_mail_carries_method_cancel_and_a_one_line_subject(
    sekretariat, rapat_depan, kepala_dinkes, django_capture_on_commit_callbacks
):
    kepala_dinkes.email = "kepala@dinkes.serangkota.go.id"
    kepala_dinkes.save()
    with pytest.raises(ValidationError, match="paling panjang 255"):
        services.rapat_batalkan(rapat=rapat_depan, alasan="x" * 256, by=sekretariat)
    with django_capture_on_commit_callbacks(execute=True):
        services.rapat_batalkan(
            rapat=rapat_depan,
            alasan="Bentrok dengan\nkunjungan Wali Kota " + "x" * 200,
            by=sekretariat,
        )
    pesan = mail.outbox[-1]
    assert "\n" not in pesan.subject and len(pesan.subject) <= 255 + len("[Portal KLA] ")
    nama, isi, _jenis = pesan.attachments[0]
    assert nama == "pembatalan-rapat.ics"
    assert "METHOD:CANCEL" in isi and "STATUS:CANCELLED" in isi and "ORGANIZER" in isi


def test_a_mail_server_error_is_logged_and_the_others_still_go(
    sekretariat, rapat_depan, monkeypatch, caplog
):
    import smtplib

    from django.core.mail import EmailMessage

    asli = EmailMessage.send

    def send(self, *args, **kwargs):
        if self.to == ["ditolak@contoh.id"]:
            raise smtplib.SMTPRecipientsRefused({"ditolak@contoh.id": (550, b"no")})
        return asli(self, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", send)
    terkirim = services.rapat_email_kirim(
        rapat=rapat_depan, judul="Undangan", alamat=["ditolak@contoh.id", "ok@contoh.id"]
    )
    assert terkirim == 1 and [m.to for m in mail.outbox] == [["ok@contoh.id"]]
    assert "ditolak@contoh.id" in caplog.text


def test_scheduling_reads_the_recipients_in_a_fixed_number_of_queries(
    sekretariat, gugus_kota, make_person, django_assert_num_queries
):

    def lembaga(n, awal):
        daftar = []
        for i in range(n):
            opd = OpdFactory(singkatan=f"OPD{awal + i}")
            make_person(f"operator.{awal + i}", "operator_opd", opd=opd)
            daftar.append(opd)
        return daftar

    kecil, besar = lembaga(5, 0), lembaga(40, 100)
    # the service's savepoint; the duplicate check; the meeting and its history row in a
    # savepoint of their own (a double submit is refused by the database); the invitations
    # already there (agencies, people) and the new ones in one insert; then the recipients:
    # the invitations with their people, the kecamatan offices among the agencies, the heads
    # and operators of all of them; the notices in one insert; the release (14)
    with django_assert_num_queries(14) as small:
        services.rapat_jadwalkan(
            gugus_tugas=gugus_kota, data=data_rapat("Kecil"), opd=kecil, by=sekretariat
        )
    # the same queries for a meeting inviting 40 agencies instead of 5
    with django_assert_num_queries(len(small.captured_queries)):
        services.rapat_jadwalkan(
            gugus_tugas=gugus_kota, data=data_rapat("Besar"), opd=besar, by=sekretariat
        )
    assert Notifikasi.objects.filter(judul__contains="Besar").count() == 40


def test_reminders_read_who_acts_for_each_agency_once(
    sekretariat, gugus_kota, make_person, django_assert_num_queries
):

    def tindak_lanjut(n, awal):
        rapat = services.rapat_jadwalkan(
            gugus_tugas=gugus_kota,
            data=data_rapat(f"Rakor {awal}", hari=-1),
            opd=[OpdFactory(singkatan=f"U{awal}")],
            by=sekretariat,
            kabari=False,
        )
        for i in range(n):
            opd = OpdFactory(singkatan=f"TL{awal + i}")
            make_person(f"op.{awal + i}", "operator_opd", opd=opd)
            services.tindak_lanjut_tambah(
                rapat=rapat,
                keputusan=f"Keputusan {awal + i}",
                opd=opd,
                tenggat=timezone.localdate() + datetime.timedelta(days=3),
                by=sekretariat,
                kabari=False,
            )

    tindak_lanjut(2, 0)
    hari_ini = timezone.localdate()
    # the follow-ups due, the kecamatan offices among their agencies and who acts for all of
    # them (3); then per follow-up: the savepoint, its claim, its notices, the release (4)
    with django_assert_num_queries(3 + 2 * 4):
        assert services.tindak_lanjut_ingatkan(hari_ini=hari_ini) == 2
    TindakLanjut.objects.update(diingatkan=None)
    tindak_lanjut(10, 100)
    with django_assert_num_queries(3 + 12 * 4):  # the same per follow-up, still 3 to start
        assert services.tindak_lanjut_ingatkan(hari_ini=hari_ini) == 12


def test_meeting_reminders_cost_the_same_per_meeting(
    sekretariat, gugus_kota, dinkes, dinsos, operator_dinkes, django_assert_num_queries
):
    def rapat(n, awal):
        for i in range(n):
            services.rapat_jadwalkan(
                gugus_tugas=gugus_kota,
                data=data_rapat(f"Rakor {awal + i}", hari=1),
                opd=[dinkes, dinsos],
                by=sekretariat,
                kabari=False,
            )

    rapat(1, 0)
    sekarang = jam(1) - datetime.timedelta(hours=20)
    # the meetings starting within a day (1); per meeting: the savepoint, its claim, its
    # invitations, the kecamatan offices, who acts for the agencies, the notices, the release
    with django_assert_num_queries(1 + 7):
        assert services.rapat_ingatkan(sekarang=sekarang) == 1
    rapat(5, 10)
    # the 1 read, then the same 7 for each of the 5 meetings
    with django_assert_num_queries(1 + 5 * 7):
        assert services.rapat_ingatkan(sekarang=sekarang) == 5


def test_overlapping_reminder_runs_remind_each_meeting_and_follow_up_once(
    sekretariat, gugus_kota, dinkes, operator_dinkes, monkeypatch
):
    for judul in ("Rakor A", "Rakor B"):
        services.rapat_jadwalkan(
            gugus_tugas=gugus_kota,
            data=data_rapat(judul, hari=1),
            opd=[dinkes],
            by=sekretariat,
            kabari=False,
        )
    sekarang = jam(1) - datetime.timedelta(hours=20)
    asli = services._kabari_rapat
    bersarang = []

    def kabari(rapat, judul):
        asli(rapat, judul)
        if not bersarang:  # a second run starts while the first is telling its first meeting
            bersarang.append(None)
            bersarang[0] = services.rapat_ingatkan(sekarang=sekarang)

    monkeypatch.setattr(services, "_kabari_rapat", kabari)
    pertama = services.rapat_ingatkan(sekarang=sekarang)
    assert (pertama, bersarang) == (1, [1])
    judul = Notifikasi.objects.filter(penerima=operator_dinkes, judul__startswith="Pengingat")
    assert sorted(j.split(",")[0] for j in judul.values_list("judul", flat=True)) == [
        "Pengingat rapat: Rakor A",
        "Pengingat rapat: Rakor B",
    ]


def test_overlapping_follow_up_reminders_remind_once(
    tindak_dinkes, tindak_dinsos, operator_dinkes, operator_dinsos, monkeypatch
):
    from agencies import services as agencies_services

    hari = tindak_dinkes.tenggat - datetime.timedelta(days=3)
    asli = agencies_services.notifikasi_kirim
    bersarang = []

    def kirim(**kwargs):
        hasil = asli(**kwargs)
        if not bersarang:  # a second run starts while the first is telling its first agency
            bersarang.append(None)
            bersarang[0] = services.tindak_lanjut_ingatkan(hari_ini=hari)
        return hasil

    monkeypatch.setattr(agencies_services, "notifikasi_kirim", kirim)
    assert services.tindak_lanjut_ingatkan(hari_ini=hari) + bersarang[0] == 2
    for orang in (operator_dinkes, operator_dinsos):
        assert Notifikasi.objects.filter(penerima=orang, judul__contains="3 hari lagi").count() == 1
