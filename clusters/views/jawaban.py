"""Answering: the task inbox, the question page, the workflow steps, evidence downloads."""

from collections import Counter
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.decorators import perlu_izin
from agencies.models import Opd, Peran, Wilayah
from clusters import alur, services
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
    Penugasan,
    Perpanjangan,
    Pertanyaan,
    TahunEvaluasi,
    boleh_lihat_jawaban,
)
from clusters.views import alur as alur_views
from kla_portal import berkas as berkas_check
from kla_portal.forms import tambah_galat_kedaluwarsa

BELUM = "belum"
LINGKUP_UNIT = {
    Wilayah.Tingkat.KECAMATAN: Pertanyaan.Lingkup.KECAMATAN,
    Wilayah.Tingkat.DESA_KELURAHAN: Pertanyaan.Lingkup.DESA_KELURAHAN,
}


def _tahun(request) -> TahunEvaluasi | None:
    tahun = request.GET.get("tahun", "")
    years = TahunEvaluasi.objects.all()
    if tahun.isdigit():
        return years.filter(tahun=tahun).first()
    return years.filter(dibuka=True).first() or years.first()


def _halaman(pertanyaan: Pertanyaan, wilayah: Wilayah | None) -> str:
    if wilayah is None:
        return reverse("clusters:pertanyaan-detail", args=[pertanyaan.pk])
    return reverse("clusters:pertanyaan-unit", args=[pertanyaan.pk, wilayah.kode])


# --- The inbox ----------------------------------------------------------------------------


def _unit_tugas(user) -> list[Wilayah]:
    """The units whose per-unit questions appear in the person's inbox: an area operator's
    own unit; for a camat (head of a kecamatan office) the kecamatan and all its kelurahan."""
    units = {k.wilayah for k in user.keanggotaan_aktif if k.peran == Peran.OPERATOR_WILAYAH}
    kecamatan = [
        k.opd.wilayah_id
        for k in user.keanggotaan_aktif
        if k.peran == Peran.KEPALA_OPD and k.opd_id and k.opd.jenis == Opd.Jenis.KECAMATAN
    ]
    if kecamatan:
        units |= set(
            Wilayah.objects.filter(Q(pk__in=kecamatan) | Q(induk_id__in=kecamatan)).select_related(
                "induk"
            )
        )
    return sorted(units, key=lambda w: w.kode)


def _baris_unit(user, tahun: TahunEvaluasi) -> list[tuple]:
    """(question, unit, answer) for every per-unit question of each unit: two queries."""
    units = _unit_tugas(user)
    if not units:
        return []
    questions = list(
        Pertanyaan.objects.filter(tahun=tahun, lingkup__in={LINGKUP_UNIT[u.tingkat] for u in units})
        .select_related("indikator__kelompok")
        .order_by("indikator__kelompok__urutan", "indikator__urutan", "urutan")
    )
    answers = {
        (j.pertanyaan_id, j.wilayah_id): j
        for j in Jawaban.objects.filter(pertanyaan__in=questions, wilayah__in=units)
    }
    return [
        (p, unit, answers.get((p.pk, unit.pk)))
        for unit in units
        for p in questions
        if p.lingkup == LINGKUP_UNIT[unit.tingkat]
    ]


@login_required
def tugas(request):
    """The questions the person answers or approves, with their state; overdue ones marked."""
    user = request.user
    tahun = _tahun(request)
    rows = []
    if tahun is not None:
        answers_for = Jawaban.objects.select_related("pertanyaan", "wilayah")
        lead = (
            Pertanyaan.objects.filter(
                tahun=tahun,
                penugasan__utama=True,
                penugasan__opd_id__in=[
                    k.opd_id
                    for k in user.keanggotaan_aktif
                    if k.peran in (Peran.OPERATOR_OPD, Peran.KEPALA_OPD)
                ],
            )
            .select_related("indikator__kelompok")
            .prefetch_related(
                Prefetch(
                    "jawaban", queryset=answers_for.filter(wilayah__isnull=True), to_attr="milik"
                ),
                Prefetch(
                    "penugasan", queryset=Penugasan.objects.filter(utama=True), to_attr="utama"
                ),
            )
        )
        rows += [(p, None, p.milik[0] if p.milik else None) for p in lead]
        rows += _baris_unit(user, tahun)
    lewat = tahun is not None and tahun.lewat_batas()
    diperpanjang = set()
    if lewat:
        diperpanjang = set(
            Perpanjangan.objects.filter(tahun=tahun, sampai__gte=timezone.now()).values_list(
                "opd_id", flat=True
            )
        )
    kantor = {}  # unit id -> kecamatan office id, whose extension counts for the unit
    items = []
    for pertanyaan, unit, jawaban in rows:
        status = jawaban.status if jawaban else BELUM
        if unit is None:
            owner = pertanyaan.utama[0].opd_id if pertanyaan.utama else None
        else:
            if unit.pk not in kantor:
                office = services.kantor_kecamatan(unit)
                kantor[unit.pk] = office.pk if office else None
            owner = kantor[unit.pk]
        items.append(
            {
                "pertanyaan": pertanyaan,
                "unit": unit,
                "jawaban": jawaban,
                "status": status,
                "terlambat": lewat
                and status in {BELUM, *alur.BISA_DIUBAH}
                and owner not in diperpanjang,
                "url": _halaman(pertanyaan, unit),
            }
        )
    counts = Counter(item["status"] for item in items)
    pilihan = request.GET.get("status", "")
    if pilihan:
        items = [item for item in items if item["status"] == pilihan]
    menunggu = Jawaban.objects.none()
    kepala_opd = [k.opd for k in user.keanggotaan_aktif if k.peran == Peran.KEPALA_OPD and k.opd_id]
    if tahun is not None and kepala_opd:
        kecamatan = [opd.wilayah_id for opd in kepala_opd if opd.jenis == Opd.Jenis.KECAMATAN]
        menunggu = (
            Jawaban.objects.filter(pertanyaan__tahun=tahun, status=alur.Status.MENUNGGU_KEPALA)
            .filter(
                Q(wilayah__isnull=True, opd__in=kepala_opd)
                | Q(wilayah_id__in=kecamatan)
                | Q(wilayah__induk_id__in=kecamatan)
            )
            .select_related("pertanyaan__indikator", "wilayah__induk", "opd")
        )
        menunggu = _tandai_kirim_sendiri(user, list(menunggu))
    perpanjangan = []
    if tahun is not None:
        perpanjangan = list(
            Perpanjangan.objects.filter(
                tahun=tahun, opd_id__in=user.opd_ids(), sampai__gte=timezone.now()
            ).select_related("opd")
        )
    tabs = [(BELUM, _("Belum dijawab")), *alur.Status.choices]
    return render(
        request,
        "clusters/tugas.html",
        {
            "tahun": tahun,
            "items": items,
            "tabs": [(value, label, counts.get(value, 0)) for value, label in tabs],
            "pilihan": pilihan,
            "jumlah": sum(counts.values()),
            "menunggu": menunggu,
            "alasan_setujui": sorted({j.alasan_setujui for j in menunggu} - {""}),
            "perpanjangan": perpanjangan,
        },
    )


def _tandai_kirim_sendiri(user, menunggu: list[Jawaban]) -> list[Jawaban]:
    """Give each waiting answer ``alasan_setujui``: why this head may not approve it (they
    sent it themselves) and who can, or "". One query per office concerned, for the answers
    the head sent only."""
    per_kantor: dict[tuple, str] = {}
    for jawaban in menunggu:
        jawaban.alasan_setujui = ""
        if jawaban.dikirim_oleh_id != user.pk:
            continue
        unit = jawaban.wilayah
        if unit is None:
            kunci = ("opd", jawaban.opd_id)
        else:  # the kecamatan, whose office approves the kecamatan and its kelurahan
            kunci = (
                "kecamatan",
                unit.pk if unit.tingkat == Wilayah.Tingkat.KECAMATAN else unit.induk_id,
            )
        if kunci not in per_kantor:
            per_kantor[kunci] = alur.alasan_tidak_dapat_disetujui(
                jawaban,
                user,
                penyetuju=lambda j=jawaban: services.penyetuju(j),
                jenis=_("jawaban"),
            )
        jawaban.alasan_setujui = per_kantor[kunci]
    return menunggu


# --- The question page --------------------------------------------------------------------


def _kursi(request, pk: int, kode: str | None) -> tuple[Pertanyaan, Wilayah | None, Jawaban]:
    """The question, the unit and the answer (unsaved when none yet) the page is about.

    404 for a question or unit the user may not see, so ids in URLs reveal nothing.
    """
    pertanyaan = get_object_or_404(
        Pertanyaan.objects.visible_to(request.user)
        .select_related("indikator__kelompok", "tahun")
        .prefetch_related("penugasan"),
        pk=pk,
    )
    wilayah = None
    if kode is not None:
        if not pertanyaan.per_unit:
            raise Http404
        tingkat = {v: k for k, v in LINGKUP_UNIT.items()}[pertanyaan.lingkup]
        wilayah = get_object_or_404(
            Wilayah.objects.select_related("induk"), kode=kode, tingkat=tingkat
        )
    if not boleh_lihat_jawaban(request.user, pertanyaan, wilayah):
        raise Http404
    jawaban = (
        Jawaban.objects.select_related("diubah_oleh", "opd", "wilayah__induk")
        .filter(pertanyaan=pertanyaan, wilayah=wilayah)
        .first()
    )
    if jawaban is None:
        lead = None if wilayah else services.opd_utama(pertanyaan)
        jawaban = Jawaban(pertanyaan=pertanyaan, wilayah=wilayah, opd=lead, versi=0)
    return pertanyaan, wilayah, jawaban


def _ingatkan_berkas(request, form) -> None:
    # Without the page script a reloaded form cannot keep chosen files; with it, it does.
    if request.FILES and request.headers.get("X-Requested-With") != "XMLHttpRequest":
        form.add_error(None, _("Berkas yang tadi dipilih belum tersimpan: pilih lagi berkasnya."))


def _awal(jawaban: Jawaban) -> dict:
    fields = [
        "cakupan_persen",
        "poin_langsung",
        "angka_tahun_ini",
        "angka_tahun_lalu",
        "catatan",
        "versi",
    ]
    initial = {name: getattr(jawaban, name) for name in fields}
    initial["fraksi"] = None if jawaban.fraksi is None else format(jawaban.fraksi.normalize(), "f")
    return initial


@login_required
def pertanyaan_detail(request, pk, kode=None):
    """Read and answer one question (for the city, or for one kecamatan/kelurahan)."""
    pertanyaan, wilayah, jawaban = _kursi(request, pk, kode)
    boleh_isi = request.user.has_perm("clusters.isi_jawaban", jawaban)
    usulan = _usulan_cakupan(pertanyaan) if pertanyaan.per_unit and wilayah is None else None
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


def _usulan_cakupan(pertanyaan: Pertanyaan) -> dict:
    """Coverage proposed from the units' own answers: the share of all the city's units of
    that level whose answer 'meets it' has been approved by their camat (or verified)."""
    tingkat = {v: k for k, v in LINGKUP_UNIT.items()}[pertanyaan.lingkup]
    kabkota = Wilayah.objects.kabkota_dilayani()
    semua = Wilayah.objects.di_dalam(kabkota).filter(tingkat=tingkat).count() if kabkota else 0
    memenuhi = pertanyaan.jawaban.filter(
        wilayah__isnull=False, fraksi=1, status__in=DIUSULKAN
    ).count()
    persen = (Decimal(100) * memenuhi / semua).quantize(Decimal("0.01")) if semua else Decimal(0)
    return {"memenuhi": memenuhi, "semua": semua, "persen": persen}


RIWAYAT_ISI = [
    "fraksi",
    "cakupan_persen",
    "poin_langsung",
    "angka_tahun_ini",
    "angka_tahun_lalu",
    "catatan",
]


def _perubahan(riwayat: list, pertanyaan: Pertanyaan, unit: bool) -> dict:
    """For each history record, what it changed (history is newest first; compared in memory,
    so a long history costs no extra queries). A record that changed neither content nor state
    is an evidence change; a reason shows only where it was given."""
    labels = {Decimal(o["fraksi"]): o["label"] for o in pertanyaan.pilihan(untuk_unit=unit)}
    changes = {}
    for index, newer in enumerate(riwayat):
        older = riwayat[index + 1] if index + 1 < len(riwayat) else None
        fields = []
        for name in RIWAYAT_ISI:
            value = getattr(newer, name)
            unchanged = older is not None and getattr(older, name) == value
            if unchanged or (older is None and value in (None, "")):
                continue
            if name == "fraksi" and value is not None:
                fields.append(f"{_('Pilihan')}: {labels.get(value, _tampil(value))}")
            else:
                fields.append(f"{Jawaban._meta.get_field(name).verbose_name}: {_tampil(value)}")
        same_state = older is not None and older.status == newer.status
        if not fields and same_state and newer.opd_id == older.opd_id:
            fields.append(_("Data dukung diperbarui"))
        alasan = newer.alasan if older is None or older.alasan != newer.alasan else ""
        changes[newer.history_id] = {"isi": fields, "alasan": alasan}
    return changes


def _tampil(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        from django.utils.formats import number_format

        return number_format(value.normalize(), use_l10n=True, force_grouping=True)
    return str(value)[:80]


def _konteks_halaman(request, pertanyaan, wilayah, jawaban) -> dict:
    user = request.user
    boleh_isi = jawaban.bisa_diubah and user.has_perm("clusters.isi_jawaban", jawaban)
    boleh_setujui = jawaban.status == alur.Status.MENUNGGU_KEPALA and user.has_perm(
        "clusters.setujui_jawaban", jawaban
    )

    def penyetuju():
        return services.penyetuju(jawaban)

    penugasan = list(pertanyaan.penugasan.select_related("opd"))
    lampiran = []
    riwayat = []
    if jawaban.pk:
        lampiran = list(jawaban.lampiran.select_related("diunggah_oleh").order_by("diunggah", "pk"))
        riwayat = list(
            jawaban.history.select_related("history_user").order_by("-history_date")[:50]
        )
    unit_rows = []
    if pertanyaan.per_unit and wilayah is None:
        units = Jawaban.objects.visible_to(user).filter(
            pertanyaan=pertanyaan, wilayah__isnull=False
        )
        unit_rows = list(units.select_related("wilayah").order_by("wilayah__kode"))
    return {
        "pertanyaan": pertanyaan,
        "wilayah": wilayah,
        "jawaban": jawaban,
        "utama": next((t.opd for t in penugasan if t.utama), None),
        "pendukung": [t.opd for t in penugasan if not t.utama],
        "label_pilihan": next(
            (
                o["label"]
                for o in pertanyaan.pilihan(untuk_unit=wilayah is not None)
                if jawaban.fraksi is not None and Decimal(o["fraksi"]) == jawaban.fraksi
            ),
            "",
        ),
        "lampiran_aktif": [
            item for item in lampiran if not item.diganti_oleh_id and not item.dihapus
        ],
        "lampiran_lama": [item for item in lampiran if item.diganti_oleh_id or item.dihapus],
        "riwayat": riwayat,
        "unit_rows": unit_rows,
        "perubahan": _perubahan(riwayat, pertanyaan, wilayah is not None),
        "lewat_batas": jawaban.bisa_diubah
        and pertanyaan.tahun.lewat_batas(opd=services.opd_penanggung(jawaban)),
        "boleh_kirim": jawaban.pk and boleh_isi,
        # Said before sending: an answer nobody but its sender could approve would wait for ever.
        "alasan_kirim": boleh_isi and alur.alasan_tidak_dapat_dikirim(penyetuju(), user),
        "boleh_setujui": boleh_setujui,
        "alasan_setujui": boleh_setujui
        and alur.alasan_tidak_dapat_disetujui(
            jawaban, user, penyetuju=penyetuju, jenis=_("jawaban")
        ),
        "boleh_verifikasi": jawaban.pk and user.has_perm("clusters.verifikasi_jawaban"),
        "form_alasan": AlasanForm(),
        "form_verifikasi": VerifikasiForm(
            initial={"poin": jawaban.poin_opd}, pertanyaan=pertanyaan
        ),
        "form_ganti": GantiBerkasForm(),
        "url_halaman": _halaman(pertanyaan, wilayah),
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
        request, step, tujuan=tujuan, success=success, jawaban=jawaban, **kwargs
    )


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


@require_POST
@login_required
def jawaban_setujui(request, pk):
    jawaban = _jawaban_untuk(request, pk, "clusters.setujui_jawaban")
    return _langkah(
        request,
        jawaban,
        services.jawaban_setujui,
        _("Jawaban disetujui dan diteruskan ke Sekretariat."),
    )


@require_POST
@login_required
def jawaban_tolak(request, pk):
    jawaban = _jawaban_untuk(request, pk, "clusters.setujui_jawaban")
    return _langkah(
        request,
        jawaban,
        services.jawaban_tolak,
        _("Jawaban dikembalikan ke operator."),
        alasan=_alasan(request),
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
        poin=form.cleaned_data["poin"],
    )


@require_POST
@login_required
def jawaban_kembalikan(request, pk):
    jawaban = _jawaban_untuk(request, pk, "clusters.verifikasi_jawaban")
    return _langkah(
        request,
        jawaban,
        services.jawaban_kembalikan,
        _("Jawaban dikembalikan ke OPD dengan alasan."),
        alasan=_alasan(request),
    )


@require_POST
@login_required
def jawaban_buka_kembali(request, pk):
    jawaban = _jawaban_untuk(request, pk, "clusters.verifikasi_jawaban")
    return _langkah(
        request,
        jawaban,
        services.jawaban_buka_kembali,
        _("Jawaban dibuka kembali."),
        alasan=_alasan(request),
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
    daftar = (
        Jawaban.objects.filter(pertanyaan__tahun=tahun, status=alur.Status.MENUNGGU_VERIFIKASI)
        .select_related("pertanyaan__indikator__kelompok", "wilayah", "opd")
        .order_by("diubah")
    )
    opd = request.GET.get("opd", "")
    if opd.isdigit():
        daftar = daftar.filter(Q(opd_id=opd))
    return render(
        request,
        "clusters/antrean_verifikasi.html",
        {"tahun": tahun, "daftar": daftar, "opd_pilihan": Opd.objects.aktif(), "opd": opd},
    )


@require_POST
@perlu_izin("clusters.kelola_evaluasi")
def perpanjangan_beri(request, tahun):
    record = get_object_or_404(TahunEvaluasi, tahun=tahun)
    form = PerpanjanganForm(request.POST)
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
