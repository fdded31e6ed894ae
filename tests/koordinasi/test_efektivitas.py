"""The effectiveness figures against hand-computed fixtures, and the panel for the mayor."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from clusters.rincian import RincianKelengkapan
from koordinasi import efektivitas as ef
from koordinasi import services
from koordinasi.models import Rapat, TindakLanjut, Undangan
from koordinasi.services import IsianKehadiran
from tests.conftest import kota_uji
from tests.koordinasi.conftest import data_rapat

H, W, T = Undangan.Kehadiran.HADIR, Undangan.Kehadiran.DIWAKILI, Undangan.Kehadiran.TIDAK_HADIR


def rapat_dengan(gugus, sekretariat, opd, hari, kehadiran: dict):
    """A meeting ``hari`` days ago with the agencies' attendance: {opd: (status, deputy)}."""
    rapat = services.rapat_jadwalkan(
        gugus_tugas=gugus,
        data=data_rapat(f"Rakor {hari}", hari=-hari),
        opd=opd,
        by=sekretariat,
        kabari=False,
    )
    isian = {u.pk: IsianKehadiran(*kehadiran[u.opd_id]) for u in rapat.undangan.all()}
    return services.kehadiran_catat(rapat=rapat, isian=isian, versi=rapat.versi, by=sekretariat)


def test_attendance_by_agency_counts_heads_deputies_and_different_deputies(
    gugus_kota, sekretariat, dinkes, dinsos
):
    # Dinkes: head, head, deputy "Andi", absent → 2 in person of 4 (50%), 1 different deputy.
    # Dinsos: deputy "Budi", deputy "budi " (the same man), deputy "Citra", head → 25%, 2.
    pola = [
        ((H, ""), (W, "Budi")),
        ((H, ""), (W, "budi ")),
        ((W, "Andi"), (W, "Citra")),
        ((T, ""), (H, "")),
    ]
    for i, (kes, sos) in enumerate(pola):
        rapat_dengan(
            gugus_kota, sekretariat, [dinkes, dinsos], 10 + i, {dinkes.pk: kes, dinsos.pk: sos}
        )
    hasil = {b.opd: b for b in ef.kehadiran_per_opd(list(Undangan.objects.select_related("opd")))}
    kes, sos = hasil["Dinkes"], hasil["Dinsos"]
    assert (kes.hadir, kes.diwakili, kes.tidak_hadir, kes.wakil_berbeda) == (2, 1, 1, 1)
    assert (kes.persen_hadir_sendiri, kes.persen_hadir) == (Decimal("50.0"), Decimal("75.0"))
    assert (sos.hadir, sos.diwakili, sos.tidak_hadir, sos.wakil_berbeda) == (1, 3, 0, 2)
    assert (sos.persen_hadir_sendiri, sos.persen_hadir) == (Decimal("25.0"), Decimal("100.0"))
    kota = ef.total(list(hasil.values()), "kota")
    assert (kota.hadir, kota.dicatat, kota.persen_hadir_sendiri) == (3, 8, Decimal("37.5"))


def test_follow_ups_on_time_against_a_hand_count(rapat_lalu, dinkes, dinsos, sekretariat):
    hari_ini = timezone.localdate()
    rapat_hari = timezone.localtime(rapat_lalu.mulai).date()

    def tindak(opd, tenggat, selesai=None):
        t = services.tindak_lanjut_tambah(
            rapat=rapat_lalu,
            keputusan=f"K{TindakLanjut.objects.count()}",
            opd=opd,
            tenggat=tenggat,
            by=sekretariat,
            kabari=False,
        )
        if selesai:
            services.tindak_lanjut_perbarui(
                tindak_lanjut=t,
                status="selesai",
                hasil="ok",
                selesai_pada=selesai,
                versi=t.versi,
                by=sekretariat,
                kabari=False,
            )

    kemarin = hari_ini - datetime.timedelta(days=1)
    # Dinkes: done on time, done late, open past due, open not yet due → 1 of 3 due on time.
    tindak(
        dinkes,
        rapat_hari + datetime.timedelta(days=2),
        selesai=rapat_hari + datetime.timedelta(days=1),
    )
    tindak(dinkes, rapat_hari + datetime.timedelta(days=1), selesai=kemarin)
    tindak(dinkes, rapat_hari + datetime.timedelta(days=3))
    tindak(dinkes, hari_ini + datetime.timedelta(days=5))
    # Dinsos: done early although not yet due → due (done), on time: 1 of 1.
    tindak(dinsos, hari_ini + datetime.timedelta(days=9), selesai=kemarin)
    hasil = {
        b.opd: b
        for b in ef.tindak_lanjut_per_opd(
            list(TindakLanjut.objects.select_related("opd")), hari_ini
        )
    }
    kes = hasil["Dinkes"]
    assert (kes.jatuh_tempo, kes.tepat_waktu, kes.terlambat_selesai, kes.lewat_tenggat) == (
        3,
        1,
        1,
        1,
    )
    assert (kes.belum_jatuh_tempo, kes.persen_tepat_waktu) == (1, Decimal("33.3"))
    assert (hasil["Dinsos"].jatuh_tempo, hasil["Dinsos"].persen_tepat_waktu) == (
        1,
        Decimal("100.0"),
    )


def test_meetings_held_per_month_against_the_target():
    zona = timezone.get_current_timezone()

    def r(bulan, hari, status="terlaksana"):
        return Rapat(mulai=datetime.datetime(2025, bulan, hari, 9, tzinfo=zona), status=status)

    rapat = [r(1, 14), r(1, 28), r(3, 11), r(4, 8, "dibatalkan"), r(5, 13, "dijadwalkan")]
    bulan = ef.rapat_per_bulan(rapat, 2025, 1, datetime.date(2025, 5, 20))
    assert [(b.bulan.month, b.terlaksana, b.target) for b in bulan] == [
        (1, 2, 1),
        (2, 0, 1),
        (3, 1, 1),
        (4, 0, 1),
        (5, 0, 1),
    ]
    # 16.30 UTC on 31 January is 23.30 WIB: a January meeting, whatever the server's clock.
    malam = Rapat(
        mulai=datetime.datetime(2025, 1, 31, 16, 30, tzinfo=datetime.UTC), status="terlaksana"
    )
    assert ef.rapat_per_bulan([malam], 2025, 1, datetime.date(2025, 2, 1))[0].terlaksana == 1


def test_reporting_on_time_from_answers_and_rad():
    class Aksi:
        def __init__(self, opd_id, nama):
            self.opd_utama_id = opd_id
            self.opd_utama = type("Opd", (), {"singkatan": nama})()

    class Keadaan:
        def __init__(self, aksi, terlambat, dinilai=True, target=Decimal(10)):
            self.aksi, self.tahun, self.terlambat = aksi, 2025, terlambat
            self.dinilai, self.target = dinilai, target

    kes = Aksi(1, "Dinkes")
    keadaan = [Keadaan(kes, [2]), Keadaan(kes, []), Keadaan(kes, [1, 2], dinilai=False)]
    kelengkapan = [
        RincianKelengkapan(
            opd_id=1,
            kelompok_id=4,
            jumlah={"belum": 2, "draft": 1, "menunggu_kepala": 3, "terverifikasi": 4},
        ),
        RincianKelengkapan(
            opd_id=2, kelompok_id=4, jumlah={"dikembalikan": 1, "menunggu_verifikasi": 1}
        ),
    ]
    hasil = {
        b.opd: b
        for b in ef.pelaporan_per_opd(
            kelengkapan=kelengkapan,
            nama_opd={1: "Dinkes", 2: "Dinsos"},
            lewat_batas={1},
            keadaan_rad=keadaan,
            hari_ini=datetime.date(2025, 8, 1),  # TW I and TW II due
        )
    }
    d = hasil["Dinkes"]
    assert (d.jawaban, d.jawaban_terkirim, d.jawaban_terlambat) == (10, 7, 3)
    assert (d.laporan_rad, d.laporan_rad_terlambat, d.persen_rad_tepat) == (4, 1, Decimal("75.0"))
    s = hasil["Dinsos"]  # its deadline has not passed: nothing is late yet
    assert (s.jawaban, s.jawaban_terkirim, s.jawaban_terlambat) == (2, 1, 0)


def test_the_mayor_reads_the_panel_and_agencies_do_not(
    client, pimpinan, operator_dinkes, gugus_kota, sekretariat, dinkes, dinsos, anggota
):
    rapat_dengan(
        gugus_kota, sekretariat, [dinkes, dinsos], 3, {dinkes.pk: (H, ""), dinsos.pk: (T, "")}
    )
    anggota("Siti", dinkes, terlatih=True)
    client.force_login(pimpinan)
    assert client.get(reverse("koordinasi:beranda"))["Location"] == reverse(
        "koordinasi:efektivitas"
    )
    response = client.get(reverse("koordinasi:efektivitas"))
    ringkas = {r["sel"][0]: r for r in response.context["tabel"][0].baris}
    assert ringkas["Dinkes"]["sel"][1] == Decimal("100.0") and ringkas["Dinkes"]["sel"][6] == 1
    assert ringkas["Dinsos"]["sel"][1] == Decimal("0.0")
    assert ringkas["Dinsos"]["kelas"] == "table-warning"
    assert "<svg" in response.content.decode()
    xlsx = client.get(reverse("koordinasi:efektivitas") + "?unduh=kehadiran-per-opd")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    client.force_login(operator_dinkes)
    assert client.get(reverse("koordinasi:efektivitas")).status_code == 403


def test_this_month_is_not_short_of_its_target_before_it_ends():
    bulan = ef.rapat_per_bulan([], 2025, 1, datetime.date(2025, 3, 20))
    assert [(b.bulan.month, b.kurang) for b in bulan] == [(1, True), (2, True), (3, False)]
    # The card counts this month's target only as far as it is met: 0 held of 2 so far.
    assert sum(b.target_sejauh_ini for b in bulan) == 2


def test_the_panel_counts_only_the_city_task_force_follow_ups(
    client, pimpinan, gugus_kota, rapat_lalu, kasemen, sekretariat, dinkes, dinsos
):
    services.tindak_lanjut_tambah(
        rapat=rapat_lalu,
        keputusan="Kirim data Puskesmas",
        opd=dinkes,
        tenggat=timezone.localdate() - datetime.timedelta(days=1),
        by=sekretariat,
        kabari=False,
    )
    from agencies import services as agencies_services

    gt_kasemen = agencies_services.gugus_tugas_buat(wilayah=kasemen, by=sekretariat)
    rapat_kec = services.rapat_jadwalkan(
        gugus_tugas=gt_kasemen,
        data=data_rapat("Rakor Kecamatan Kasemen", hari=-3),
        opd=[dinsos],
        by=sekretariat,
        kabari=False,
    )
    services.tindak_lanjut_tambah(
        rapat=rapat_kec,
        keputusan="Data LKSA Kasemen",
        opd=dinsos,
        tenggat=timezone.localdate() - datetime.timedelta(days=1),
        by=sekretariat,
        kabari=False,
    )
    panel = ef.panel(
        tahun=timezone.localdate().year, hari_ini=timezone.localdate(), daerah_id=kota_uji().pk
    )
    tindak = {r["sel"][0]: r["sel"] for r in panel.tabel[3].baris}
    assert set(tindak) == {"Dinkes"}  # Dinsos's follow-up is the kecamatan task force's
    assert panel.kartu["lewat_tenggat"] == 1


def test_reporting_on_time_comes_from_the_chosen_year_snapshot_as_scored(
    soal_dinkes, soal_dinsos, operator_dinsos, kepala_dinsos, tahun
):
    from clusters import services as clusters_services
    from clusters.models import TahunEvaluasi

    # Dinas Sosial answers and sends its question; Dinas Kesehatan leaves its own unanswered.
    jawaban = clusters_services.jawaban_simpan(
        pertanyaan=soal_dinsos, by=operator_dinsos, versi=0, poin_langsung=Decimal(5)
    )
    clusters_services.jawaban_kirim(jawaban=jawaban, by=operator_dinsos)
    TahunEvaluasi.objects.filter(pk=tahun.pk).update(
        batas_waktu=timezone.now() - datetime.timedelta(days=1)
    )
    tahun.refresh_from_db()
    clusters_services.skor_hitung(tahun=tahun)
    # A newer round, open and scored, must not stand in for the 2024 one.
    baru = TahunEvaluasi.objects.create(tahun=2025, dibuka=True)
    clusters_services.skor_hitung(tahun=baru)

    hasil = {b.opd: b for b in ef.baca_pelaporan(2024, datetime.date(2024, 12, 1), kota_uji().pk)}
    kes, sos = hasil["Dinkes"], hasil["Dinsos"]
    assert (kes.jawaban, kes.jawaban_terkirim, kes.jawaban_terlambat) == (1, 0, 1)
    assert (sos.jawaban, sos.jawaban_terkirim, sos.jawaban_terlambat) == (1, 1, 0)
    assert sos.persen_jawaban_terkirim == Decimal("100.0")
