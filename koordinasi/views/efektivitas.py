"""The coordination effectiveness panel, the mayor's summary: which agencies show up, follow
through and have trained people, and whether the task force meets as often as it should."""

from __future__ import annotations

import datetime

from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agencies.decorators import perlu_izin
from agencies.models import GugusTugas, Opd
from clusters.models import SkorSnapshot, TahunEvaluasi
from kla_portal.ekspor import Kolom, Tabel
from kla_portal.grafik import svg
from koordinasi import efektivitas as ef
from koordinasi import grafik
from koordinasi.models import Rapat, TindakLanjut, Undangan
from koordinasi.views.gugus_tugas import anggota_dengan_terlatih, tabel_terlatih
from rencana_aksi import pemantauan
from rencana_aksi.models import Aksi, PeriodeRad


def _tahun(request, hari_ini: datetime.date) -> int:
    tahun = request.GET.get("tahun", "")
    return int(tahun) if tahun.isdigit() and 2000 <= int(tahun) <= hari_ini.year else hari_ini.year


def _pelaporan(tahun: int, hari_ini: datetime.date) -> list[ef.PelaporanOpd]:
    """Answers from the newest evaluation's snapshot, RAD reports of the plan's year."""
    evaluasi = TahunEvaluasi.objects.terkini()
    snapshot = SkorSnapshot.objects.terbaru(evaluasi) if evaluasi else None
    kelengkapan, nama, lewat = [], {}, set()
    if snapshot is not None:
        kelengkapan = snapshot.rincian["kelengkapan"]
        nama = {o["id"]: o["singkatan"] for o in snapshot.rincian["opd"] if o["id"]}
        lewat = {
            opd.pk
            for opd in Opd.objects.filter(pk__in=nama).prefetch_related("perpanjangan")
            if evaluasi.lewat_batas(opd=opd, perpanjangan=opd.perpanjangan.all())
        }
    periode = PeriodeRad.objects.filter(tahun_mulai__lte=tahun, tahun_selesai__gte=tahun).first()
    keadaan = (
        pemantauan.muat(Aksi.objects.filter(periode=periode), tahun, hari_ini) if periode else []
    )
    return ef.pelaporan_per_opd(
        kelengkapan=kelengkapan,
        nama_opd=nama,
        lewat_batas=lewat,
        keadaan_rad=keadaan,
        hari_ini=hari_ini,
    )


@perlu_izin("koordinasi.lihat_efektivitas")
def panel(request):
    hari_ini = timezone.localdate()
    tahun = _tahun(request, hari_ini)
    gugus = GugusTugas.objects.kota()
    rapat = list(
        Rapat.objects.filter(gugus_tugas=gugus, mulai__year=tahun)
        if gugus
        else Rapat.objects.none()
    )
    bulan = ef.rapat_per_bulan(rapat, tahun, gugus.target_rapat_per_bulan if gugus else 1, hari_ini)
    undangan = list(
        Undangan.objects.filter(
            rapat__in=[r.pk for r in rapat if r.status == "terlaksana"]
        ).select_related("opd")
    )
    hadir = ef.kehadiran_per_opd(undangan)
    tindak = ef.tindak_lanjut_per_opd(
        list(TindakLanjut.objects.filter(tenggat__year=tahun).select_related("opd")), hari_ini
    )
    anggota = list(anggota_dengan_terlatih(gugus)) if gugus else []
    lapor = _pelaporan(tahun, hari_ini)

    t_bulan = Tabel(
        "rapat-per-bulan",
        _("Rapat terlaksana per bulan"),
        [Kolom(_("Bulan")), Kolom(_("Terlaksana"), "jumlah"), Kolom(_("Target"), "jumlah")],
    )
    for b in bulan:
        t_bulan.tambah(
            _nama_bulan(b.bulan),
            b.terlaksana,
            b.target,
            kelas="table-warning" if b.terlaksana < b.target else "",
        )
    t_hadir = Tabel(
        "kehadiran-per-opd",
        _("Kehadiran per OPD/lembaga"),
        [
            Kolom(_("OPD/lembaga")),
            Kolom(_("Hadir sendiri"), "jumlah"),
            Kolom(_("Diwakili"), "jumlah"),
            Kolom(_("Wakil berbeda"), "jumlah"),
            Kolom(_("Tidak hadir"), "jumlah"),
            Kolom(_("Hadir sendiri"), "persen"),
            Kolom(_("Hadir (sendiri atau diwakili)"), "persen"),
        ],
        catatan=_(
            "Dari rapat yang kehadirannya sudah dicatat. Wakil berbeda: berapa orang berbeda yang "
            "dikirim sebagai wakil."
        ),
    )
    for b in hadir:
        t_hadir.tambah(
            b.opd,
            b.hadir,
            b.diwakili,
            b.wakil_berbeda,
            b.tidak_hadir,
            b.persen_hadir_sendiri,
            b.persen_hadir,
            kelas="table-warning" if (b.persen_hadir or 0) < 50 else "",
        )
    t_tindak = Tabel(
        "tindak-lanjut-per-opd",
        _("Tindak lanjut per OPD"),
        [
            Kolom(_("OPD")),
            Kolom(_("Jatuh tempo"), "jumlah"),
            Kolom(_("Selesai tepat waktu"), "jumlah"),
            Kolom(_("Selesai terlambat"), "jumlah"),
            Kolom(_("Lewat tenggat, belum selesai"), "jumlah"),
            Kolom(_("Belum jatuh tempo"), "jumlah"),
            Kolom(_("Tepat waktu"), "persen"),
        ],
        catatan=_(
            "Tindak lanjut bertenggat tahun ini; jatuh tempo: tenggatnya sudah lewat atau "
            "sudah selesai."
        ),
    )
    for b in tindak:
        t_tindak.tambah(
            b.opd,
            b.jatuh_tempo,
            b.tepat_waktu,
            b.terlambat_selesai,
            b.lewat_tenggat,
            b.belum_jatuh_tempo,
            b.persen_tepat_waktu,
            kelas="table-danger" if b.lewat_tenggat else "",
        )
    t_lapor = Tabel(
        "pelaporan-per-opd",
        _("Pelaporan tepat waktu per OPD"),
        [
            Kolom(_("OPD")),
            Kolom(_("Jawaban evaluasi"), "jumlah"),
            Kolom(_("Terkirim"), "persen"),
            Kolom(_("Jawaban terlambat"), "jumlah"),
            Kolom(_("Laporan RAD jatuh tempo"), "jumlah"),
            Kolom(_("Laporan RAD terlambat"), "jumlah"),
            Kolom(_("RAD tepat waktu"), "persen"),
        ],
        catatan=_(
            "Jawaban: tahun evaluasi terbaru, per skor terakhir; terlambat bila batas waktu OPD "
            "sudah lewat dan jawaban belum dikirim. Laporan RAD: triwulan yang sudah jatuh tempo "
            "tahun ini; terlambat bila belum dikirim."
        ),
    )
    for b in lapor:
        t_lapor.tambah(
            b.opd,
            b.jawaban,
            b.persen_jawaban_terkirim,
            b.jawaban_terlambat,
            b.laporan_rad,
            b.laporan_rad_terlambat,
            b.persen_rad_tepat,
            kelas="table-danger" if b.jawaban_terlambat or b.laporan_rad_terlambat else "",
        )

    # The mayor's summary: one row per agency, the four measures side by side.
    ringkas = Tabel(
        "ringkasan-per-opd",
        _("Ringkasan per OPD: hadir, menindaklanjuti, terlatih, melapor"),
        [
            Kolom(_("OPD/lembaga")),
            Kolom(_("Hadir sendiri"), "persen"),
            Kolom(_("Wakil berbeda"), "jumlah"),
            Kolom(_("Tindak lanjut tepat waktu"), "persen"),
            Kolom(_("Tindak lanjut lewat tenggat"), "jumlah"),
            Kolom(_("Anggota GT"), "jumlah"),
            Kolom(_("Terlatih KHA"), "jumlah"),
            Kolom(_("Jawaban terlambat"), "jumlah"),
            Kolom(_("Laporan RAD terlambat"), "jumlah"),
        ],
        catatan=_("Baris kuning: ada yang perlu ditegur atau dibantu."),
    )
    per_hadir = {b.opd: b for b in hadir}
    per_tindak = {b.opd: b for b in tindak}
    per_lapor = {b.opd: b for b in lapor}
    per_anggota: dict[str, list[int]] = {}
    for a in anggota:
        n = per_anggota.setdefault(a.personil.opd.singkatan, [0, 0])
        n[0] += 1
        n[1] += a.terlatih
    terlambat = {o for o, p in per_lapor.items() if p.jawaban_terlambat or p.laporan_rad_terlambat}
    semua_opd = set(per_hadir) | set(per_tindak) | set(per_anggota) | terlambat
    for opd in sorted(semua_opd, key=str.lower):
        h, t, p = per_hadir.get(opd), per_tindak.get(opd), per_lapor.get(opd)
        n = per_anggota.get(opd, [0, 0])
        perlu = (
            (h and (h.persen_hadir_sendiri or 0) < 50)
            or (t and t.lewat_tenggat)
            or (p and (p.jawaban_terlambat or p.laporan_rad_terlambat))
        )
        ringkas.tambah(
            opd,
            h.persen_hadir_sendiri if h else None,
            h.wakil_berbeda if h else None,
            t.persen_tepat_waktu if t else None,
            t.lewat_tenggat if t else None,
            n[0],
            n[1],
            p.jawaban_terlambat if p else None,
            p.laporan_rad_terlambat if p else None,
            kelas="table-warning" if perlu else "",
        )
    t_terlatih = tabel_terlatih(
        "terlatih-per-lembaga",
        _("Anggota Gugus Tugas terlatih KHA per lembaga"),
        _("Lembaga"),
        anggota,
        lambda a: a.personil.opd.singkatan,
    )
    tabel = [ringkas, t_bulan, t_hadir, t_tindak, t_lapor, t_terlatih]
    unduh = request.GET.get("unduh")
    if unduh:
        pilihan = next((t for t in tabel if t.nama == unduh), None)
        if pilihan is not None:
            return pilihan.unduhan(f"{pilihan.nama}-{tahun}")

    semua_hadir = ef.total(hadir, "kota")
    semua_tindak = ef.total(tindak, "kota")
    kartu = {
        "rapat": sum(b.terlaksana for b in bulan),
        "target": sum(b.target for b in bulan),
        "bulan_kurang": sum(1 for b in bulan if b.terlaksana < b.target),
        "hadir_sendiri": semua_hadir.persen_hadir_sendiri if semua_hadir else None,
        "tepat_waktu": semua_tindak.persen_tepat_waktu if semua_tindak else None,
        "lewat_tenggat": semua_tindak.lewat_tenggat if semua_tindak else 0,
        "anggota": len(anggota),
        "terlatih": sum(a.terlatih for a in anggota),
        "terlatih_persen": ef.persen(sum(a.terlatih for a in anggota), len(anggota)),
    }
    return render(
        request,
        "koordinasi/efektivitas.html",
        {
            "aktif": "efektivitas",
            "tahun": tahun,
            "tahun_pilihan": range(hari_ini.year, hari_ini.year - 5, -1),
            "gugus": gugus,
            "kartu": kartu,
            "tabel": tabel,
            "grafik_bulan": svg(grafik.rapat_per_bulan(bulan)) if bulan else "",
            "grafik_hadir": svg(grafik.kehadiran(hadir)) if hadir else "",
        },
    )


def _nama_bulan(bulan: datetime.date) -> str:
    return date_format(bulan, "F Y")
