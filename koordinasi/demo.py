"""Demo coordination for Kota Serang: the city's task force (two decrees, members across
agencies, community, business, media and the Forum Anak's facilitator, some trained in KHA),
a kecamatan task force, a year of monthly meetings with uneven attendance, minutes, open and
closed follow-ups, and facilities in a realistic minority of kelurahan.

Written through the services (agencies.services, koordinasi.services), seeded. Meetings and
follow-ups are recorded without invitations, reminders or e-mails about them (the demo loads a
year in one go); the one notice it leaves is the one the studies ask for: the secretariat's
bell says that Dinas Sosial lost a KHA-trained member (the demo accounts have no e-mail
address, so nothing is mailed). A city whose task force exists is left as it is. People,
decree numbers and places are made up for practice.
"""

from __future__ import annotations

import datetime
import random

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from agencies import services as agencies_services
from agencies.gugus_tugas import SUB_TIM_BAKU
from agencies.models import (
    AnggotaGugusTugas,
    GugusTugas,
    JenisFasilitas,
    Opd,
    StatusFasilitas,
    User,
    Wilayah,
)
from clusters.demo import contoh_pdf
from koordinasi import services
from koordinasi.models import Rapat, TindakLanjut, Undangan
from koordinasi.services import DataRapat, IsianKehadiran

J, U = AnggotaGugusTugas.Jabatan, AnggotaGugusTugas.Unsur
SUB = SUB_TIM_BAKU  # the sub-teams every task force is formed with, in order
# (username or "", name, position in the body, body, seat, sub-team index or None, kind)
ANGGOTA = [
    ("pimpinan", "Hj. Sri Wahyuni", "Sekretaris Daerah", "Bagian Kesra", J.KETUA, None, U.PIMPINAN),
    ("", "Ir. Bambang Hermawan", "Kepala Bappeda", "Bappeda", J.WAKIL_KETUA, None, U.PIMPINAN),
    ("", "Dra. Yayah Rohayah", "Kepala DP3AP2KB", "DP3AP2KB", J.SEKRETARIS, 0, U.PIMPINAN),
    ("sekretariat", "Rina Marlina", "Kepala Bidang PHA", "DP3AP2KB", J.ANGGOTA, 0, U.TEKNIS),
    ("bappeda", "Agus Setiawan", "Kabid Pemerintahan", "Bappeda", J.ANGGOTA, 0, U.TEKNIS),
    ("", "Dedi Kurniawan", "Kepala Bagian Hukum", "Bagian Hukum", J.ANGGOTA, 0, U.PIMPINAN),
    ("", "Hj. Neneng Hasanah", "Ketua TP PKK", "TP PKK", J.ANGGOTA, 0, U.PIMPINAN),
    ("", "Rudi Hartono", "Ketua Forum CSR", "Forum CSR", J.ANGGOTA, 0, U.PIMPINAN),
    ("", "Yusuf Maulana", "Ketua PWI Kota Serang", "PWI", J.ANGGOTA, 1, U.PIMPINAN),
    ("", "H. Ahmad Syarif", "Kepala Disdukcapil", "Disdukcapil", J.KOORDINATOR, 1, U.PIMPINAN),
    ("", "Lilis Suryani", "Analis Kependudukan", "Disdukcapil", J.ANGGOTA, 1, U.TEKNIS),
    ("", "Wawan Setiadi", "Kepala Diskominfo", "Diskominfo", J.ANGGOTA, 1, U.PIMPINAN),
    ("", "Dian Purnamasari", "Pustakawan Ahli Muda", "Dispusip", J.ANGGOTA, 1, U.TEKNIS),
    ("", "Nurul Aini", "Pendamping Forum Anak", "Forum Anak", J.ANGGOTA, 1, U.TEKNIS),
    ("", "Drs. Ujang Sopandi", "Kepala Dinsos", "Dinsos", J.KOORDINATOR, 2, U.PIMPINAN),
    (
        "operator.dinsos",
        "Budi Santoso",
        "Analis Rehabilitasi Sosial",
        "Dinsos",
        J.ANGGOTA,
        2,
        U.TEKNIS,
    ),
    ("", "H. Mukhlis", "Kepala Seksi Bimas Islam", "Kemenag", J.ANGGOTA, 2, U.PIMPINAN),
    ("", "Tati Rohmawati", "Penyuluh KB", "DP3AP2KB", J.ANGGOTA, 2, U.TEKNIS),
    (
        "kepala.dinkes",
        "dr. Hendra Gunawan",
        "Kepala Dinas Kesehatan",
        "Dinkes",
        J.KOORDINATOR,
        3,
        U.PIMPINAN,
    ),
    (
        "operator.dinkes",
        "Siti Nurhaliza",
        "Pengelola Program Kesehatan Anak",
        "Dinkes",
        J.ANGGOTA,
        3,
        U.TEKNIS,
    ),
    ("", "Eka Saputra", "Kepala Seksi Kesehatan Lingkungan", "Dinkes", J.ANGGOTA, 3, U.TEKNIS),
    ("", "Ir. Hadi Prasetyo", "Kepala DLH", "DLH", J.ANGGOTA, 3, U.PIMPINAN),
    ("", "Komarudin", "Kepala Bidang Penegakan Perda", "Satpol PP", J.ANGGOTA, 3, U.PIMPINAN),
    ("", "Dr. Euis Komariah", "Kepala Dindikbud", "Dindikbud", J.KOORDINATOR, 4, U.PIMPINAN),
    ("", "Asep Hidayat", "Pengawas Sekolah", "Dindikbud", J.ANGGOTA, 4, U.TEKNIS),
    ("", "Rizki Ramadhan", "Kepala Bidang Pemuda", "Disporapar", J.ANGGOTA, 4, U.PIMPINAN),
    ("", "Iis Sumiati", "Kepala Dispusip", "Dispusip", J.ANGGOTA, 4, U.PIMPINAN),
    ("", "AKP Dwi Handayani", "Kanit PPA Polresta", "Polresta", J.KOORDINATOR, 5, U.PIMPINAN),
    ("", "Fitri Andriani", "Konselor UPTD PPA", "DP3AP2KB", J.ANGGOTA, 5, U.TEKNIS),
    ("", "Hendri Saputra", "Jaksa Fungsional", "Kejari", J.ANGGOTA, 5, U.TEKNIS),
    ("", "Maya Lestari", "Penyuluh Narkoba", "BNNK", J.ANGGOTA, 5, U.TEKNIS),
    ("", "Joko Susilo", "Kepala Bidang Pengawasan", "Disnaker", J.ANGGOTA, 5, U.PIMPINAN),
]
# Members trained in KHA (index in ANGGOTA): a realistic minority, mostly technical staff.
TERLATIH = {2, 3, 4, 10, 13, 15, 17, 19, 24, 28}
# Who comes to meetings: the share of meetings the invited official attends in person, the
# share they send a deputy to (one of a few different names), else absent.
POLA = {
    "DP3AP2KB": (0.9, 0.1),
    "Bappeda": (0.5, 0.4),
    "Dinkes": (0.6, 0.35),
    "Dinsos": (0.4, 0.4),
    "Dindikbud": (0.2, 0.6),
    "Disdukcapil": (0.5, 0.3),
    "Kemenag": (0.2, 0.4),
    "Polresta": (0.3, 0.3),
    "DPUPR": (0.0, 0.4),
    "Forum Anak": (0.7, 0.0),
    "TP PKK": (0.6, 0.2),
    "Diskominfo": (0.2, 0.3),
}
WAKIL = ["Staf Bidang", "Kepala Seksi", "Sekretaris Dinas", "Analis", "Kepala Subbagian Umum"]
KEPUTUSAN = [
    ("Dinkes", "Menyampaikan data Puskesmas Ramah Anak yang sudah diasesmen"),
    ("Disdukcapil", "Jemput bola akta kelahiran di kelurahan dengan cakupan di bawah 90%"),
    ("Dindikbud", "Mengirim daftar Sekolah Ramah Anak yang sudah ber-SK"),
    ("Dinsos", "Memperbarui data LKSA dan anak terlantar"),
    ("DPUPR", "Menyiapkan rencana RBRA di dua kelurahan"),
    ("Kemenag", "Sosialisasi pencegahan perkawinan anak di KUA"),
    ("Diskominfo", "Memuat berita KLA di kanal resmi Pemkot"),
    ("Bappeda", "Menandai sub-kegiatan ramah anak dalam Renja 2026"),
    ("DP3AP2KB", "Mengajukan pelatihan KHA bagi anggota Gugus Tugas yang belum terlatih"),
    ("Polresta", "Menyampaikan data ABH yang diselesaikan dengan diversi"),
]
# Facilities in a realistic minority of units: the share of kelurahan (and of kecamatan) that
# have each kind, and the state they reach.
SEBARAN = {
    "forum_anak": (0.3, 0.67),
    "patbm": (0.09, 0),
    "gugus_tugas": (0.04, 0.34),
    "ruang_bermain": (0.15, 0.5),
    "puskesmas": (0, 0.67),
    "sekolah": (0.25, 0.67),
    "puspaga": (0.06, 0.17),
    "ila": (0.18, 0.5),
    "rumah_ibadah": (0.1, 0.34),
    "ktr": (0.12, 0.5),
    "paud_hi": (0.35, 0),
    "kelompok_anak": (0.2, 0.5),
    "regulasi": (0.07, 0),
    "anggaran": (0.1, 0),
}


def seed(*, stdout=None) -> GugusTugas | None:
    kota = Wilayah.objects.kabkota_dilayani()
    if kota is None or GugusTugas.objects.filter(wilayah=kota).exists():
        return GugusTugas.objects.filter(wilayah=kota).first()
    admin = User.objects.get(username="admin")
    sekretariat = User.objects.get(username="sekretariat")
    rng = random.Random(2024)
    with transaction.atomic():
        gugus = _gugus_tugas(kota, admin, rng)
        rapat, tindak = _rapat(gugus, sekretariat, rng)
        fasilitas = _fasilitas(kota, admin, rng)
    if stdout:
        stdout.write(
            f"{gugus}: {gugus.anggota.aktif().count()} anggota, {rapat} rapat, {tindak} tindak "
            f"lanjut, {fasilitas} catatan fasilitas wilayah."
        )
    return gugus


def _gugus_tugas(kota: Wilayah, admin: User, rng: random.Random) -> GugusTugas:
    gugus = agencies_services.gugus_tugas_buat(wilayah=kota, by=admin)
    hari_ini = timezone.localdate()
    lama = agencies_services.sk_gugus_tugas_tambah(
        gugus_tugas=gugus,
        nomor="463/Kep.85-Huk/2022",
        tanggal=datetime.date(2022, 2, 14),
        berlaku_mulai=datetime.date(2022, 2, 14),
        by=admin,
    )
    mulai = hari_ini.replace(year=hari_ini.year - 1, month=1, day=8)
    sk = agencies_services.sk_gugus_tugas_tambah(
        gugus_tugas=gugus,
        nomor=f"463/Kep.112-Huk/{mulai.year}",
        tanggal=mulai,
        berlaku_mulai=mulai,
        berkas=ContentFile(
            contoh_pdf(f"Keputusan Wali Kota Serang tentang Gugus Tugas KLA {mulai.year}"),
            name=f"SK Gugus Tugas KLA {mulai.year}.pdf",
        ),
        by=admin,
    )
    opd = {o.singkatan: o for o in Opd.objects.filter(daerah=gugus.daerah_id)}
    sub = {s.nama: s for s in gugus.sub_tim.all()}
    users = {u.username: u for u in User.objects.filter(is_demo=True)}
    for i, (username, nama, jabatan, lembaga, kursi, sub_i, unsur) in enumerate(ANGGOTA):
        user = users.get(username)
        orang = agencies_services.personil_simpan(
            nama=nama,
            jabatan=jabatan,
            opd=opd[lembaga],
            user=user,
            by=admin,
        )
        agencies_services.anggota_tambah(
            gugus_tugas=gugus,
            personil=orang,
            jabatan=kursi,
            sub_tim=sub[SUB[sub_i]] if sub_i is not None else None,
            unsur=unsur,
            sk=sk,
            mulai=mulai,
            by=admin,
        )
        if i in TERLATIH:
            agencies_services.pelatihan_catat(
                personil=orang,
                tanggal=mulai - datetime.timedelta(days=rng.randint(30, 700)),
                penyelenggara=rng.choice(
                    ["KemenPPPA", "DP3AKKB Provinsi Banten", "DP3AP2KB Kota Serang"]
                ),
                sertifikat=ContentFile(
                    contoh_pdf(f"Sertifikat Pelatihan KHA - {nama}"), name=f"sertifikat-{i}.pdf"
                ),
                by=admin,
            )
    # A trained member rotated out last month: the seat ends and the secretariat is told.
    pergi = agencies_services.personil_simpan(
        nama="Ratna Dewi", jabatan="Analis Perlindungan Anak", opd=opd["Dinsos"], by=admin
    )
    agencies_services.pelatihan_catat(
        personil=pergi,
        tanggal=datetime.date(2023, 5, 17),
        penyelenggara="KemenPPPA",
        by=admin,
    )
    kursi = agencies_services.anggota_tambah(
        gugus_tugas=gugus,
        personil=pergi,
        unsur=U.TEKNIS,
        sub_tim=sub[SUB[5]],
        sk=lama,
        mulai=lama.berlaku_mulai,
        by=admin,
    )
    agencies_services.anggota_akhiri(
        anggota=kursi,
        alasan="Mutasi ke Kecamatan Walantaka",
        selesai=hari_ini - datetime.timedelta(days=20),
        by=admin,
    )
    # Kecamatan Serang formed its own task force.
    kecamatan = Wilayah.objects.get(kode="36.73.01")
    gt_kec = agencies_services.gugus_tugas_buat(wilayah=kecamatan, by=admin)
    agencies_services.sk_gugus_tugas_tambah(
        gugus_tugas=gt_kec,
        nomor=f"400/12/Kec.Srg/{mulai.year}",
        tanggal=mulai + datetime.timedelta(days=60),
        berlaku_mulai=mulai + datetime.timedelta(days=60),
        by=admin,
    )
    camat = agencies_services.personil_simpan(
        nama="Drs. Asep Saepudin",
        jabatan="Camat Serang",
        opd=opd["Kec. Serang"],
        user=users.get("camat.serang"),
        by=admin,
    )
    agencies_services.anggota_tambah(
        gugus_tugas=gt_kec, personil=camat, jabatan=J.KETUA, unsur=U.PIMPINAN, by=admin
    )
    return gugus


def _hari_rapat(bulan: datetime.date) -> datetime.date:
    """The second Tuesday of the month, the task force's usual day."""
    hari = bulan.replace(day=1)
    selasa = hari + datetime.timedelta(days=(1 - hari.weekday()) % 7)
    return selasa + datetime.timedelta(days=7)


def _rapat(gugus: GugusTugas, sekretariat: User, rng: random.Random) -> tuple[int, int]:
    opd = {o.singkatan: o for o in Opd.objects.filter(daerah=gugus.daerah_id)}
    undang = [opd[s] for s in POLA]
    zona = timezone.get_current_timezone()
    sekarang = timezone.now()
    hari_ini = timezone.localdate()
    jumlah_rapat = jumlah_tindak = 0
    bulan = hari_ini.replace(day=1)
    daftar_bulan = []
    for _i in range(12):
        daftar_bulan.insert(0, bulan)
        bulan = (bulan - datetime.timedelta(days=1)).replace(day=1)
    bulan_depan = (hari_ini.replace(day=28) + datetime.timedelta(days=7)).replace(day=1)
    daftar_bulan.append(bulan_depan)
    for nomor, bulan in enumerate(daftar_bulan, start=1):
        if nomor in (4, 9):  # two months the task force did not meet (the studies' pattern)
            continue
        tanggal = _hari_rapat(bulan)
        mulai = datetime.datetime.combine(tanggal, datetime.time(9), tzinfo=zona)
        rapat = services.rapat_jadwalkan(
            gugus_tugas=gugus,
            data=DataRapat(
                judul=f"Rapat Koordinasi Gugus Tugas KLA {bulan:%m/%Y}",
                mulai=mulai,
                selesai=mulai + datetime.timedelta(hours=2, minutes=30),
                tempat="Ruang Rapat Bappeda, Jl. Jend. Sudirman No. 5, Serang",
                tautan_daring="https://meet.google.com/kla-srg-rkr" if nomor % 3 == 0 else "",
                agenda=(
                    "1. Tindak lanjut rapat sebelumnya\n2. Kemajuan jawaban evaluasi KLA dan "
                    "data dukung\n3. Laporan triwulan RAD KLA\n4. Lain-lain"
                ),
            ),
            opd=undang,
            by=sekretariat,
            kabari=False,
        )
        jumlah_rapat += 1
        if nomor == 7:
            services.rapat_batalkan(
                rapat=rapat, alasan="Bertepatan dengan kunjungan kerja Wali Kota", by=sekretariat
            )
            continue
        if rapat.selesai > sekarang:
            continue
        _hadir(rapat, sekretariat, rng)
        services.notulen_simpan(
            rapat=rapat,
            notulen=(
                "Rapat dibuka oleh Sekretaris Gugus Tugas. Peserta membahas kemajuan jawaban "
                "evaluasi dan data dukung yang belum lengkap; OPD diminta melengkapi sebelum "
                "tenggat. Keputusan dicatat sebagai tindak lanjut di portal."
            ),
            versi=Rapat.objects.get(pk=rapat.pk).versi,
            by=sekretariat,
        )
        jumlah_tindak += _tindak_lanjut(rapat, opd, sekretariat, rng)
        terakhir = rapat
    # The last meeting gives Dinas Kesehatan an open follow-up, for the README's walk-through.
    services.tindak_lanjut_tambah(
        rapat=terakhir,
        keputusan="Melaporkan Puskesmas yang sudah melayani konseling remaja ramah anak",
        opd=opd["Dinkes"],
        tenggat=hari_ini + datetime.timedelta(days=10),
        by=sekretariat,
        kabari=False,
    )
    return jumlah_rapat, jumlah_tindak + 1


def _hadir(rapat: Rapat, sekretariat: User, rng: random.Random) -> None:
    isian = {}
    for u in rapat.undangan.select_related("opd"):
        sendiri, wakil = POLA[u.opd.singkatan]
        r = rng.random()
        if r < sendiri:
            isian[u.pk] = IsianKehadiran(Undangan.Kehadiran.HADIR)
        elif r < sendiri + wakil:
            nama = rng.choice(WAKIL)
            isian[u.pk] = IsianKehadiran(Undangan.Kehadiran.DIWAKILI, f"{nama} {u.opd.singkatan}")
        else:
            isian[u.pk] = IsianKehadiran(Undangan.Kehadiran.TIDAK_HADIR)
    services.kehadiran_catat(rapat=rapat, isian=isian, versi=rapat.versi, by=sekretariat)


def _tindak_lanjut(rapat: Rapat, opd: dict, sekretariat: User, rng: random.Random) -> int:
    hari_ini = timezone.localdate()
    tanggal = rapat.mulai_lokal.date()
    n = 0
    for singkatan, keputusan in rng.sample(KEPUTUSAN, rng.randint(1, 3)):
        tenggat = tanggal + datetime.timedelta(days=rng.choice([14, 21, 30]))
        tindak = services.tindak_lanjut_tambah(
            rapat=rapat,
            keputusan=keputusan,
            opd=opd[singkatan],
            tenggat=tenggat,
            by=sekretariat,
            kabari=False,
        )
        n += 1
        r = rng.random()
        if tenggat >= hari_ini and r < 0.6:
            continue  # not due yet, still open
        if r < 0.15:
            continue  # overdue and open: the follow-up nobody did
        terlambat = r < 0.4
        selesai = tenggat + datetime.timedelta(days=rng.randint(3, 20) if terlambat else -3)
        selesai = min(max(selesai, tanggal), hari_ini)
        services.tindak_lanjut_perbarui(
            tindak_lanjut=tindak,
            status=TindakLanjut.Status.SELESAI,
            hasil=f"Sudah dilaksanakan; laporan disampaikan ke Sekretariat ({singkatan}).",
            selesai_pada=selesai,
            versi=tindak.versi,
            by=sekretariat,
            kabari=False,
        )
    return n


def _fasilitas(kota: Wilayah, admin: User, rng: random.Random) -> int:
    units = Wilayah.objects.di_dalam(kota)
    kecamatan = list(units.kecamatan())
    kelurahan = list(units.desa_kelurahan())
    n = 0
    for jenis in JenisFasilitas.objects.all():
        kel, kec = SEBARAN.get(jenis.kode, (0, 0))
        pilihan = []
        if jenis.untuk_kelurahan:
            pilihan += rng.sample(kelurahan, round(kel * len(kelurahan)))
        if jenis.untuk_kecamatan:
            pilihan += rng.sample(kecamatan, round(kec * len(kecamatan)))
        # Kelurahan Cipare (the demo lurah's) keeps a few, so its page shows the register.
        if jenis.kode in ("forum_anak", "patbm", "paud_hi"):
            cipare = next(k for k in kelurahan if k.kode == "36.73.01.1002")
            if cipare not in pilihan:
                pilihan.append(cipare)
        for unit in pilihan:
            status = rng.choice(
                [StatusFasilitas.DIBENTUK, StatusFasilitas.DITETAPKAN, StatusFasilitas.DITETAPKAN]
                + [StatusFasilitas.TERSTANDAR] * (jenis.kode in ("puskesmas", "sekolah"))
            )
            status = max(status, jenis.status_minimal)
            agencies_services.fasilitas_simpan(
                wilayah=unit,
                jenis=jenis,
                status=status,
                nomor_sk=f"400/{rng.randint(10, 99)}/{unit.nama[:6]}/2024"
                if status >= StatusFasilitas.DITETAPKAN
                else "",
                tanggal_sk=datetime.date(2024, rng.randint(1, 12), rng.randint(1, 28))
                if status >= StatusFasilitas.DITETAPKAN
                else None,
                versi=0,
                by=admin,
            )
            n += 1
    return n
