from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.decorators import perlu_izin
from clusters import instrumen, services
from clusters.forms import (
    BerkasInstrumenForm,
    PemetaanForm,
    PenugasanForm,
    PerpanjanganForm,
    SaringOpdForm,
    TahunAturForm,
    TahunForm,
)
from clusters.models import (
    Indikator,
    Kelompok,
    Penugasan,
    Pertanyaan,
    SumberData,
    TahunEvaluasi,
)
from kla_portal import impor as kerangka
from kla_portal.halaman import halaman_dari


@perlu_izin("clusters.pantau_evaluasi")
def tahun_list(request):
    daftar = TahunEvaluasi.objects.annotate(jumlah_pertanyaan=Count("pertanyaan"))
    return render(request, "clusters/tahun_list.html", {"daftar": daftar, "form": TahunForm()})


@require_POST
@perlu_izin("clusters.kelola_tahun")
def tahun_buat(request):
    form = TahunForm(request.POST)
    if form.is_valid():
        try:
            tahun = services.tahun_buat(tahun=form.cleaned_data["tahun"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(t)s dibuat. Impor instrumennya.") % {"t": tahun})
            return redirect(tahun)
    else:
        messages.error(request, _("Tahun evaluasi harus antara 2000 dan 2100."))
    return redirect("clusters:tahun-list")


@perlu_izin("clusters.pantau_evaluasi")
def tahun_detail(request, tahun):
    record = get_object_or_404(TahunEvaluasi, tahun=tahun)
    kelompok = Kelompok.objects.filter(tahun=record).prefetch_related(
        Prefetch(
            "indikator",
            queryset=Indikator.objects.with_jumlah_nilai_pertanyaan().annotate(
                n=Count("pertanyaan")
            ),
        )
    )
    tanpa_utama = (
        Pertanyaan.objects.filter(tahun=record).tanpa_utama(request.user.daerah_id).count()
    )
    form = TahunAturForm(request.POST or None, instance=record)
    if request.method == "POST":
        if not request.user.has_perm("clusters.kelola_tahun"):
            return render(request, "403.html", status=403)
        if form.is_valid():
            try:
                services.tahun_ubah(tahun=record, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Pengaturan tahun evaluasi disimpan."))
                return redirect(record)
    return render(
        request,
        "clusters/tahun_detail.html",
        {
            "tahun": record,
            "kelompok": kelompok,
            "tanpa_utama": tanpa_utama,
            "form": form,
            "perpanjangan": record.perpanjangan.di_daerah(request.user).select_related(
                "opd", "diberikan_oleh"
            ),
            "form_perpanjangan": PerpanjanganForm(user=request.user),
        },
    )


@perlu_izin("clusters.kelola_tahun")
def instrumen_unggah(request, tahun):
    """Upload an instrument file and see the preview report; nothing is written yet."""
    record = get_object_or_404(TahunEvaluasi, tahun=tahun)
    form = BerkasInstrumenForm(request.POST or None, request.FILES or None)
    context = {"tahun": record, "form": form}
    if request.method == "POST" and form.is_valid():
        berkas = form.cleaned_data["berkas"]
        isi = berkas.read()
        try:
            rows = instrumen.baca_tabel(berkas.name, isi)
        except ValidationError as error:
            form.add_error("berkas", error)
        else:
            dikenal = SumberData.objects.di_daerah(request.user).nama_terpetakan()
            laporan = instrumen.periksa(rows, nama_dikenal=dikenal)
            context["laporan"] = laporan
            context["token"] = kerangka.pratinjau_simpan(
                request,
                f"impor-instrumen-{record.tahun}",
                nama=berkas.name,
                isi=isi,
                laporan=laporan,
            )
    return render(request, "clusters/instrumen_unggah.html", context)


@require_POST
@perlu_izin("clusters.kelola_tahun")
def instrumen_konfirmasi(request, tahun):
    record = get_object_or_404(TahunEvaluasi, tahun=tahun)
    kept = kerangka.pratinjau_ambil(request, f"impor-instrumen-{record.tahun}")
    if kept is None:
        messages.error(request, kerangka.PRATINJAU_KEDALUWARSA)
        return redirect("clusters:instrumen-unggah", tahun=record.tahun)
    dikenal = SumberData.objects.di_daerah(request.user).nama_terpetakan()
    laporan = instrumen.periksa(instrumen.baca_tabel(kept.nama, kept.isi), nama_dikenal=dikenal)
    try:
        hasil = services.instrumen_impor(tahun=record, laporan=laporan, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("clusters:instrumen-unggah", tahun=record.tahun)
    messages.success(
        request,
        _("Instrumen %(t)s diimpor. %(hasil)s") % {"t": record.tahun, "hasil": hasil.as_text()},
    )
    return redirect(record)


@perlu_izin("clusters.kelola_evaluasi")
def pemetaan(request):
    """Map the instrument's data-source names to the city's agencies, once per city."""
    form = PemetaanForm(
        request.POST or None,
        sumber_list=SumberData.objects.di_daerah(request.user).select_related("opd"),
        daerah_id=request.user.daerah_id,
    )
    dipakai = Counter(
        nama for names in Pertanyaan.objects.values_list("sumber_data", flat=True) for nama in names
    )
    tahun_list = TahunEvaluasi.objects.all()
    if request.method == "POST" and form.is_valid():
        changed = services.sumber_data_petakan(pemetaan=form.pemetaan(), by=request.user)
        added = 0
        # Past years keep the assignments they were answered with.
        for record in tahun_list.exclude(
            dibuka=False, pertanyaan__jawaban__isnull=False
        ).distinct():
            added += services.penugasan_terapkan_pemetaan(tahun=record, by=request.user)
        messages.success(
            request,
            _("%(c)s pemetaan diubah; %(a)s penugasan OPD baru ditambahkan ke pertanyaan.")
            % {"c": changed, "a": added},
        )
        return redirect("clusters:pemetaan")
    rows = [(s, form[f"sumber_{s.pk}"], dipakai[s.nama]) for s in form.sumber_list]
    return render(request, "clusters/pemetaan.html", {"form": form, "rows": rows})


@perlu_izin("clusters.pantau_evaluasi")
def penugasan(request, tahun):
    """Every question with its lead and supporting agencies; the secretariat changes them."""
    record = get_object_or_404(TahunEvaluasi, tahun=tahun)
    daftar = (
        Pertanyaan.objects.filter(tahun=record)
        .select_related("indikator__kelompok")
        .prefetch_related(
            Prefetch(
                "penugasan",
                queryset=Penugasan.objects.di_daerah(request.user).select_related("opd"),
            )
        )
    )
    saring = SaringOpdForm(request.GET, auto_id="f-%s", daerah_id=request.user.daerah_id)
    if opd := saring.opd_dipilih():
        daftar = daftar.filter(penugasan__opd=opd)
    if request.GET.get("tanpa_opd"):
        daftar = daftar.tanpa_utama(request.user.daerah_id)
    kelompok_id = request.GET.get("kelompok", "")
    if kelompok_id.isdigit():
        daftar = daftar.filter(indikator__kelompok_id=kelompok_id)
    form = PenugasanForm(request.POST or None, tahun=record, daerah_id=request.user.daerah_id)
    if request.method == "POST":
        if not request.user.has_perm("clusters.kelola_evaluasi"):
            return render(request, "403.html", status=403)
        if form.is_valid():
            try:
                services.penugasan_atur(
                    pertanyaan_list=list(form.cleaned_data["pertanyaan"]),
                    utama=form.cleaned_data["utama"],
                    pendukung=list(form.cleaned_data["pendukung"]),
                    by=request.user,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                n = len(form.cleaned_data["pertanyaan"])
                messages.success(request, _("Penugasan %(n)s pertanyaan diubah.") % {"n": n})
                return redirect(request.get_full_path())
    return render(
        request,
        "clusters/penugasan.html",
        {
            "tahun": record,
            # One row per question: an agency is assigned to a question once.
            "halaman": halaman_dari(request, daftar),
            "form": form,
            "saring": saring,
            "kelompok_pilihan": Kelompok.objects.filter(tahun=record),
            "filter": {
                "kelompok": kelompok_id,
                "tanpa_opd": request.GET.get("tanpa_opd", ""),
            },
        },
    )
