"""Answering: the task inbox, the question page, the workflow steps, evidence downloads."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agencies.decorators import perlu_izin
from agencies.models import Opd, Peran, Wilayah
from clusters import alur, selectors, services
from clusters.forms import (
    AlasanForm,
    GantiBerkasForm,
    JawabanForm,
    PerpanjanganForm,
    VerifikasiForm,
)
from clusters.models import (
    Jawaban,
    Lampiran,
    Pertanyaan,
    TahunEvaluasi,
)
from clusters.selectors import LINGKUP_UNIT
from clusters.views import alur as alur_views
from kla_portal import berkas as berkas_check
from kla_portal.forms import tambah_galat_kedaluwarsa
from kla_portal.tabel import rapi
from rencana_aksi import kotak as kotak_rad


def _tahun(request) -> TahunEvaluasi | None:
    tahun = request.GET.get("tahun", "")
    years = TahunEvaluasi.objects.all()
    if tahun.isdigit():
        return years.filter(tahun=tahun).first()
    return years.filter(dibuka=True).first() or years.first()


_halaman = selectors.halaman_jawaban


# --- The inbox ----------------------------------------------------------------------------


@login_required
def tugas(request):
    """The questions the person answers or approves, with their state; overdue ones marked."""
    tahun = _tahun(request)
    kotak = selectors.kotak_masuk(
        user=request.user, tahun=tahun, status=request.GET.get("status", "")
    )
    # A head approves answers and RAD reports: both wait in the same box.
    rad = kotak_rad.menunggu_kepala(user=request.user, hari_ini=timezone.localdate())
    # An operator sends every finished draft at once (after an Excel import above all).
    draf = 0
    if request.user.has_role(Peran.OPERATOR_OPD, Peran.OPERATOR_WILAYAH):
        draf = sum(n for status, _label, n in kotak.tabs if status == alur.Status.DRAFT)
    return render(
        request,
        "clusters/tugas.html",
        {"tahun": tahun, "rad_menunggu": rad, "draf": draf, **vars(kotak)},
    )


# --- The question page --------------------------------------------------------------------


def _ingatkan_berkas(request, form) -> None:
    # Without the page script a reloaded form cannot keep chosen files; with it, it does.
    if request.FILES and request.headers.get("X-Requested-With") != "XMLHttpRequest":
        form.add_error(None, _("Berkas yang tadi dipilih belum tersimpan: pilih lagi berkasnya."))


def _awal(jawaban: Jawaban) -> dict:
    # Figures come back as typed: 12 rather than 12,00 (rapi).
    initial = {
        name: rapi(value) if isinstance(value := getattr(jawaban, name), Decimal) else value
        for name in (*Jawaban.ISIAN, "versi")
    }
    initial["fraksi"] = None if jawaban.fraksi is None else format(jawaban.fraksi.normalize(), "f")
    return initial


@login_required
def pertanyaan_detail(request, pk, kode=None):
    """Read and answer one question (for the city, or for one kecamatan/kelurahan)."""
    pertanyaan, wilayah, jawaban = selectors.kursi_jawaban(request.user, pk, kode)
    boleh_isi = request.user.has_perm("clusters.isi_jawaban", jawaban)
    usulan = None
    if pertanyaan.per_unit and wilayah is None:
        usulan = _usulan_cakupan(pertanyaan, request.user.daerah)
    initial = _awal(jawaban)
    if usulan and initial["cakupan_persen"] is None:
        initial["cakupan_persen"] = usulan["persen"]
    form = JawabanForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        pertanyaan=pertanyaan,
        unit=wilayah is not None,
    )
    if request.method == "POST":
        if not boleh_isi:
            raise PermissionDenied
        if form.is_valid():
            values = form.nilai()
            try:
                services.jawaban_simpan(
                    pertanyaan=pertanyaan,
                    wilayah=wilayah,
                    by=request.user,
                    berkas=form.cleaned_data.get("berkas", []),
                    **values,
                )
            except services.JawabanKedaluwarsa as error:
                tambah_galat_kedaluwarsa(form, error)
                _ingatkan_berkas(request, form)
            except ValidationError as error:
                form.add_error(None, error)
                _ingatkan_berkas(request, form)
            else:
                messages.success(request, _("Jawaban disimpan sebagai draf."))
                return redirect(_halaman(pertanyaan, wilayah))
    context = _konteks_halaman(request, pertanyaan, wilayah, jawaban)
    context.update(form=form, boleh_isi=boleh_isi and jawaban.bisa_diubah, usulan=usulan)
    return render(
        request, "clusters/pertanyaan_detail.html", context, status=400 if form.errors else 200
    )


DIUSULKAN = (alur.Status.MENUNGGU_VERIFIKASI, alur.Status.TERVERIFIKASI)


def _usulan_cakupan(pertanyaan: Pertanyaan, kabkota: Wilayah | None) -> dict:
    """Coverage proposed from the units' own answers: the share of all the kab/kota's units of
    that level whose answer 'meets it' has been approved by their camat (or verified)."""
    tingkat = {v: k for k, v in LINGKUP_UNIT.items()}[pertanyaan.lingkup]
    semua = Wilayah.objects.di_dalam(kabkota).filter(tingkat=tingkat).count() if kabkota else 0
    memenuhi = pertanyaan.jawaban.filter(
        daerah=kabkota, wilayah__isnull=False, fraksi=1, status__in=DIUSULKAN
    ).count()
    persen = (Decimal(100) * memenuhi / semua).quantize(Decimal("0.01")) if semua else Decimal(0)
    return {"memenuhi": memenuhi, "semua": semua, "persen": persen}


def _konteks_halaman(request, pertanyaan, wilayah, jawaban) -> dict:
    return {
        **selectors.halaman_pertanyaan(
            user=request.user, pertanyaan=pertanyaan, wilayah=wilayah, jawaban=jawaban
        ),
        "form_alasan": AlasanForm(),
        "form_verifikasi": VerifikasiForm(
            initial={"poin": rapi(jawaban.poin_opd)}, pertanyaan=pertanyaan
        ),
        "form_ganti": GantiBerkasForm(),
    }


# --- Workflow steps -----------------------------------------------------------------------


def _jawaban_untuk(request, pk: int, permission: str) -> Jawaban:
    jawaban = get_object_or_404(
        Jawaban.objects.visible_to(request.user).select_related("pertanyaan", "wilayah__induk"),
        pk=pk,
    )
    if not request.user.has_perm(permission, jawaban):
        raise PermissionDenied
    return jawaban


def _langkah(request, jawaban: Jawaban, step, success: str, **kwargs):
    tujuan = _halaman(jawaban.pertanyaan, jawaban.wilayah)
    return alur_views.langkah(
        request,
        step,
        tujuan=tujuan,
        success=success,
        alamat=lambda berikut: _halaman(berikut.pertanyaan, berikut.wilayah),
        jawaban=jawaban,
        **kwargs,
    )


def _antrean_kepala(request, jawaban: Jawaban):
    return selectors.antrean_setujui(request.user, jawaban.pertanyaan.tahun).select_related(
        "pertanyaan", "wilayah"
    )


def _antrean_verifikasi(request, jawaban: Jawaban):
    return selectors.antrean_verifikasi(
        jawaban.pertanyaan.tahun, daerah_id=jawaban.daerah_id
    ).select_related("pertanyaan", "wilayah")


_alasan = alur_views.alasan


@require_POST
@login_required
def jawaban_kirim(request, pk):
    jawaban = _jawaban_untuk(request, pk, "clusters.isi_jawaban")
    if jawaban.wilayah_id:
        success = _("Jawaban dikirim ke camat untuk disetujui.")
    else:
        success = _("Jawaban dikirim ke kepala OPD untuk disetujui.")
    return _langkah(request, jawaban, services.jawaban_kirim, success)


# The steps that need nothing but the answer (and a reason).
def _langkah_view(permission: str, step, success, *, dengan_alasan=False, antrean=None):
    return alur_views.langkah_view(
        _jawaban_untuk,
        _langkah,
        permission,
        step,
        success,
        dengan_alasan=dengan_alasan,
        antrean=antrean,
    )


jawaban_setujui = _langkah_view(
    "clusters.setujui_jawaban",
    services.jawaban_setujui,
    gettext_lazy("Jawaban disetujui dan diteruskan ke Sekretariat."),
    antrean=_antrean_kepala,
)
jawaban_tolak = _langkah_view(
    "clusters.setujui_jawaban",
    services.jawaban_tolak,
    gettext_lazy("Jawaban dikembalikan ke operator."),
    dengan_alasan=True,
    antrean=_antrean_kepala,
)
jawaban_kembalikan = _langkah_view(
    "clusters.verifikasi_jawaban",
    services.jawaban_kembalikan,
    gettext_lazy("Jawaban dikembalikan ke OPD dengan alasan."),
    dengan_alasan=True,
    antrean=_antrean_verifikasi,
)
jawaban_buka_kembali = _langkah_view(
    "clusters.verifikasi_jawaban",
    services.jawaban_buka_kembali,
    gettext_lazy("Jawaban dibuka kembali."),
    dengan_alasan=True,
)


@require_POST
@login_required
def jawaban_verifikasi(request, pk):
    jawaban = _jawaban_untuk(request, pk, "clusters.verifikasi_jawaban")
    form = VerifikasiForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Poin verifikator harus berupa angka, misalnya 7,5."))
        return redirect(_halaman(jawaban.pertanyaan, jawaban.wilayah))
    return _langkah(
        request,
        jawaban,
        services.jawaban_verifikasi,
        _("Jawaban terverifikasi dan dikunci."),
        antrean=_antrean_verifikasi(request, jawaban),
        poin=form.cleaned_data["poin"],
    )


@login_required
def jawaban_detail(request, pk):
    jawaban = get_object_or_404(
        Jawaban.objects.visible_to(request.user).select_related("wilayah"), pk=pk
    )
    return redirect(_halaman(jawaban.pertanyaan, jawaban.wilayah))


# --- Evidence -----------------------------------------------------------------------------


def _lampiran_untuk(request, pk: int, permission: str | None = None) -> Lampiran:
    """An evidence file of an answer the user may read (404 otherwise), and, when a permission
    is named, may change (403 otherwise)."""
    lampiran = get_object_or_404(
        Lampiran.objects.filter(
            jawaban__in=Jawaban.objects.visible_to(request.user)
        ).select_related("jawaban__pertanyaan", "jawaban__wilayah__induk"),
        pk=pk,
    )
    if permission and not request.user.has_perm(permission, lampiran.jawaban):
        raise PermissionDenied
    return lampiran


@login_required
def lampiran_unduh(request, pk):
    """Serve an evidence file to someone who may read its answer; nothing is public."""
    return berkas_check.respons_unduh(_lampiran_untuk(request, pk))


@require_POST
@login_required
def lampiran_ganti(request, pk):
    lampiran = _lampiran_untuk(request, pk, "clusters.isi_jawaban")
    form = GantiBerkasForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Pilih berkas pengganti."))
    else:
        try:
            services.lampiran_ganti(
                lampiran=lampiran, berkas=form.cleaned_data["berkas"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Berkas diganti; versi lama tetap ada di riwayat."))
    return redirect(_halaman(lampiran.jawaban.pertanyaan, lampiran.jawaban.wilayah))


@require_POST
@login_required
def lampiran_lepas(request, pk):
    lampiran = _lampiran_untuk(request, pk, "clusters.isi_jawaban")
    try:
        services.lampiran_lepas(lampiran=lampiran, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Berkas dilepas dari jawaban; tetap tercatat di riwayat."))
    return redirect(_halaman(lampiran.jawaban.pertanyaan, lampiran.jawaban.wilayah))


# --- The secretariat's queue and extensions -------------------------------------------------


@perlu_izin("clusters.verifikasi_jawaban")
def antrean_verifikasi(request):
    """Answers approved by their heads, waiting for the secretariat."""
    tahun = _tahun(request)
    opd = request.GET.get("opd", "")
    daftar = selectors.antrean_verifikasi(
        tahun, daerah_id=request.user.daerah_id, opd_id=opd
    ).select_related("pertanyaan__indikator__kelompok", "wilayah", "opd")
    return render(
        request,
        "clusters/antrean_verifikasi.html",
        {
            "tahun": tahun,
            "daftar": daftar,
            "opd_pilihan": Opd.objects.di_daerah(request.user).aktif(),
            "opd": opd,
        },
    )


@require_POST
@perlu_izin("clusters.kelola_evaluasi")
def perpanjangan_beri(request, tahun):
    record = get_object_or_404(TahunEvaluasi, tahun=tahun)
    form = PerpanjanganForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.perpanjangan_beri(tahun=record, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Perpanjangan untuk %(opd)s disimpan.") % {"opd": form.cleaned_data["opd"]},
            )
    else:
        messages.error(request, _("Perpanjangan tidak disimpan: isi OPD, tanggal dan alasan."))
    return redirect(record)
