"""The agency's report card (rapor OPD): a short PDF for its head, with the agency's questions
and their state, the points it can still gain and the progress of the RAD actions it leads.

Figures come from the newest score snapshot and rencana_aksi.pemantauan, in a fixed number of
queries whatever the number of questions and actions. A worker builds it (laporan.tasks) and
keeps it (laporan.models.RaporOpd) until ``kunci`` changes.
"""

from __future__ import annotations

import hashlib

from django.db.models import Case, Count, Max, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from agencies.models import Keanggotaan, Opd, Peran, Wilayah
from clusters import dasbor
from clusters.models import Penugasan, SkorSnapshot, TahunEvaluasi
from clusters.rincian import RincianSkor
from kla_portal.ekspor import Kolom, Tabel
from laporan import pdf
from laporan.kemajuan import Penataan
from rencana_aksi import pemantauan
from rencana_aksi.models import Aksi, PeriodeRad
from rencana_aksi.tabel import tabel_aksi


def nama_berkas(*, tahun: TahunEvaluasi, opd: Opd) -> str:
    return f"rapor-kla-{tahun.tahun}-{slugify(opd.singkatan)}-{timezone.localdate():%Y%m%d}.pdf"


def konteks(*, tahun: TahunEvaluasi, opd: Opd) -> dict:
    """What the report card says. Without a snapshot the score part says so."""
    snapshot = SkorSnapshot.objects.terbaru(tahun, daerah_id=opd.daerah_id)
    lingkup = dasbor.Lingkup(seluruh_kota=False, opd_ids=frozenset({opd.pk}))
    context = {"tahun": tahun, "opd": opd, "snapshot": snapshot, "tabel": [], "skor": None}
    if snapshot is not None:
        rincian = snapshot.rincian_skor
        skor = next((o for o in dasbor.opd_saya(rincian, lingkup)), None)
        context["skor"] = skor
        context["tabel"] = [
            dasbor.kelengkapan(
                rincian,
                lingkup,
                lewat_batas={opd.pk} if tahun.lewat_batas(opd=opd) else set(),
            ),
            dasbor.perbaiki_dulu(rincian, lingkup, n=15),
            dasbor.hilang_per_indikator(rincian, lingkup),
            _tabel_soal(rincian, opd),
        ]
    context["rad"] = _rad(opd)
    return context


def _tabel_soal(rincian: RincianSkor, opd: Opd) -> Tabel:
    tabel = Tabel(
        "pertanyaan-opd",
        _("Semua pertanyaan %(opd)s") % {"opd": opd.singkatan},
        [
            Kolom(_("Pertanyaan")),
            Kolom(_("Status")),
            Kolom(_("Mandiri"), "angka"),
            Kolom(_("Berbukti"), "angka"),
            Kolom(_("Terverifikasi"), "angka"),
            Kolom(_("Maksimum"), "angka"),
            Kolom(_("Data dukung")),
        ],
        catatan=_("Pertanyaan yang dipimpin OPD ini, dengan status dan poinnya saat ini."),
    )
    for p in rincian.pertanyaan:
        if p.opd_id != opd.pk:
            continue
        tabel.tambah(
            dasbor.judul_soal(rincian, p),
            rincian.label_status(p.status),
            p.mandiri,
            p.berbukti,
            p.verifikasi,
            p.max,
            _("kurang") if p.kurang_bukti else "",
            kelas="table-warning" if p.kurang_bukti else "",
        )
    return tabel


def periode_rad(daerah_id: int | None) -> PeriodeRad | None:
    """The plan whose progress a city's report cards show: the one in force this year."""
    return PeriodeRad.objects.filter(daerah_id=daerah_id).berlaku(timezone.localdate().year)


def opd_dengan_rapor(tahun: TahunEvaluasi, opd_qs, *, daerah_id: int | None):
    """The agencies of ``opd_qs`` that have a report card: they lead questions of the year or
    actions of the plan in force; each with how many, and how many heads can receive it
    (subqueries, so no join counts anything twice)."""
    periode = periode_rad(daerah_id)
    soal = (
        Penugasan.objects.filter(opd=OuterRef("pk"), utama=True, pertanyaan__tahun=tahun)
        .values("opd")
        .annotate(n=Count("pk"))
        .values("n")
    )
    aksi = (
        Aksi.objects.filter(opd_utama=OuterRef("pk"), periode=periode)
        .values("opd_utama")
        .annotate(n=Count("pk"))
        .values("n")
    )
    kepala = (
        Keanggotaan.objects.aktif()
        .filter(opd=OuterRef("pk"), peran=Peran.KEPALA_OPD, user__is_active=True)
        .values("opd")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        opd_qs.annotate(
            jumlah_soal=Coalesce(Subquery(soal), 0),
            jumlah_aksi=Coalesce(Subquery(aksi), 0),
            jumlah_kepala=Coalesce(Subquery(kepala), 0),
        )
        .filter(Q(jumlah_soal__gt=0) | Q(jumlah_aksi__gt=0))
        .order_by("singkatan", "pk")
    )


def _rad(opd: Opd) -> dict | None:
    """The actions the agency leads in the plan in force, with this year's figures."""
    periode = periode_rad(opd.daerah_id)
    if periode is None:
        return None
    hari_ini = timezone.localdate()
    tahun_rad = min(max(hari_ini.year, periode.tahun_mulai), periode.tahun_selesai)
    aksi = Aksi.objects.filter(periode=periode, opd_utama=opd).prefetch_related(
        "opd_pendukung", "indikator"
    )
    daftar = pemantauan.muat(aksi, tahun_rad, hari_ini)
    if not daftar:
        return None
    return {
        "periode": periode,
        "tahun": tahun_rad,
        "jumlah": pemantauan.total(daftar, opd.singkatan),
        "tabel": tabel_aksi(daftar, tahun_rad),
    }


def kunci(*, tahun: TahunEvaluasi, opd: Opd) -> str:
    """What the card shows, as a key that changes when any of it does (two queries): the
    day (the RAD's overdue reports and the printed date count from it), the year's newest
    snapshot (every score, question and status), whether sending is closed for the agency, its
    name, and its RAD actions in the plan in force with their quarterly reports (how many and
    their last change: a new, edited or deleted action or report changes it)."""
    hari_ini = timezone.localdate()
    # The plan in force (PeriodeRad.objects.berlaku, as periode_rad reads it) as a subquery,
    # so the key costs two queries.
    berlaku = (
        PeriodeRad.objects.filter(daerah_id=opd.daerah_id)
        .annotate(
            mencakup=Case(
                When(tahun_mulai__lte=hari_ini.year, tahun_selesai__gte=hari_ini.year, then=1),
                default=0,
            )
        )
        .order_by("-mencakup", "-tahun_mulai")
        .values("pk")[:1]
    )
    rad = Aksi.objects.filter(periode=Subquery(berlaku), opd_utama=opd).aggregate(
        periode=Max("periode_id"),
        aksi=Count("pk", distinct=True),
        aksi_diubah=Max("diubah"),
        laporan=Count("realisasi", distinct=True),
        laporan_diubah=Max("realisasi__diubah"),
    )
    bagian = [
        hari_ini.isoformat(),
        SkorSnapshot.objects.terbaru(tahun, daerah_id=opd.daerah_id, hanya_pk=True),
        tahun.lewat_batas(opd=opd),
        opd.nama,
        opd.singkatan,
        *(rad[k] for k in sorted(rad)),
    ]
    return hashlib.sha256("|".join(map(str, bagian)).encode()).hexdigest()


def pdf_bytes(*, tahun: TahunEvaluasi, opd: Opd, lapor: pdf.Lapor = pdf.diam) -> tuple[bytes, int]:
    """The report card as a PDF, in Indonesian, and its page count. ``lapor(persen, langkah)``
    hears each step (a worker's job shows them as a progress bar)."""
    kota = Wilayah.objects.get(pk=opd.daerah_id)
    with translation.override("id"):
        lapor(10, _("Membaca skor, pertanyaan dan aksi RAD %(opd)s …") % {"opd": opd.singkatan})
        context = konteks(tahun=tahun, opd=opd)
        sekarang = timezone.now()
        context.update(
            pdf.konteks_dasar(
                judul=_("Rapor KLA %(tahun)s %(opd)s") % {"tahun": tahun.tahun, "opd": opd.nama},
                penulis=_("Sekretariat Gugus Tugas KLA"),
                keterangan=_("Rapor OPD pada evaluasi Kabupaten/Kota Layak Anak."),
                kepala=f"{kota.nama if kota else ''} · {opd.singkatan}",
                kaki=_("Rapor OPD, dibuat %(tanggal)s dari Portal KLA")
                % {"tanggal": timezone.localtime(sekarang).strftime("%d-%m-%Y %H.%M")},
            ),
            dibuat=sekarang,
            kota=kota,
        )
        lapor(30, _("Menyusun isi rapor …"))
        html = render_to_string("laporan/pdf/rapor_opd.html", context)
        dokumen = pdf.susun(
            html,
            kemajuan=Penataan(
                lapor, dari=40, sampai=88, langkah=_("Menata halaman rapor …"), halaman=10
            ),
        )
        lapor(88, _("Menulis %(n)s halaman PDF …") % {"n": len(dokumen.pages)})
        return dokumen.write_pdf(), len(dokumen.pages)
