"""The sub-district facility register: the coverage matrix (units × kinds, per kecamatan and for
the city), one unit's page where its operator records its facilities, and the Kelana-Dekela
questions with the coverage the register proposes.

No boundary map ships with the portal and map tiles would need the internet, so the "map of
services" is the matrix with a colour scale (a heat map drawn on the server)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies import services as agencies_services
from agencies.decorators import perlu_izin
from agencies.fasilitas import Cakupan, baca_cakupan
from agencies.models import Fasilitas, JenisFasilitas, StatusFasilitas, Wilayah
from clusters import services as clusters_services
from clusters.models import Jawaban, Pertanyaan, TahunEvaluasi
from kla_portal.berkas import respons_berkas
from kla_portal.ekspor import Kolom, Tabel
from kla_portal.forms import tambah_galat
from kla_portal.grafik import svg
from koordinasi import grafik, selectors
from koordinasi.forms import FasilitasForm, PemetaanForm, nomor

SINGKAT = {
    StatusFasilitas.BELUM_ADA: "–",
    StatusFasilitas.DIBENTUK: _("Dibentuk"),
    StatusFasilitas.DITETAPKAN: "SK",
    StatusFasilitas.TERSTANDAR: _("Standar"),
}


def tabel_cakupan(cakupan: Cakupan) -> Tabel:
    """Kecamatan × kinds counted per kelurahan: the share of its kelurahan that have each."""
    jenis = [j for j in cakupan.jenis if j.untuk_kelurahan]
    tabel = Tabel(
        "cakupan-kelurahan",
        _("Cakupan kelurahan/desa per kecamatan"),
        [Kolom(_("Kecamatan")), Kolom(_("Kel./desa"), "jumlah")]
        + [Kolom(j.singkatan, "persen") for j in jenis],
        catatan=_("Persentase kelurahan/desa yang memiliki fasilitas itu (mulai status minimal)."),
    )
    for kec in cakupan.kecamatan:
        n = sum(1 for k in cakupan.kelurahan if k.induk_id == kec.pk)
        if not n:
            continue
        tabel.tambah(
            kec.nama,
            n,
            *(cakupan.per_kecamatan[(kec.pk, j.pk)].persen for j in jenis),
            tautan=reverse("koordinasi:fasilitas-unit", args=[kec.kode]),
        )
    if len(cakupan.kecamatan) > 1:
        tabel.tambah(
            _("Seluruh kota"),
            len(cakupan.kelurahan),
            *(cakupan.kota_kelurahan[j.pk].persen for j in jenis),
            kelas="fw-semibold table-light",
        )
    return tabel


def _tambah_status(tabel: Tabel, unit: Wilayah, cakupan: Cakupan, jenis: list) -> None:
    """A unit's row: its state of each kind, leading to its page."""
    tabel.tambah(
        unit.nama,
        *(str(SINGKAT[cakupan.status.get((unit.pk, j.pk), 0)]) for j in jenis),
        tautan=reverse("koordinasi:fasilitas-unit", args=[unit.kode]),
    )


def tabel_kelurahan(wilayah: Wilayah, cakupan: Cakupan) -> Tabel:
    """A kecamatan's kelurahan × kinds: each kelurahan's own state."""
    jenis = [j for j in cakupan.jenis if j.untuk_kelurahan]
    tabel = Tabel(
        "kelurahan",
        _("Kelurahan/desa di %(w)s") % {"w": wilayah},
        [Kolom(_("Kelurahan/desa"))] + [Kolom(j.singkatan) for j in jenis],
    )
    for kel in cakupan.kelurahan:
        _tambah_status(tabel, kel, cakupan, jenis)
    return tabel


def tabel_kecamatan(cakupan: Cakupan) -> Tabel:
    """Kecamatan × kinds counted per kecamatan: each kecamatan's own state."""
    jenis = [j for j in cakupan.jenis if j.untuk_kecamatan]
    tabel = Tabel(
        "fasilitas-kecamatan",
        _("Fasilitas tingkat kecamatan"),
        [Kolom(_("Kecamatan"))] + [Kolom(j.singkatan) for j in jenis],
        catatan=_("–: belum ada; SK: ditetapkan dengan SK; Standar: terstandar/tersertifikasi."),
    )
    for kec in cakupan.kecamatan:
        _tambah_status(tabel, kec, cakupan, jenis)
    if len(cakupan.kecamatan) > 1:
        tabel.tambah(
            _("Kecamatan yang memiliki"),
            *(
                f"{cakupan.kota_kecamatan[j.pk].ada}/{cakupan.kota_kecamatan[j.pk].dari}"
                for j in jenis
            ),
            kelas="fw-semibold table-light",
        )
    return tabel


@perlu_izin("koordinasi.lihat_koordinasi")
def matriks(request):
    user = request.user
    kota = user.has_perm("agencies.view_seluruh_kota") or bool(user.opd_ids())
    if not kota:  # an area operator goes straight to their own unit
        unit_saya = Wilayah.objects.filter(pk__in=user.wilayah_ids()).order_by("kode").first()
        if unit_saya is None:
            raise Http404
        return redirect("koordinasi:fasilitas-unit", unit_saya.kode)
    units = Wilayah.objects.fasilitas_visible_to(user)
    cakupan = baca_cakupan(units)
    tabel = [tabel_cakupan(cakupan), tabel_kecamatan(cakupan)]
    unduh = request.GET.get("unduh")
    if unduh:
        pilihan = next((t for t in tabel if t.nama == unduh), None)
        if pilihan is not None:
            return pilihan.unduhan()
    tahun, usulan = selectors.usulan_matriks(user=user, cakupan=cakupan)
    return render(
        request,
        "koordinasi/fasilitas.html",
        {
            "aktif": "fasilitas",
            "tabel": tabel,
            "cakupan": cakupan,
            "grafik": svg(grafik.peta_cakupan(cakupan)) if cakupan.kecamatan else "",
            "tahun": tahun,
            "usulan": usulan,
            "kelola_pemetaan": user.has_perm("clusters.kelola_tahun"),
            "form_pemetaan": PemetaanForm(),
        },
    )


def _unit(request, kode) -> Wilayah:
    return get_object_or_404(
        Wilayah.objects.fasilitas_visible_to(request.user).select_related("induk"), kode=kode
    )


def _form_fasilitas(jenis: JenisFasilitas, fasilitas: Fasilitas | None) -> FasilitasForm:
    """The form of one kind, filled with the unit's record of it (or an empty one)."""
    f = fasilitas
    return FasilitasForm(
        initial={
            "status": f.status if f else StatusFasilitas.BELUM_ADA,
            "nomor_sk": f.nomor_sk if f else "",
            "tanggal_sk": f.tanggal_sk if f else None,
            "keterangan": f.keterangan if f else "",
            "versi": f.versi if f else 0,
        },
        prefix=jenis.kode,
    )


def _baris_fasilitas(wilayah: Wilayah, boleh: bool, form_gagal, jenis_gagal) -> list[dict]:
    """Each kind counted at the unit's level with its record, and its form for those who keep
    the register (the refused one, ``form_gagal`` of ``jenis_gagal``, open)."""
    jenis = [j for j in JenisFasilitas.objects.all() if j.berlaku_untuk(wilayah.tingkat)]
    ada = {f.jenis_id: f for f in wilayah.fasilitas.select_related("diubah_oleh")}
    baris = []
    for j in jenis:
        form = None
        if boleh:
            form = form_gagal if jenis_gagal == j.pk else _form_fasilitas(j, ada.get(j.pk))
        baris.append(
            {"jenis": j, "fasilitas": ada.get(j.pk), "form": form, "terbuka": jenis_gagal == j.pk}
        )
    return baris


@perlu_izin("koordinasi.lihat_koordinasi")
def unit(request, kode, *, form_gagal=None, jenis_gagal=None):
    """One kecamatan or kelurahan: each kind counted at its level with its state, decree and
    photo, and a form per kind for those who keep the register; a kecamatan lists its
    kelurahan too."""
    wilayah = _unit(request, kode)
    terlihat = Wilayah.objects.fasilitas_visible_to(request.user)
    boleh = request.user.has_perm("agencies.ubah_fasilitas", wilayah)
    baris = _baris_fasilitas(wilayah, boleh, form_gagal, jenis_gagal)
    tabel = []
    if wilayah.tingkat == Wilayah.Tingkat.KECAMATAN:
        tabel = [tabel_kelurahan(wilayah, baca_cakupan(terlihat.filter(induk=wilayah)))]
        if request.GET.get("unduh") == tabel[0].nama:
            return tabel[0].unduhan(f"fasilitas-{wilayah.nama}")
    return render(
        request,
        "koordinasi/fasilitas_unit.html",
        {
            "aktif": "fasilitas",
            "wilayah": wilayah,
            "induk_terlihat": wilayah.tingkat == Wilayah.Tingkat.DESA_KELURAHAN
            and terlihat.filter(pk=wilayah.induk_id).exists(),
            "baris": baris,
            "boleh": boleh,
            "tabel": tabel,
        },
        status=400 if form_gagal is not None else 200,
    )


@require_POST
@perlu_izin("koordinasi.lihat_koordinasi")
def simpan(request, kode, jenis):
    wilayah = _unit(request, kode)
    if not request.user.has_perm("agencies.ubah_fasilitas", wilayah):
        raise PermissionDenied
    jenis = get_object_or_404(JenisFasilitas, kode=jenis)
    form = FasilitasForm(request.POST, request.FILES, prefix=jenis.kode)
    if form.is_valid():
        try:
            agencies_services.fasilitas_simpan(
                wilayah=wilayah, jenis=jenis, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            tambah_galat(form, error)
        else:
            messages.success(
                request, _("%(j)s %(w)s disimpan.") % {"j": jenis.singkatan, "w": wilayah}
            )
            return redirect(reverse("koordinasi:fasilitas-unit", args=[kode]) + f"#{jenis.kode}")
    return unit(request, kode, form_gagal=form, jenis_gagal=jenis.pk)


@perlu_izin("koordinasi.lihat_koordinasi")
def berkas(request, pk, jenis):
    """A facility's decree or photo, to those who may read the unit."""
    fasilitas = get_object_or_404(Fasilitas.objects.visible_to(request.user), pk=pk)
    field = {"sk": fasilitas.berkas_sk, "foto": fasilitas.foto}.get(jenis)
    if not field:
        raise Http404
    nama = fasilitas.berkas_sk_nama if jenis == "sk" else fasilitas.foto_nama
    return respons_berkas(field, nama=nama)


# --- Kelana-Dekela ------------------------------------------------------------------------


@require_POST
@perlu_izin("koordinasi.lihat_koordinasi")
def usulan_terima(request, pk):
    """The lead agency accepts the register's coverage as its (draft) answer."""
    pertanyaan = get_object_or_404(Pertanyaan.objects.visible_to(request.user), pk=pk)
    kota = request.user.daerah_id
    jawaban = Jawaban.objects.filter(
        daerah_id=kota, pertanyaan=pertanyaan, wilayah=None
    ).first() or Jawaban(
        daerah_id=kota,
        pertanyaan=pertanyaan,
        opd=clusters_services.opd_utama(pertanyaan, kota),
        versi=0,
    )
    if not request.user.has_perm("clusters.isi_jawaban", jawaban):
        raise PermissionDenied
    versi = nomor(request.POST.get("versi"))
    try:
        clusters_services.usulan_terima(
            pertanyaan=pertanyaan, by=request.user, versi=-1 if versi is None else versi
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Usulan diterima sebagai draf jawaban %(p)s; kirim dari halaman pertanyaannya.")
            % {"p": pertanyaan},
        )
    return redirect(reverse("koordinasi:fasilitas") + "#kelana-dekela")


@require_POST
@perlu_izin("clusters.kelola_tahun")
def pemetaan(request, pk=None):
    """The secretariat says which kind counts a question (pk), or has every unmapped coverage
    question of the year proposed again from its words."""
    tahun = TahunEvaluasi.objects.terkini()
    if tahun is None:
        raise Http404
    if pk is None:
        n = clusters_services.fasilitas_usulkan_pemetaan(tahun=tahun)
        messages.success(request, _("%(n)s pertanyaan dipetakan dari teksnya.") % {"n": n})
        return redirect(reverse("koordinasi:fasilitas") + "#kelana-dekela")
    pertanyaan = get_object_or_404(Pertanyaan, pk=pk, tahun=tahun)
    form = PemetaanForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Pilih jenis fasilitas dari daftar."))
        clusters_services.pertanyaan_atur_fasilitas(
            pertanyaan=pertanyaan, jenis=form.cleaned_data["jenis"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Pemetaan %(p)s disimpan.") % {"p": pertanyaan})
    return redirect(reverse("koordinasi:fasilitas") + "#kelana-dekela")
