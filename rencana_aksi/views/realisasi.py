"""Quarterly reports: the report page with its form, evidence and workflow buttons, the
evidence downloads, Bappeda's review queue and the agency's inbox of reports.

The workflow is the answers' (clusters.alur): the lead agency's operator saves and sends, its
head approves or returns with a reason, Bappeda accepts or returns with a reason. A form built
from an older version, or a step pressed twice, changes nothing and says why.
"""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agencies.decorators import perlu_izin
from agencies.models import Opd, Peran
from clusters import alur
from clusters.forms import AlasanForm
from clusters.views import alur as alur_views
from kla_portal import berkas as berkas_check
from kla_portal.ekspor import Kolom, Tabel
from kla_portal.forms import tambah_galat, tambah_galat_kedaluwarsa
from rencana_aksi import pemantauan, services
from rencana_aksi.forms import RealisasiForm, rapi
from rencana_aksi.models import (
    Aksi,
    LampiranRealisasi,
    Realisasi,
    TargetTahunan,
    batas_lapor,
)
from rencana_aksi.tabel import ROMAWI
from rencana_aksi.views.aksi import periode_berjalan, triwulan_berjalan

BELUM = "belum"


def _aksi(request, pk: int) -> Aksi:
    """The action, or 404 when the person may not see it (ids in addresses reveal nothing)."""
    return get_object_or_404(
        Aksi.objects.visible_to(request.user).select_related("periode", "opd_utama"), pk=pk
    )


def _laporan(aksi: Aksi, tahun: int, triwulan: int) -> Realisasi:
    if tahun not in aksi.periode.tahun_list or triwulan not in ROMAWI:
        raise Http404
    realisasi = (
        Realisasi.objects.select_related("diubah_oleh")
        .filter(aksi=aksi, tahun=tahun, triwulan=triwulan)
        .first()
    )
    return realisasi or Realisasi(aksi=aksi, tahun=tahun, triwulan=triwulan, versi=0)


def _awal(realisasi: Realisasi) -> dict:
    return {
        "capaian": rapi(realisasi.capaian),
        "anggaran": rapi(realisasi.anggaran),
        "narasi": realisasi.narasi,
        "versi": realisasi.versi,
    }


def _ingatkan_berkas(request, form) -> None:
    # Without the page script a reloaded form cannot keep chosen files; with it, it does.
    if request.FILES and request.headers.get("X-Requested-With") != "XMLHttpRequest":
        form.add_error(None, _("Berkas yang tadi dipilih belum tersimpan: pilih lagi berkasnya."))


@perlu_izin("rencana_aksi.lihat_rad")
def realisasi(request, pk, tahun, triwulan):
    """One quarter of one action: read it, and for the lead agency's operator, fill it in."""
    aksi = _aksi(request, pk)
    laporan = _laporan(aksi, tahun, triwulan)
    boleh_isi = request.user.has_perm("rencana_aksi.lapor_realisasi", aksi)
    form = RealisasiForm(
        request.POST or None, request.FILES or None, initial=_awal(laporan), satuan=aksi.satuan
    )
    if request.method == "POST":
        if not boleh_isi:
            raise PermissionDenied
        if form.is_valid():
            try:
                laporan = services.realisasi_simpan(
                    aksi=aksi,
                    tahun=tahun,
                    triwulan=triwulan,
                    by=request.user,
                    versi=form.cleaned_data["versi"],
                    berkas=form.cleaned_data.get("berkas", []),
                    **form.nilai(),
                )
            except services.RealisasiKedaluwarsa as error:
                # Unless the newer version was sent on: the form is not shown any more.
                masih_diisi = _laporan(aksi, tahun, triwulan).bisa_diubah
                tambah_galat_kedaluwarsa(form, error, masih_diisi=masih_diisi)
                _ingatkan_berkas(request, form)
            except ValidationError as error:
                tambah_galat(form, error)
                _ingatkan_berkas(request, form)
            else:
                messages.success(request, _("Laporan disimpan sebagai draf."))
                return redirect(laporan)
        laporan = _laporan(aksi, tahun, triwulan)  # as it is now, after the refusal
    context = _konteks(request, aksi, laporan, boleh_isi)
    context["form"] = form
    return render(
        request, "rencana_aksi/realisasi.html", context, status=400 if form.errors else 200
    )


RIWAYAT_ISI = [
    ("capaian", "bilangan"),
    ("anggaran", "rupiah"),
    ("narasi", "teks"),
]


def _perubahan(riwayat: list) -> dict:
    """For each history record, what it changed (newest first; compared in memory). A record
    that changed neither figures nor state is a change of evidence."""
    hasil = {}
    for i, baru in enumerate(riwayat):
        lama = riwayat[i + 1] if i + 1 < len(riwayat) else None
        isi = []
        for name, jenis in RIWAYAT_ISI:
            value = getattr(baru, name)
            if (lama is None and value in (None, "")) or (
                lama is not None and getattr(lama, name) == value
            ):
                continue
            isi.append((capfirst(Realisasi._meta.get_field(name).verbose_name), value, jenis))
        sama = lama is not None and lama.status == baru.status
        bukti = not isi and sama
        alasan = baru.alasan if (lama is None or lama.alasan != baru.alasan) else ""
        hasil[baru.history_id] = {"isi": isi, "bukti": bukti, "alasan": alasan}
    return hasil


def _konteks(request, aksi: Aksi, laporan: Realisasi, boleh_isi: bool) -> dict:
    user = request.user
    hari_ini = timezone.localdate()
    tahun, triwulan = laporan.tahun, laporan.triwulan
    sekarang = triwulan_berjalan(hari_ini)
    laporan_tahun = [
        *Realisasi.objects.filter(aksi=aksi, tahun=tahun).exclude(triwulan=triwulan),
        *([laporan] if laporan.pk else []),
    ]
    target = TargetTahunan.objects.filter(aksi=aksi, tahun=tahun).first()
    keadaan = pemantauan.keadaan(aksi, tahun, target, laporan_tahun, hari_ini)
    lampiran, riwayat = [], []
    if laporan.pk:
        lampiran = list(laporan.lampiran.select_related("diunggah_oleh"))
        riwayat = list(
            laporan.history.select_related("history_user").order_by("-history_date", "-history_id")[
                :50
            ]
        )
    dimulai = (tahun, triwulan) <= sekarang
    langkah = [
        (t, tw)
        for t in aksi.periode.tahun_list
        for tw in ROMAWI
        if (t, tw) <= sekarang or (t, tw) == (tahun, triwulan)
    ]
    posisi = langkah.index((tahun, triwulan)) if (tahun, triwulan) in langkah else None
    boleh_setujui = laporan.status == alur.Status.MENUNGGU_KEPALA and user.has_perm(
        "rencana_aksi.setujui_realisasi", aksi
    )

    def penyetuju():
        return services.penyetuju(laporan)

    return {
        "aksi": aksi,
        "periode": aksi.periode,
        "laporan": laporan,
        "tahun": tahun,
        "triwulan": triwulan,
        "romawi": ROMAWI[triwulan],
        "keadaan": keadaan,
        "target": target,
        "batas": batas_lapor(tahun, triwulan),
        "terlambat": triwulan in keadaan.terlambat,
        "dimulai": dimulai,
        "lampiran_aktif": [b for b in lampiran if not b.dihapus],
        "lampiran_lama": [b for b in lampiran if b.dihapus],
        "riwayat": riwayat,
        "perubahan": _perubahan(riwayat),
        "boleh_isi": boleh_isi and laporan.bisa_diubah and dimulai,
        "boleh_kirim": boleh_isi and laporan.pk and laporan.bisa_diubah,
        # Said before sending: a report nobody but its sender could approve would wait for ever.
        "alasan_kirim": boleh_isi
        and laporan.bisa_diubah
        and dimulai
        and alur.alasan_tidak_dapat_dikirim(penyetuju(), user),
        "boleh_setujui": boleh_setujui,
        "alasan_setujui": boleh_setujui
        and alur.alasan_tidak_dapat_disetujui(
            laporan, user, penyetuju=penyetuju, jenis=_("laporan")
        ),
        "boleh_tinjau": laporan.status == alur.Status.MENUNGGU_VERIFIKASI
        and user.has_perm("rencana_aksi.tinjau_realisasi", aksi),
        "form_alasan": AlasanForm(),
        "sebelum": langkah[posisi - 1] if posisi else None,
        "berikut": langkah[posisi + 1]
        if posisi is not None and posisi + 1 < len(langkah)
        else None,
    }


# --- Workflow steps -----------------------------------------------------------------------


def _laporan_untuk(request, pk: int, permission: str) -> Realisasi:
    laporan = get_object_or_404(
        Realisasi.objects.visible_to(request.user).select_related("aksi__periode"), pk=pk
    )
    if not request.user.has_perm(permission, laporan.aksi):
        raise PermissionDenied
    return laporan


def _langkah(request, laporan: Realisasi, step, success: str, **kwargs):
    return alur_views.langkah(
        request, step, tujuan=laporan, success=success, realisasi=laporan, **kwargs
    )


_alasan = alur_views.alasan


@require_POST
@perlu_izin("rencana_aksi.lihat_rad")
def realisasi_kirim(request, pk):
    laporan = _laporan_untuk(request, pk, "rencana_aksi.lapor_realisasi")
    return _langkah(
        request,
        laporan,
        services.realisasi_kirim,
        _("Laporan dikirim ke kepala OPD untuk disetujui."),
    )


@require_POST
@perlu_izin("rencana_aksi.lihat_rad")
def realisasi_setujui(request, pk):
    laporan = _laporan_untuk(request, pk, "rencana_aksi.setujui_realisasi")
    return _langkah(
        request,
        laporan,
        services.realisasi_setujui,
        _("Laporan disetujui dan diteruskan ke Bappeda."),
    )


@require_POST
@perlu_izin("rencana_aksi.lihat_rad")
def realisasi_tolak(request, pk):
    laporan = _laporan_untuk(request, pk, "rencana_aksi.setujui_realisasi")
    return _langkah(
        request,
        laporan,
        services.realisasi_tolak,
        _("Laporan dikembalikan ke operator."),
        alasan=_alasan(request),
    )


@require_POST
@perlu_izin("rencana_aksi.tinjau_realisasi")
def realisasi_terima(request, pk):
    laporan = _laporan_untuk(request, pk, "rencana_aksi.tinjau_realisasi")
    return _langkah(
        request, laporan, services.realisasi_tinjau, _("Laporan diterima Bappeda dan dikunci.")
    )


@require_POST
@perlu_izin("rencana_aksi.tinjau_realisasi")
def realisasi_kembalikan(request, pk):
    laporan = _laporan_untuk(request, pk, "rencana_aksi.tinjau_realisasi")
    return _langkah(
        request,
        laporan,
        services.realisasi_kembalikan,
        _("Laporan dikembalikan ke OPD dengan alasan."),
        alasan=_alasan(request),
    )


# --- Evidence -----------------------------------------------------------------------------


def _lampiran_untuk(request, pk: int, permission: str | None = None) -> LampiranRealisasi:
    """Evidence of a report the person may read (404 otherwise) and, when a permission is
    named, may change (403 otherwise)."""
    lampiran = get_object_or_404(
        LampiranRealisasi.objects.filter(
            realisasi__in=Realisasi.objects.visible_to(request.user)
        ).select_related("realisasi__aksi"),
        pk=pk,
    )
    if permission and not request.user.has_perm(permission, lampiran.realisasi.aksi):
        raise PermissionDenied
    return lampiran


@perlu_izin("rencana_aksi.lihat_rad")
def lampiran_unduh(request, pk):
    """Serve an evidence file to someone who may read its report; nothing is public."""
    return berkas_check.respons_unduh(_lampiran_untuk(request, pk))


@require_POST
@perlu_izin("rencana_aksi.lihat_rad")
def lampiran_lepas(request, pk):
    lampiran = _lampiran_untuk(request, pk, "rencana_aksi.lapor_realisasi")
    try:
        services.bukti_lepas(lampiran=lampiran, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Bukti dilepas dari laporan; tetap tercatat di riwayat."))
    return redirect(lampiran.realisasi)


# --- Bappeda's queue ----------------------------------------------------------------------


@perlu_izin("rencana_aksi.tinjau_realisasi")
def tinjauan(request):
    """Reports approved by their agency heads, waiting for Bappeda, oldest first."""
    daftar = (
        Realisasi.objects.filter(status=alur.Status.MENUNGGU_VERIFIKASI)
        .select_related("aksi__opd_utama", "aksi__periode", "diubah_oleh")
        .annotate(bukti=Count("lampiran", filter=Q(lampiran__dihapus__isnull=True)))
        .order_by("diubah", "pk")
    )
    opd = request.GET.get("opd", "")
    if opd.isdigit():
        daftar = daftar.filter(aksi__opd_utama_id=opd)
    daftar = list(daftar)
    target = {
        (t.aksi_id, t.tahun): t.target
        for t in TargetTahunan.objects.filter(
            aksi_id__in={r.aksi_id for r in daftar}, tahun__in={r.tahun for r in daftar}
        )
    }
    tabel = Tabel(
        "tinjauan",
        _("Laporan menunggu tinjauan Bappeda"),
        [
            Kolom(_("Aksi")),
            Kolom(_("OPD")),
            Kolom(_("Triwulan")),
            Kolom(_("Target tahun"), "bilangan"),
            Kolom(_("Capaian s.d. triwulan"), "bilangan"),
            Kolom(_("Satuan")),
            Kolom(_("Terserap triwulan (Rp)"), "rupiah"),
            Kolom(_("Bukti"), "jumlah"),
            Kolom(_("Disetujui kepala")),
        ],
        catatan=_("Buka laporan untuk menerima atau mengembalikannya dengan alasan."),
    )
    for r in daftar:
        tabel.tambah(
            f"{r.aksi.kode} {r.aksi.nama}",
            r.aksi.opd_utama.singkatan,
            f"{r.tahun} TW {ROMAWI[r.triwulan]}",
            target.get((r.aksi_id, r.tahun)),
            r.capaian,
            r.aksi.satuan,
            r.anggaran,
            r.bukti,
            timezone.localtime(r.diubah).strftime("%d/%m/%Y %H.%M"),
            tautan=r.get_absolute_url(),
        )
    if request.GET.get("unduh") == tabel.nama:
        return tabel.unduhan("rad-tinjauan")
    return render(
        request,
        "rencana_aksi/tinjauan.html",
        {
            "tabel": tabel,
            "opd": opd,
            "opd_pilihan": Opd.objects.filter(
                aksi_rad__realisasi__status=alur.Status.MENUNGGU_VERIFIKASI
            )
            .distinct()
            .order_by("singkatan"),
            "periode": periode_berjalan(),
        },
    )


# --- The agency's inbox ---------------------------------------------------------------------

KATEGORI = [
    ("perlu_diisi", gettext_lazy("Perlu diisi")),
    ("terlambat", gettext_lazy("Terlambat")),
    ("dikembalikan", gettext_lazy("Dikembalikan")),
    ("menunggu_kepala", gettext_lazy("Menunggu persetujuan kepala")),
]


def jendela_laporan(hari_ini) -> list[tuple[int, int]]:
    """The quarters an agency works on now: every quarter of this year up to the current one,
    and the last quarter of last year while its report (due 15 January) is still recent."""
    tahun, tw = triwulan_berjalan(hari_ini)
    jendela = [(tahun, q) for q in range(1, tw + 1)]
    if tw == 1:
        jendela.insert(0, (tahun - 1, 4))
    return jendela


@perlu_izin("rencana_aksi.lihat_rad")
def laporan_opd(request):
    """The quarterly reports of the actions the person's agency leads: to fill in, late,
    returned, waiting for the head. Heads see what waits for their approval first."""
    user = request.user
    hari_ini = timezone.localdate()
    opd_ids = {
        k.opd_id
        for k in user.keanggotaan_aktif
        if k.opd_id and k.peran in (Peran.OPERATOR_OPD, Peran.KEPALA_OPD)
    }
    kepala = user.has_role(Peran.KEPALA_OPD)
    aksi = Aksi.objects.filter(opd_utama_id__in=opd_ids).select_related("periode")
    jendela = jendela_laporan(hari_ini)
    items = []
    for tahun in sorted({t for t, _tw in jendela}):
        for k in pemantauan.muat(
            aksi.filter(periode__tahun_mulai__lte=tahun, periode__tahun_selesai__gte=tahun),
            tahun,
            hari_ini,
        ):
            berhenti = k.aksi.status in (Aksi.Status.DIBATALKAN, Aksi.Status.DITUNDA)
            for t, tw in jendela:
                if t != tahun:
                    continue
                status = k.status.get(tw, BELUM)
                kategori = set()
                if status == alur.Status.DIKEMBALIKAN:
                    kategori.add("dikembalikan")
                if tw in k.terlambat:
                    kategori.add("terlambat")
                if status == alur.Status.MENUNGGU_KEPALA:
                    kategori.add("menunggu_kepala")
                if status in (BELUM, alur.Status.DRAFT) and not kategori and not berhenti:
                    kategori.add("perlu_diisi")
                if kategori:
                    items.append(
                        {
                            "aksi": k.aksi,
                            "tahun": t,
                            "triwulan": tw,
                            "romawi": ROMAWI[tw],
                            "status": status,
                            "kategori": kategori,
                            "batas": batas_lapor(t, tw),
                            "keadaan": k,
                        }
                    )
    items.sort(key=lambda i: (i["batas"], i["aksi"].kode))
    kirim_sendiri = _kirim_sendiri(user, items) if kepala else {}
    for item in items:
        item["alasan_setujui"] = kirim_sendiri.get(
            (item["aksi"].pk, item["tahun"], item["triwulan"]), ""
        )
    counts = Counter(kat for item in items for kat in item["kategori"])
    pilihan = request.GET.get("kategori", "")
    if pilihan in dict(KATEGORI):
        tampil = [i for i in items if pilihan in i["kategori"]]
    else:
        pilihan = ""
        tampil = items
    return render(
        request,
        "rencana_aksi/laporan_opd.html",
        {
            "items": tampil,
            "jumlah": len(items),
            "tabs": [(v, label, counts.get(v, 0)) for v, label in KATEGORI],
            "pilihan": pilihan,
            "kepala": kepala,
            "alasan_setujui": sorted(set(kirim_sendiri.values())),
            "punya_opd": bool(opd_ids),
            "triwulan_ini": triwulan_berjalan(hari_ini),
            "romawi_ini": ROMAWI[triwulan_berjalan(hari_ini)[1]],
            "batas_ini": batas_lapor(*triwulan_berjalan(hari_ini)),
            "periode": periode_berjalan(),
        },
    )


def _kirim_sendiri(user, items) -> dict[tuple[int, int, int], str]:
    """For the reports waiting for the head that this head sent themselves, why they may not
    approve them and who can: (action, year, quarter) → reason. One query, and one per lead
    agency concerned (a head leads one or two)."""
    menunggu = [i for i in items if i["status"] == alur.Status.MENUNGGU_KEPALA]
    if not menunggu:
        return {}
    sendiri = Realisasi.objects.filter(
        aksi_id__in={i["aksi"].pk for i in menunggu},
        status=alur.Status.MENUNGGU_KEPALA,
        dikirim_oleh=user,
    ).select_related("aksi__opd_utama")
    per_opd: dict[int, str] = {}
    hasil = {}
    for laporan in sendiri:
        opd_id = laporan.aksi.opd_utama_id
        if opd_id not in per_opd:
            per_opd[opd_id] = alur.alasan_tidak_dapat_disetujui(
                laporan, user, penyetuju=lambda r=laporan: services.penyetuju(r), jenis=_("laporan")
            )
        hasil[(laporan.aksi_id, laporan.tahun, laporan.triwulan)] = per_opd[opd_id]
    return hasil
