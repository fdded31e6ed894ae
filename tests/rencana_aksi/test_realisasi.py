"""Quarterly reports: the form, evidence, the workflow of operator, head and Bappeda, stale
pages and double clicks, Bappeda's queue and the agency's inbox."""

from decimal import Decimal as D

import pytest
from django.core import mail
from django.urls import reverse

from agencies.models import Notifikasi
from rencana_aksi import services
from rencana_aksi.models import LampiranRealisasi, Realisasi, batas_lapor
from tests.conftest import PNG, berkas
from tests.rencana_aksi.bantu import (
    LALU,
    LALU_DUA,
    SEKARANG,
    buat_aksi,
    geser,
    halaman,
    lapor,
    xlsx,
)


def isi(client, aksi, kuartal=LALU, versi=0, **data):
    values = {"versi": versi, "capaian": "40", "anggaran": "1.250.000,50", "narasi": ""}
    return client.post(halaman("realisasi", aksi.pk, *kuartal), values | data)


def langkah(client, nama, laporan, **data):
    laporan.refresh_from_db()
    return client.post(
        halaman(f"realisasi-{nama}", laporan.pk), {"versi": laporan.versi, **data}, follow=True
    )


def test_a_quarter_goes_from_operator_to_head_to_bappeda_and_back(
    client,
    aksi_dinkes,
    operator_dinkes,
    kepala_dinkes,
    bappeda,
    django_capture_on_commit_callbacks,
):
    kepala_dinkes.email = "kadinkes@example.go.id"
    kepala_dinkes.save()
    client.force_login(operator_dinkes)
    response = isi(
        client,
        aksi_dinkes,
        capaian="42,5",
        narasi="Pelatihan petugas di 4 puskesmas",
        berkas=[berkas("daftar-hadir.pdf"), berkas("foto.png", PNG)],
    )
    laporan = Realisasi.objects.get()
    assert response["Location"] == laporan.get_absolute_url()
    assert (laporan.status, laporan.capaian, laporan.anggaran) == (
        "draft",
        D("42.5"),
        D("1250000.50"),
    )
    assert laporan.lampiran.count() == 2 and laporan.diubah_oleh == operator_dinkes

    with django_capture_on_commit_callbacks(execute=True):
        sent = langkah(client, "kirim", laporan)
    assert "dikirim ke kepala OPD" in sent.content.decode()
    laporan.refresh_from_db()
    assert laporan.status == "menunggu_kepala" and laporan.dikirim is not None
    assert Notifikasi.objects.filter(
        penerima=kepala_dinkes, judul__startswith="Laporan RAD menunggu persetujuan Anda"
    ).exists()
    assert mail.outbox[0].to == ["kadinkes@example.go.id"]

    client.force_login(kepala_dinkes)
    page = client.get(laporan.get_absolute_url()).content.decode()
    assert "Persetujuan kepala OPD" in page and "Simpan draf" not in page
    langkah(client, "setujui", laporan)
    laporan.refresh_from_db()
    assert laporan.status == "menunggu_verifikasi"
    # Bappeda finds it in its review queue (no notice per report: hundreds a quarter).
    client.force_login(bappeda)
    assert str(laporan.aksi.kode) in client.get(reverse("rencana_aksi:tinjauan")).content.decode()

    # Bappeda returns it with a reason; without one, nothing happens.
    client.force_login(bappeda)
    empty = langkah(client, "kembalikan", laporan, alasan="")
    assert "Tuliskan alasannya" in empty.content.decode()
    langkah(client, "kembalikan", laporan, alasan="Lampirkan SPJ triwulan ini.")
    laporan.refresh_from_db()
    assert (laporan.status, laporan.alasan) == ("dikembalikan", "Lampirkan SPJ triwulan ini.")
    for person in (operator_dinkes, kepala_dinkes):
        assert Notifikasi.objects.filter(
            penerima=person, judul__contains="Lampirkan SPJ triwulan ini."
        ).exists()

    # The operator sees why, corrects and sends again; the head approves; Bappeda accepts.
    client.force_login(operator_dinkes)
    assert "Lampirkan SPJ triwulan ini." in client.get(laporan.get_absolute_url()).content.decode()
    laporan.refresh_from_db()
    isi(client, aksi_dinkes, versi=laporan.versi, capaian="45", berkas=berkas("spj.pdf"))
    langkah(client, "kirim", laporan)
    client.force_login(kepala_dinkes)
    langkah(client, "setujui", laporan)
    client.force_login(bappeda)
    accepted = langkah(client, "terima", laporan)
    assert "diterima Bappeda" in accepted.content.decode()
    laporan.refresh_from_db()
    assert (laporan.status, laporan.capaian) == ("terverifikasi", D(45))
    assert Notifikasi.objects.filter(
        penerima=operator_dinkes, judul__startswith="Laporan RAD diterima Bappeda"
    ).exists()

    # Accepted is locked: the operator can neither save nor attach evidence.
    client.force_login(operator_dinkes)
    locked = isi(client, aksi_dinkes, versi=laporan.versi, capaian="99")
    assert locked.status_code == 400 and "tidak dapat diubah" in locked.content.decode()
    laporan.refresh_from_db()
    assert laporan.capaian == D(45)
    history = [h.status for h in laporan.history.order_by("history_date", "history_id")]
    assert history[0] == "draft" and history[-1] == "terverifikasi"


def test_the_head_returns_a_report_to_the_operator_with_a_reason(
    client, aksi_dinkes, operator_dinkes, kepala_dinkes
):
    laporan = lapor(aksi_dinkes, LALU, operator_dinkes, kirim=True)
    client.force_login(kepala_dinkes)
    langkah(client, "tolak", laporan, alasan="Serapan belum sesuai SP2D.")
    laporan.refresh_from_db()
    assert (laporan.status, laporan.alasan) == ("dikembalikan", "Serapan belum sesuai SP2D.")
    assert Notifikasi.objects.filter(
        penerima=operator_dinkes, judul__contains="Serapan belum sesuai SP2D."
    ).exists()


def test_only_the_lead_agencys_operator_fills_in_and_only_its_head_approves(
    client,
    aksi_dinsos_didukung_dinkes,
    operator_dinkes,
    kepala_dinkes,
    operator_dinsos,
    kepala_dinsos,
    bappeda,
):
    aksi = aksi_dinsos_didukung_dinkes
    client.force_login(operator_dinkes)  # a supporting agency reads but does not report
    page = client.get(halaman("realisasi", aksi.pk, *LALU))
    assert page.status_code == 200 and "Simpan draf" not in page.content.decode()
    assert isi(client, aksi).status_code == 403
    laporan = lapor(aksi, LALU, operator_dinsos, kirim=True)
    client.force_login(kepala_dinkes)  # the head of another agency
    assert langkah(client, "setujui", laporan).status_code == 403
    client.force_login(bappeda)  # Bappeda reviews only what the head approved
    langkah(client, "terima", laporan)
    laporan.refresh_from_db()
    assert laporan.status == "menunggu_kepala"


def test_a_stale_form_changes_nothing_and_keeps_what_was_typed(
    client, aksi_dinkes, operator_dinkes, make_person, dinkes
):
    rekan = make_person("operator2.dinkes", "operator_opd", opd=dinkes, nama="Rudi Hartono")
    client.force_login(operator_dinkes)
    isi(client, aksi_dinkes, capaian="40")
    laporan = Realisasi.objects.get()
    services.realisasi_simpan(
        aksi=aksi_dinkes, tahun=LALU[0], triwulan=LALU[1], by=rekan, versi=1, capaian=D(41)
    )
    response = isi(client, aksi_dinkes, versi=1, capaian="55")
    page = response.content.decode()
    assert response.status_code == 400
    assert "sudah diubah oleh Rudi Hartono" in page and "Isian Anda masih ada" in page
    assert 'value="55"' in page and f'name="versi" value="{laporan.versi + 1}"' in page
    laporan.refresh_from_db()
    assert laporan.capaian == D(41)
    # Sending from the stale page is refused too; from a fresh one it goes.
    stale = client.post(halaman("realisasi-kirim", laporan.pk), {"versi": 1}, follow=True)
    assert "sudah diubah oleh Rudi Hartono" in stale.content.decode()
    laporan.refresh_from_db()
    assert laporan.status == "draft"


def test_a_double_click_sends_once_and_says_so(client, aksi_dinkes, operator_dinkes, kepala_dinkes):
    laporan = lapor(aksi_dinkes, LALU, operator_dinkes)
    client.force_login(operator_dinkes)
    versi = laporan.versi
    client.post(halaman("realisasi-kirim", laporan.pk), {"versi": versi})
    second = client.post(halaman("realisasi-kirim", laporan.pk), {"versi": versi}, follow=True)
    assert "sudah dikirim" in second.content.decode()
    laporan.refresh_from_db()
    assert (laporan.status, laporan.versi) == ("menunggu_kepala", versi + 1)
    assert laporan.history.filter(status="menunggu_kepala").count() == 1


def test_an_empty_report_cannot_be_sent(client, aksi_dinkes, operator_dinkes):
    client.force_login(operator_dinkes)
    isi(client, aksi_dinkes, capaian="", anggaran="", narasi="Belum ada kegiatan")
    laporan = Realisasi.objects.get()
    response = langkah(client, "kirim", laporan)
    assert "Isi capaian triwulan ini" in response.content.decode()
    laporan.refresh_from_db()
    assert laporan.status == "draft"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"capaian": "-5"}, "Tidak boleh negatif"),
        ({"anggaran": "-1.000"}, "Tidak boleh negatif"),
        ({"capaian": "empat puluh"}, "Tulis angka"),
        (
            {"berkas": berkas("skrip.svg", b"<svg onload='alert(1)'></svg>")},
            "berkas SVG/HTML dapat berisi skrip",
        ),
        ({"berkas": berkas("kosong.pdf", b"")}, "kosong"),
    ],
)
def test_wrong_figures_and_bad_files_are_refused_and_nothing_is_saved(
    client, aksi_dinkes, operator_dinkes, data, message
):
    client.force_login(operator_dinkes)
    response = isi(client, aksi_dinkes, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Realisasi.objects.exists() and not LampiranRealisasi.objects.exists()


def test_a_quarter_not_yet_begun_is_refused_and_one_outside_the_plan_does_not_exist(
    client, aksi_dinkes, operator_dinkes
):
    client.force_login(operator_dinkes)
    depan = geser(SEKARANG, 1)
    page = client.get(halaman("realisasi", aksi_dinkes.pk, *depan))
    assert "Triwulan ini belum dimulai" in page.content.decode()
    assert "Simpan draf" not in page.content.decode()
    response = isi(client, aksi_dinkes, kuartal=depan)
    assert response.status_code == 400 and "belum dimulai" in response.content.decode()
    assert not Realisasi.objects.exists()
    assert client.get(halaman("realisasi", aksi_dinkes.pk, 1990, 1)).status_code == 404
    assert client.get(halaman("realisasi", aksi_dinkes.pk, SEKARANG[0], 5)).status_code == 404


def test_the_current_quarter_can_be_reported_before_it_ends(client, aksi_dinkes, operator_dinkes):
    client.force_login(operator_dinkes)
    assert isi(client, aksi_dinkes, kuartal=SEKARANG).status_code == 302


def test_the_page_shows_the_due_date_and_lateness(
    client, aksi_dinkes, operator_dinkes, kepala_dinkes
):
    client.force_login(operator_dinkes)
    response = client.get(halaman("realisasi", aksi_dinkes.pk, *LALU_DUA))
    assert response.context["batas"] == batas_lapor(*LALU_DUA)
    assert response.context["terlambat"] is True
    assert "Terlambat: laporan ini seharusnya dikirim" in response.content.decode()
    lapor(aksi_dinkes, LALU_DUA, operator_dinkes, kirim=True)
    response = client.get(halaman("realisasi", aksi_dinkes.pk, *LALU_DUA))
    assert response.context["terlambat"] is False


# --- Evidence -----------------------------------------------------------------------------


def test_evidence_is_served_only_to_readers_and_detached_by_the_operator(
    client, aksi_dinkes, operator_dinkes, operator_dinsos, pimpinan, operator_kasemen
):
    laporan = lapor(aksi_dinkes, LALU, operator_dinkes)
    bukti = services.bukti_tambah(realisasi=laporan, berkas=berkas("sk.pdf"), by=operator_dinkes)
    url = reverse("rencana_aksi:lampiran-unduh", args=[bukti.pk])
    assert client.get(url).status_code == 302
    client.force_login(pimpinan)
    response = client.get(url)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    client.force_login(operator_kasemen)
    assert client.get(url).status_code == 403
    client.force_login(operator_dinsos)
    assert client.get(url).status_code == 404
    client.force_login(pimpinan)
    assert client.post(halaman("lampiran-lepas", bukti.pk)).status_code == 403
    client.force_login(operator_dinkes)
    client.post(halaman("lampiran-lepas", bukti.pk))
    bukti.refresh_from_db()
    assert bukti.dihapus is not None
    assert client.get(url).status_code == 200  # still in the history


# --- Bappeda's queue and the agency's inbox --------------------------------------------------


def test_bappeda_reviews_the_reports_heads_approved(
    client,
    aksi_dinkes,
    aksi_dinsos,
    operator_dinkes,
    operator_dinsos,
    kepala_dinkes,
    kepala_dinsos,
    bappeda,
):
    menunggu = lapor(aksi_dinkes, LALU, operator_dinkes, kirim=True)
    services.realisasi_setujui(realisasi=menunggu, by=kepala_dinkes)
    lapor(aksi_dinsos, LALU, operator_dinsos, kirim=True)  # still with its head
    client.force_login(bappeda)
    response = client.get(halaman("tinjauan"))
    rows = response.context["tabel"].baris
    assert [r["tautan"] for r in rows] == [menunggu.get_absolute_url()]
    assert rows[0]["sel"][1] == "Dinkes"
    assert (
        client.get(halaman("tinjauan", opd=aksi_dinsos.opd_utama_id)).context["tabel"].baris == []
    )
    sheet = xlsx(client.get(halaman("tinjauan", unduh="tinjauan")))
    assert sheet[1][0] == "K3.01 Puskesmas ramah anak"


def test_the_agency_inbox_lists_what_to_do_late_returned_and_waiting(
    client,
    aksi_dinkes,
    aksi_dinsos_didukung_dinkes,
    operator_dinkes,
    kepala_dinkes,
    periode,
    dinkes,
    sekretariat,
):
    dikembalikan = buat_aksi(periode, "K3.02", dinkes, sekretariat)
    menunggu = buat_aksi(periode, "K3.03", dinkes, sekretariat)
    r = lapor(dikembalikan, SEKARANG, operator_dinkes, kirim=True)
    services.realisasi_tolak(realisasi=r, by=kepala_dinkes, alasan="Lengkapi foto")
    lapor(menunggu, SEKARANG, operator_dinkes, kirim=True)
    client.force_login(operator_dinkes)
    response = client.get(halaman("laporan"))
    items = {
        (i["aksi"].kode, (i["tahun"], i["triwulan"])): i["kategori"]
        for i in response.context["items"]
    }
    # K3.01 reported nothing: the quarter before last is late, this quarter is to do.
    assert "terlambat" in items[("K3.01", LALU_DUA)]
    assert items[("K3.01", SEKARANG)] == {"perlu_diisi"}
    assert "dikembalikan" in items[("K3.02", SEKARANG)]
    assert items[("K3.03", SEKARANG)] == {"menunggu_kepala"}
    # A supporting agency does not report on Dinas Sosial's action.
    assert not any(kode == "K5.02" for kode, _k in items)
    tabs = {value: n for value, _label, n in response.context["tabs"]}
    assert tabs["dikembalikan"] == 1 and tabs["menunggu_kepala"] == 1
    only_late = client.get(halaman("laporan", kategori="terlambat")).context["items"]
    assert all("terlambat" in i["kategori"] for i in only_late)
    client.force_login(kepala_dinkes)
    page = client.get(halaman("laporan")).content.decode()
    assert "perlu persetujuan Anda" in page


def test_a_cancelled_action_takes_no_report(aksi_dinkes, operator_dinkes):
    from django.core.exceptions import ValidationError

    from rencana_aksi import services as rad

    aksi_dinkes.status = aksi_dinkes.Status.DIBATALKAN
    aksi_dinkes.save()
    with pytest.raises(ValidationError, match="tidak perlu dilaporkan"):
        rad.realisasi_simpan(
            aksi=aksi_dinkes, tahun=2025, triwulan=1, by=operator_dinkes, versi=0, capaian=D(1)
        )


def test_a_reason_over_several_long_lines_is_returned_and_told(
    aksi_dinkes, operator_dinkes, kepala_dinkes, django_capture_on_commit_callbacks
):
    from agencies.models import Notifikasi
    from rencana_aksi import services as rad

    laporan = rad.realisasi_simpan(
        aksi=aksi_dinkes, tahun=2025, triwulan=1, by=operator_dinkes, versi=0, capaian=D(1)
    )
    laporan = rad.realisasi_kirim(realisasi=laporan, by=operator_dinkes)
    alasan = "Lampirkan SPJ.\nData puskesmas belum lengkap.\n" + "Rinciannya: " + "x" * 400
    with django_capture_on_commit_callbacks(execute=True):
        rad.realisasi_tolak(realisasi=laporan, by=kepala_dinkes, alasan=alasan)
    laporan.refresh_from_db()
    assert laporan.status == "dikembalikan" and laporan.alasan == alasan.strip()
    told = Notifikasi.objects.get(penerima=operator_dinkes, judul__contains="Lampirkan SPJ.")
    assert len(told.judul) <= 255 and "\n" not in told.judul
