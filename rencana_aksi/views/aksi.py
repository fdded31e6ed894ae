"""The plan itself: plan periods with their legal basis and the city's budget, the list of
actions with filters and its XLSX, an action's page with its years and quarters, and the
forms that write actions through services.aksi_simpan.

Agency staff see the actions their agency leads or supports (``Aksi.objects.visible_to``);
another action's id in an address is a 404, as if it did not exist.
"""

from __future__ import annotations

import mimetypes
from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.decorators import perlu_izin
from kla_portal import berkas as berkas_check
from kla_portal import versi as versi_lib
from kla_portal.ekspor import Kolom, Tabel
from kla_portal.forms import tambah_galat, tambah_galat_kedaluwarsa
from rencana_aksi import daftar, pemantauan, selectors, services
from rencana_aksi.forms import AksiForm, AnggaranDaerahForm, PeriodeForm
from rencana_aksi.models import (
    Aksi,
    AnggaranDaerah,
    Klaster,
    PeriodeRad,
    SumberDana,
)
from rencana_aksi.saringan import Saringan, tahun_dalam
from rencana_aksi.selectors import periode_berjalan, triwulan_berjalan
from rencana_aksi.tabel import (
    ROMAWI,
    TABEL_AKSI,
    keterangan_keadaan,
    tabel_aksi,
    urutan_indikator,
)

# --- /rad/ --------------------------------------------------------------------------------


@perlu_izin("rencana_aksi.lihat_rad")
def beranda(request):
    """The menu's entry: the plan in force this year (else the newest) and its actions."""
    periode = periode_berjalan(request.user)
    if periode is not None:
        return redirect(periode)
    if request.user.has_perm("rencana_aksi.kelola_rad"):
        messages.info(request, _("Belum ada RAD KLA. Mulai dengan membuat periodenya."))
        return redirect("rencana_aksi:periode-create")
    return render(request, "rencana_aksi/belum_ada.html")


# --- Plan periods and the city budget -------------------------------------------------------


@perlu_izin("rencana_aksi.kelola_rad")
def periode_create(request):
    form = PeriodeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            periode = services.periode_buat(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            tambah_galat(form, error)
        else:
            messages.success(
                request,
                _("%(p)s dibuat. Isi APBD kota per tahun, lalu tambahkan aksinya.")
                % {"p": periode},
            )
            return redirect("rencana_aksi:periode-detail", periode.pk)
    return render(
        request,
        "rencana_aksi/periode_form.html",
        {"form": form, "periode_list": PeriodeRad.objects.visible_to(request.user)},
        status=400 if form.errors else 200,
    )


def _apbd(periode: PeriodeRad) -> dict:
    return dict(
        AnggaranDaerah.objects.filter(
            tahun__gte=periode.tahun_mulai, tahun__lte=periode.tahun_selesai
        ).values_list("tahun", "total")
    )


def _halaman_periode(request, periode, *, form=None, form_apbd=None, status=200):
    apbd = _apbd(periode)
    return render(
        request,
        "rencana_aksi/periode_detail.html",
        {
            "periode": periode,
            "periode_list": PeriodeRad.objects.visible_to(request.user),
            "apbd": [(t, apbd.get(t)) for t in periode.tahun_list],
            "jumlah_aksi": periode.aksi.count(),
            "form": form or PeriodeForm(periode=periode),
            "form_apbd": form_apbd or AnggaranDaerahForm(periode=periode, sekarang=apbd),
            "boleh_kelola": request.user.has_perm("rencana_aksi.kelola_rad"),
        },
        status=status,
    )


@perlu_izin("rencana_aksi.lihat_rad")
def periode_detail(request, pk):
    """The plan's legal basis, its document and the city's total budget per year."""
    return _halaman_periode(
        request, get_object_or_404(PeriodeRad.objects.visible_to(request.user), pk=pk)
    )


@require_POST
@perlu_izin("rencana_aksi.kelola_rad")
def periode_ubah(request, pk):
    periode = get_object_or_404(PeriodeRad.objects.visible_to(request.user), pk=pk)
    form = PeriodeForm(request.POST, request.FILES, periode=periode)
    if form.is_valid():
        try:
            services.periode_ubah(periode=periode, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            tambah_galat(form, error)
        else:
            messages.success(request, _("Dasar hukum %(p)s disimpan.") % {"p": periode})
            return redirect("rencana_aksi:periode-detail", periode.pk)
    periode.refresh_from_db()
    return _halaman_periode(request, periode, form=form, status=400)


@require_POST
@perlu_izin("rencana_aksi.kelola_rad")
def anggaran_daerah(request, pk):
    periode = get_object_or_404(PeriodeRad.objects.visible_to(request.user), pk=pk)
    form = AnggaranDaerahForm(request.POST, periode=periode, sekarang=_apbd(periode))
    if form.is_valid():
        try:
            services.anggaran_daerah_simpan(total=form.nilai(), by=request.user)
        except ValidationError as error:
            tambah_galat(form, error)
        else:
            messages.success(request, _("APBD kota disimpan."))
            return redirect("rencana_aksi:periode-detail", periode.pk)
    return _halaman_periode(request, periode, form_apbd=form, status=400)


@perlu_izin("rencana_aksi.lihat_rad")
def periode_dokumen(request, pk):
    """The RAD document, to anyone who reads the RAD; never served as a public file."""
    periode = get_object_or_404(PeriodeRad.objects.visible_to(request.user), pk=pk)
    if not periode.dokumen:
        raise Http404
    berkas = SimpleNamespace(
        berkas=periode.dokumen,
        jenis=mimetypes.guess_type(periode.dokumen.name)[0] or "application/octet-stream",
        nama_asli=periode.dokumen_nama or f"RAD-KLA-{periode.tahun_mulai}.pdf",
    )
    return berkas_check.respons_unduh(berkas)


# --- The list of actions ------------------------------------------------------------------


@perlu_izin("rencana_aksi.lihat_rad")
def aksi_list(request, periode_id):
    """The plan's actions the person may see, with this year's figures; a page of 50 read from
    the database (as every list: a phone on a slow line gets a short page), the XLSX holds every
    row of the filter."""
    periode = get_object_or_404(PeriodeRad.objects.visible_to(request.user), pk=periode_id)
    hari_ini = timezone.localdate()
    tahun = tahun_dalam(periode, request.GET.get("tahun"), hari_ini)
    saring = Saringan.dari(request.GET)
    terlihat = Aksi.objects.filter(periode=periode).visible_to(request.user)
    if request.GET.get("unduh") == TABEL_AKSI:
        daftar_baris = daftar.semua_baris(terlihat, tahun, hari_ini, saring)
        return tabel_aksi(daftar_baris, tahun).unduhan(f"rad-kla-aksi-{tahun}")
    isi = daftar.halaman_daftar(
        terlihat, tahun, hari_ini, saring, nomor=request.GET.get("halaman"), query=request.GET
    )
    return render(
        request,
        "rencana_aksi/aksi_list.html",
        {
            "periode": periode,
            "periode_list": PeriodeRad.objects.visible_to(request.user),
            "tahun": tahun,
            "saring": saring,
            "tabel": tabel_aksi([], tahun),  # its title, note and name; the rows are below
            **isi,
            "klaster_pilihan": Klaster.choices,
            "status_pilihan": Aksi.Status.choices,
            "seluruh_kota": request.user.has_perm("agencies.view_seluruh_kota"),
        },
    )


# --- One action ---------------------------------------------------------------------------


def _aksi_terlihat(request, pk: int) -> Aksi:
    return get_object_or_404(
        Aksi.objects.visible_to(request.user)
        .select_related("periode", "opd_utama")
        .prefetch_related("opd_pendukung", "indikator", "target", "realisasi"),
        pk=pk,
    )


def tabel_tahunan(aksi: Aksi, keadaan: list[pemantauan.KeadaanAksi], tahun_ini: int) -> Tabel:
    tabel = Tabel(
        "aksi-tahunan",
        _("Target, anggaran dan capaian per tahun"),
        [
            Kolom(_("Tahun")),
            Kolom(_("Target (%(s)s)") % {"s": aksi.satuan}, "bilangan"),
            Kolom(_("Pagu (Rp)"), "rupiah"),
            Kolom(_("Sumber dana")),
            Kolom(_("Capaian (%(s)s)") % {"s": aksi.satuan}, "bilangan"),
            Kolom(_("Capaian terhadap target"), "persen"),
            Kolom(_("Terserap (Rp)"), "rupiah"),
            Kolom(_("Serapan"), "persen"),
            Kolom(_("Keadaan")),
        ],
        catatan=_(
            "Capaian tahun: angka kumulatif triwulan terakhir yang dilaporkan; terserap: jumlah "
            "anggaran semua triwulan."
        ),
    )
    ada_target = {row.tahun for row in aksi.target.all()}
    for k in keadaan:
        ada = k.tahun in ada_target
        # A year not begun has nothing achieved yet rather than 0%.
        mulai = k.tahun <= tahun_ini
        tabel.tambah(
            str(k.tahun),
            k.target,
            k.pagu if ada else None,
            SumberDana(k.sumber).label if ada else "",
            k.capaian,
            k.persen_capaian if mulai else None,
            k.terserap if mulai else None,
            k.persen_serap if mulai else None,
            keterangan_keadaan(k),
            kelas="table-danger" if k.terlambat else "table-warning" if k.berisiko else "",
        )
    return tabel


@perlu_izin("rencana_aksi.lihat_rad")
def aksi_detail(request, pk):
    aksi = _aksi_terlihat(request, pk)
    hari_ini = timezone.localdate()
    sekarang = triwulan_berjalan(hari_ini)
    keadaan = selectors.keadaan_aksi(aksi, hari_ini)
    tabel = tabel_tahunan(aksi, keadaan, hari_ini.year)
    if request.GET.get("unduh") == tabel.nama:
        return tabel.unduhan(f"rad-{aksi.kode}")
    return render(
        request,
        "rencana_aksi/aksi_detail.html",
        {
            "aksi": aksi,
            "periode": aksi.periode,
            "tabel": tabel,
            "triwulan": selectors.triwulan_aksi(aksi, keadaan, hari_ini),
            "tahun_ini": hari_ini.year,
            "pendukung": sorted(aksi.opd_pendukung.all(), key=lambda o: o.singkatan),
            "indikator": sorted(aksi.indikator.all(), key=lambda i: urutan_indikator(i.kode)),
            "riwayat": selectors.riwayat_aksi(aksi),
            "boleh_kelola": request.user.has_perm("rencana_aksi.kelola_rad"),
            "lapor_sekarang": reverse("rencana_aksi:realisasi", args=[aksi.pk, *sekarang])
            if sekarang[0] in aksi.periode.tahun_list
            and request.user.has_perm("rencana_aksi.lapor_realisasi", aksi)
            else "",
            "romawi_sekarang": ROMAWI[sekarang[1]],
        },
    )


def _simpan_aksi(request, periode: PeriodeRad, aksi: Aksi | None):
    form = AksiForm(request.POST or None, periode=periode, aksi=aksi)
    if request.method == "POST" and form.is_valid():
        try:
            hasil, berubah = services.aksi_simpan(
                periode=periode,
                data=form.data_aksi(),
                by=request.user,
                # a new action is version 0: one made with its code a moment ago is refused
                versi=form.cleaned_data["versi"] if aksi else 0,
            )
        except versi_lib.Kedaluwarsa as error:
            tambah_galat_kedaluwarsa(form, error)
        except ValidationError as error:
            tambah_galat(form, error)
        else:
            if aksi is None:
                messages.success(request, _("Aksi %(k)s ditambahkan.") % {"k": hasil.kode})
            elif berubah:
                messages.success(request, _("Aksi %(k)s disimpan.") % {"k": hasil.kode})
            else:
                messages.info(request, _("Tidak ada yang berubah."))
            return redirect(hasil)
    return render(
        request,
        "rencana_aksi/aksi_form.html",
        {"form": form, "periode": periode, "aksi": aksi},
        status=400 if form.errors else 200,
    )


@perlu_izin("rencana_aksi.kelola_rad")
def aksi_create(request, periode_id):
    return _simpan_aksi(
        request, get_object_or_404(PeriodeRad.objects.visible_to(request.user), pk=periode_id), None
    )


@perlu_izin("rencana_aksi.kelola_rad")
def aksi_update(request, pk):
    aksi = _aksi_terlihat(request, pk)
    return _simpan_aksi(request, aksi.periode, aksi)
