"""The score dashboards: read the newest snapshot, never compute scores on a page view.

Every page: one query for the year, one for the snapshot, a few for names and deadlines,
whatever the number of answers. Every table downloads as XLSX with ``?unduh=<table name>``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agencies.decorators import perlu_izin
from agencies.models import Opd, Wilayah
from clusters import alur, dasbor, dasbor_unit, grafik, scoring, services
from clusters.models import (
    EvaluasiDaerah,
    Jawaban,
    Kelompok,
    Pertanyaan,
    SkorSnapshot,
    TahunEvaluasi,
)
from clusters.selectors import lingkup_skor
from kla_portal import bersyarat
from kla_portal.ekspor import unduhan_xlsx
from kla_portal.grafik import svg
from kla_portal.replika import baca_replika
from provinsi.selectors import keadaan_kota

HALAMAN = [
    ("skor:ringkasan", gettext_lazy("Ringkasan")),
    ("skor:kelengkapan", gettext_lazy("Kelengkapan")),
    ("skor:poin-hilang", gettext_lazy("Poin yang hilang")),
    ("skor:unit", gettext_lazy("Kecamatan/kelurahan")),
]


@perlu_izin("clusters.lihat_skor")
def terbaru(request):
    """The menu's entry: the newest year that is open, else the newest year."""
    record = TahunEvaluasi.objects.terkini()
    if record is None:
        messages.info(request, _("Belum ada tahun evaluasi."))
        return redirect("beranda")
    return redirect("skor:ringkasan", tahun=record.tahun)


@dataclass
class _Bacaan:
    """What a dashboard reads: the year, its newest snapshot, the years for the picker, and
    what the page reads besides (``tambahan``: trends, areas, deadlines)."""

    record: TahunEvaluasi
    snapshot: SkorSnapshot | None
    tahun_lain: list[int]
    tambahan: dict


def _baca(request, tahun: int, baca_tambahan) -> _Bacaan:
    """A dashboard's reads, once per request: its ETag and the page share them.
    ``baca_tambahan(record, snapshot)`` reads the page's own extras (with a snapshot only)."""
    if not hasattr(request, "_dasbor_skor"):
        record = get_object_or_404(TahunEvaluasi, tahun=tahun)
        snapshot = SkorSnapshot.objects.terbaru(record, daerah_id=request.user.daerah_id)
        request._dasbor_skor = _Bacaan(
            record,
            snapshot,
            list(TahunEvaluasi.objects.values_list("tahun", flat=True)),
            baca_tambahan(record, snapshot) if snapshot is not None else {},
        )
    return request._dasbor_skor


def _bersyarat(baca_tambahan):
    """A dashboard answered 304 while everything it shows is unchanged (kla_portal.bersyarat):
    the frame, the year's row (its "being recomputed" mark, its deadlines, open or not), the
    snapshot (a new one has a new id), the years and the page's extras. No ETag for a
    download."""

    def etag(request, tahun):
        frame = bersyarat.bingkai(request)
        if frame is None or "unduh" in request.GET:
            return None
        b = _baca(request, tahun, baca_tambahan)
        return bersyarat.etag(
            frame,
            [(f.attname, getattr(b.record, f.attname)) for f in b.record._meta.concrete_fields],
            (b.snapshot.pk, b.snapshot.perlu_dihitung_sejak) if b.snapshot else None,
            b.tahun_lain,
            b.tambahan,
        )

    return bersyarat.halaman_bersyarat(etag)


def _tanpa_tambahan(record, snapshot) -> dict:
    return {}


def _halaman(request, tahun: int, nama: str, template: str, bangun, baca_tambahan=_tanpa_tambahan):
    """Common frame of the four dashboards: the year, the snapshot, the tabs, the downloads.

    ``bangun(record, rincian, lingkup, tambahan)`` returns the page's context with its
    ``tabel`` list; ``tambahan`` is what ``baca_tambahan`` read.
    """
    bacaan = _baca(request, tahun, baca_tambahan)
    record, snapshot = bacaan.record, bacaan.snapshot
    lingkup = lingkup_skor(request.user)
    context = {
        "tahun": record,
        "snapshot": snapshot,
        "lingkup": lingkup,
        "halaman": [
            (reverse(url, args=[record.tahun]), label, url == nama) for url, label in HALAMAN
        ],
        "tahun_lain": bacaan.tahun_lain,
        # The durable mark, not the cache: true while a change waits for its recompute, also
        # when the broker is down (the page then shows the last figures with their time).
        "sedang_dihitung": _sedang_dihitung(request.user, record, snapshot),
        "aturan_batas": scoring.ATURAN_BATAS,
        "aturan_kategori": scoring.ATURAN_KATEGORI,
        "tabel": [],
    }
    if snapshot is not None:
        context.update(bangun(record, snapshot.rincian_skor, lingkup, bacaan.tambahan))
        unduh = request.GET.get("unduh")
        if unduh:
            tabel = next((t for t in context["tabel"] if t.nama == unduh), None)
            if tabel is None:
                raise Http404
            return unduhan_xlsx(
                f"{tabel.nama}-{record.tahun}", tabel.header(), tabel.isi(), judul=tabel.judul
            )
    return render(request, template, context)


def _sedang_dihitung(user, record, snapshot) -> bool:
    """The city's year waits for a recompute: read with the snapshot, or on its own when there
    is no snapshot yet."""
    if snapshot is not None:
        return snapshot.perlu_dihitung_sejak is not None
    return (
        EvaluasiDaerah.objects.perlu_dihitung()
        .filter(tahun=record, daerah_id=user.daerah_id)
        .exists()
    )


def _tren(record, snapshot) -> dict:
    """The summary's trends: each year's newest totals, and this year's last 30 days."""
    return {
        "tren": [
            {
                "waktu": str(s.tahun.tahun),
                "mandiri": s.total_mandiri,
                "berbukti": s.total_berbukti,
                "verifikasi": s.total_verifikasi,
                "sedang": s.sedang,
            }
            for s in SkorSnapshot.objects.terbaru_per_tahun(daerah_id=snapshot.daerah_id)
        ],
        "harian": [
            {
                "waktu": timezone.localtime(s.data_per).strftime("%d/%m"),
                "mandiri": s.total_mandiri,
                "berbukti": s.total_berbukti,
                "verifikasi": s.total_verifikasi,
            }
            for s in reversed(
                SkorSnapshot.objects.filter(tahun=record, daerah_id=snapshot.daerah_id)
                .defer("rincian")
                .order_by("-data_per")[:30]
            )
        ],
    }


def _ringkasan(record, snapshot) -> dict:
    """The summary's extras: the trends, the province's total and the city's year at the
    province."""
    return {
        **_tren(record, snapshot),
        "total_provinsi": snapshot.total_provinsi,
        "provinsi": keadaan_kota(record, snapshot.daerah_id),
    }


@perlu_izin("clusters.lihat_skor")
@baca_replika
@_bersyarat(_ringkasan)
def ringkasan(request, tahun):
    def bangun(record, rincian, lingkup, tambahan):
        isi = dasbor.ringkasan(rincian, tambahan["total_provinsi"])
        kelompok = dasbor.kelompok_lingkup(rincian, lingkup)
        tren, harian = tambahan["tren"], tambahan["harian"]
        return {
            **isi,
            "opd_saya": [] if lingkup.seluruh_kota else dasbor.opd_saya(rincian, lingkup),
            "grafik_kelompok": svg(grafik.kelompok_terhadap_maks(kelompok)) if kelompok else "",
            "grafik_tren": svg(grafik.tren(tren, isi["ambang"])) if len(tren) > 1 else "",
            "tren_sedang": [t["waktu"] for t in tren if t["sedang"]],
            "grafik_harian": svg(grafik.tren(harian, isi["ambang"])) if len(harian) > 1 else "",
            "tabel": [dasbor.tabel_kelompok(rincian, lingkup)],
            "muat_otomatis": True,  # a glanceable summary: its figures move by themselves
            "provinsi": tambahan["provinsi"],
        }

    return _halaman(
        request, tahun, "skor:ringkasan", "clusters/skor/ringkasan.html", bangun, _ringkasan
    )


def _lewat_batas(record, snapshot) -> dict:
    """The agencies whose sending is closed now (deadline passed, no extension)."""
    rincian = snapshot.rincian_skor
    return {"lewat": sorted(record.opd_lewat_batas({o.id for o in rincian.opd if o.id}))}


@perlu_izin("clusters.lihat_skor")
@baca_replika
@_bersyarat(_lewat_batas)
def kelengkapan(request, tahun):
    def bangun(record, rincian, lingkup, tambahan):
        kelompok_id = _angka_bulat(request.GET.get("kelompok"))
        lewat = set(tambahan["lewat"])

        def tautan(opd_id):
            query = {"opd": opd_id, **({"kelompok": kelompok_id} if kelompok_id else {})}
            return reverse("skor:daftar", args=[record.tahun]) + "?" + urlencode(query)

        return {
            "kelompok": rincian.kelompok,
            "kelompok_id": kelompok_id,
            "tabel": [
                dasbor.kelengkapan(
                    rincian, lingkup, lewat_batas=lewat, kelompok_id=kelompok_id, tautan=tautan
                ),
                dasbor.matriks_kelengkapan(rincian, lingkup),
            ],
        }

    return _halaman(
        request,
        tahun,
        "skor:kelengkapan",
        "clusters/skor/kelengkapan.html",
        bangun,
        _lewat_batas,
    )


def _angka_bulat(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@perlu_izin("clusters.lihat_skor")
@baca_replika
@_bersyarat(_tanpa_tambahan)
def poin_hilang(request, tahun):
    def bangun(record, rincian, lingkup, tambahan):
        daftar = reverse("skor:daftar", args=[record.tahun])
        per_opd, rows = dasbor.hilang_per_opd(
            rincian, lingkup, tautan=lambda opd_id: f"{daftar}?{urlencode({'opd': opd_id})}"
        )
        prioritas = dasbor.perbaiki_dulu(
            rincian,
            lingkup,
            tautan=lambda pk: reverse("clusters:pertanyaan-detail", args=[pk]),
        )
        if not record.dibuka:
            prioritas.baris = []
            prioritas.catatan = _(
                "%(t)s tidak dibuka untuk pengisian: tidak ada lagi yang dapat diperbaiki."
            ) % {"t": record}
        return {
            "grafik_opd": svg(grafik.poin_hilang(rows[:15], label=_("OPD"))) if rows else "",
            "grafik_opd_teratas": min(len(rows), 15),
            "grafik_opd_semua": len(rows),
            "tabel": [
                prioritas,
                per_opd,
                dasbor.hilang_per_indikator(rincian, lingkup, tautan=_ke_rad(request, record)),
            ],
        }

    return _halaman(request, tahun, "skor:poin-hilang", "clusters/skor/poin_hilang.html", bangun)


def _ke_rad(request, record: TahunEvaluasi):
    """Links from an indicator to the RAD actions that serve it, for people who read the RAD."""
    if not request.user.has_perm("rencana_aksi.lihat_rad"):
        return None
    base = reverse("rencana_aksi:indikator")
    return lambda kode: f"{base}?{urlencode({'kode': kode, 'tahun': record.tahun})}"


def _wilayah(record, snapshot) -> dict:
    """The kecamatan and kelurahan/desa of the snapshot's kab/kota."""
    kota = Wilayah.objects.get(pk=snapshot.daerah_id)
    semua = Wilayah.objects.di_dalam(kota)
    return {
        "kecamatan": list(semua.kecamatan().values("id", "kode", "nama")),
        "kelurahan": list(semua.desa_kelurahan().values("id", "kode", "nama", "induk_id")),
    }


@perlu_izin("clusters.lihat_skor")
@baca_replika
@_bersyarat(_wilayah)
def unit(request, tahun):
    def bangun(record, rincian, lingkup, tambahan):
        kecamatan, kelurahan = tambahan["kecamatan"], tambahan["kelurahan"]
        kode = request.GET.get("kecamatan")
        pilih = next((k for k in kecamatan if k["kode"] == kode), None)
        if pilih is None and kode is None and not lingkup.seluruh_kota:
            # A kecamatan or kelurahan operator opens on their own kecamatan's kelurahan.
            sendiri = {k["induk_id"] for k in kelurahan if k["id"] in lingkup.wilayah_ids}
            sendiri |= {k["id"] for k in kecamatan if k["id"] in lingkup.wilayah_ids}
            pilih = next((k for k in kecamatan if k["id"] in sendiri), None)
        return {
            "pilih": pilih,
            "soal_unit": dasbor_unit.soal_unit(rincian),
            "tabel": dasbor_unit.unit(
                rincian,
                kecamatan=kecamatan,
                kelurahan=kelurahan,
                lingkup=lingkup,
                pilih_kecamatan=pilih["id"] if pilih else None,
            ),
        }

    return _halaman(request, tahun, "skor:unit", "clusters/skor/unit.html", bangun, _wilayah)


@perlu_izin("clusters.lihat_skor")
def daftar(request, tahun):
    """The click-through of the dashboards: questions with their current state (live), for
    one agency, group or state; an agency sees only its own questions."""
    record = get_object_or_404(TahunEvaluasi, tahun=tahun)
    # The city-level answer's state and points only where the person may read that answer.
    jawaban = Jawaban.objects.visible_to(request.user).filter(
        pertanyaan=OuterRef("pk"), wilayah__isnull=True
    )
    soal = (
        Pertanyaan.objects.filter(tahun=record)
        .visible_to(request.user)
        .select_related("indikator__kelompok")
        .annotate(
            status=Subquery(jawaban.values("status")[:1]),
            poin=Subquery(jawaban.values("poin_opd")[:1]),
            opd_utama=Subquery(
                Opd.objects.filter(
                    penugasan__pertanyaan=OuterRef("pk"), penugasan__utama=True
                ).values("singkatan")[:1]
            ),
        )
    )
    opd_id = _angka_bulat(request.GET.get("opd"))
    kelompok_id = _angka_bulat(request.GET.get("kelompok"))
    status = request.GET.get("status")
    if opd_id:
        soal = soal.filter(penugasan__opd_id=opd_id, penugasan__utama=True)
    if kelompok_id:
        soal = soal.filter(indikator__kelompok_id=kelompok_id)
    if status == "belum":
        soal = soal.filter(status__isnull=True)
    elif status in alur.Status.values:
        soal = soal.filter(status=status)
    label = dict(alur.Status.choices)
    tabel = dasbor.Tabel(
        f"daftar-pertanyaan-{record.tahun}",
        _("Daftar pertanyaan"),
        [
            dasbor.Kolom(_("Pertanyaan")),
            dasbor.Kolom(_("OPD")),
            dasbor.Kolom(_("Status")),
            dasbor.Kolom(_("Poin mandiri"), "angka"),
            dasbor.Kolom(_("Maksimum"), "angka"),
        ],
    )
    for p in soal:
        tabel.tambah(
            f"{p.indikator.kode} · {p.kode}: {p.teks[:160]}",
            p.opd_utama or "",
            label.get(p.status, _("Belum dijawab")),
            p.poin,
            p.nilai_max,
            tautan=p.get_absolute_url(),
        )
    if request.GET.get("unduh"):
        return unduhan_xlsx(tabel.nama, tabel.header(), tabel.isi(), judul=tabel.judul)
    return render(
        request,
        "clusters/skor/daftar.html",
        {
            "tahun": record,
            "tabel": [tabel],
            "opd_terpilih": Opd.objects.filter(pk=opd_id).first() if opd_id else None,
            "kelompok": Kelompok.objects.filter(tahun=record),
            "kelompok_id": kelompok_id,
            "status": status,
            "status_pilihan": [("belum", _("Belum dijawab")), *alur.Status.choices],
            "opd_id": opd_id,
            "lingkup": lingkup_skor(request.user),
        },
    )


@perlu_izin("clusters.lihat_skor")
def status(request, tahun):
    """Polled by an open dashboard: 204 while it shows the newest snapshot. Otherwise the
    summary (``muat=1``) reloads itself, so its figures move without anyone pressing a key;
    the other pages get a notice with a reload button, so a reader does not lose their place."""
    record = get_object_or_404(TahunEvaluasi, tahun=tahun)
    newest = SkorSnapshot.objects.terbaru(record, daerah_id=request.user.daerah_id, hanya_pk=True)
    if newest is None or str(newest) == request.GET.get("sejak"):
        return HttpResponse(status=204)
    if request.GET.get("muat"):
        response = HttpResponse("")
        response["HX-Refresh"] = "true"
        return response
    return render(request, "clusters/skor/_data_baru.html")


@require_POST
@perlu_izin("clusters.kelola_evaluasi")
def hitung_ulang(request, tahun):
    record = get_object_or_404(TahunEvaluasi, tahun=tahun)
    if services.skor_hitung_segera(tahun_id=record.pk, daerah_id=request.user.daerah_id):
        messages.info(
            request,
            _("Hitung ulang skor %(t)s diantrekan; halaman diperbarui otomatis.") % {"t": record},
        )
    else:
        messages.warning(
            request,
            _(
                "Antrean pekerjaan sedang tidak tersedia; skor %(t)s akan dihitung ulang "
                "otomatis begitu antrean kembali berjalan."
            )
            % {"t": record},
        )
    return redirect("skor:ringkasan", tahun=record.tahun)
