"""Reads that assemble the evaluation's pages: the task inbox and the question page. Views parse
the request, call one of these and render; writes stay in clusters.services."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from agencies.fasilitas import Cakupan, baca_cakupan
from agencies.models import Opd, Peran, Wilayah
from clusters import alur, dasbor, services
from clusters.models import (
    Jawaban,
    Penugasan,
    Perpanjangan,
    Pertanyaan,
    TahunEvaluasi,
    boleh_lihat_jawaban,
    wilayah_kerja,
)
from clusters.opsi import label_opsi
from kla_portal import versi as versi_lib
from kla_portal.tabel import tulis_angka

BELUM = "belum"  # the inbox's state of a question not answered yet
LINGKUP_UNIT = {
    Wilayah.Tingkat.KECAMATAN: Pertanyaan.Lingkup.KECAMATAN,
    Wilayah.Tingkat.DESA_KELURAHAN: Pertanyaan.Lingkup.DESA_KELURAHAN,
}


def halaman_jawaban(pertanyaan: Pertanyaan, wilayah: Wilayah | None) -> str:
    """The address of the question's page, for the city or for one unit."""
    if wilayah is None:
        return reverse("clusters:pertanyaan-detail", args=[pertanyaan.pk])
    return reverse("clusters:pertanyaan-unit", args=[pertanyaan.pk, wilayah.kode])


def kursi_jawaban(user, pk: int, kode: str | None) -> tuple[Pertanyaan, Wilayah | None, Jawaban]:
    """The question, the unit and the answer (unsaved when none yet) the question's page (and
    the API's save) is about.

    404 for a question or unit the user may not see, so ids in URLs reveal nothing.
    """
    pertanyaan = get_object_or_404(
        Pertanyaan.objects.visible_to(user)
        .select_related("indikator__kelompok", "tahun")
        .prefetch_related("penugasan"),
        pk=pk,
    )
    wilayah = None
    if kode is not None:
        if not pertanyaan.per_unit:
            raise Http404
        tingkat = {v: k for k, v in LINGKUP_UNIT.items()}[pertanyaan.lingkup]
        # A unit of the person's own city only.
        kota = user.daerah
        wilayah = get_object_or_404(
            Wilayah.objects.select_related("induk"),
            kode=kode,
            kode__startswith=f"{kota.kode if kota else '-'}.",
            tingkat=tingkat,
        )
    if not boleh_lihat_jawaban(user, pertanyaan, wilayah):
        raise Http404
    jawaban = (
        Jawaban.objects.select_related("diubah_oleh", "opd", "wilayah__induk")
        .filter(daerah_id=user.daerah_id, pertanyaan=pertanyaan, wilayah=wilayah)
        .first()
    )
    if jawaban is None:
        lead = None if wilayah else services.opd_utama(pertanyaan, user.daerah_id)
        jawaban = Jawaban(
            daerah_id=user.daerah_id, pertanyaan=pertanyaan, wilayah=wilayah, opd=lead, versi=0
        )
    return pertanyaan, wilayah, jawaban


def lingkup_skor(user) -> dasbor.Lingkup:
    """What the person may see of the score figures beyond the city total (the score pages
    and the score API slice every snapshot with it)."""
    return dasbor.Lingkup(
        seluruh_kota=user.has_perm("agencies.view_seluruh_kota"),
        opd_ids=frozenset(user.opd_ids()),
        wilayah_ids=frozenset(wilayah_kerja(user)),
    )


# --- The inbox ----------------------------------------------------------------------------


@dataclass
class KotakMasuk:
    """The task inbox, named as the page's template reads it."""

    items: list[dict] = field(default_factory=list)  # the rows shown (of the chosen state)
    tabs: list[tuple] = field(default_factory=list)  # (state, label, count)
    pilihan: str = ""
    jumlah: int = 0
    menunggu: list[Jawaban] = field(default_factory=list)  # waiting for this head
    alasan_setujui: list[str] = field(default_factory=list)
    perpanjangan: list[Perpanjangan] = field(default_factory=list)


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


def _baris_agensi(user, tahun: TahunEvaluasi) -> list[tuple]:
    """(question, None, answer) for every question the person's agencies lead: three queries."""
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
                "jawaban",
                queryset=Jawaban.objects.select_related("pertanyaan", "wilayah").filter(
                    daerah_id=user.daerah_id, wilayah__isnull=True
                ),
                to_attr="milik",
            ),
            Prefetch(
                "penugasan",
                queryset=Penugasan.objects.filter(daerah_id=user.daerah_id, utama=True),
                to_attr="utama",
            ),
        )
    )
    return [(p, None, p.milik[0] if p.milik else None) for p in lead]


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


def _item_tugas(tahun: TahunEvaluasi, rows: list[tuple]) -> list[dict]:
    """One inbox row per (question, unit, answer), overdue ones marked
    (TahunEvaluasi.jawaban_terlambat): one query for the extensions in force, once the
    deadline has passed."""
    berlaku = defaultdict(list)
    if tahun.lewat_batas():
        for p in Perpanjangan.objects.filter(tahun=tahun, sampai__gte=timezone.now()):
            berlaku[p.opd_id].append(p)
    kantor = {}  # unit id -> kecamatan office id, whose extension counts for the unit
    items = []
    for pertanyaan, unit, jawaban in rows:
        if unit is None:
            owner = pertanyaan.utama[0].opd_id if pertanyaan.utama else None
        else:
            if unit.pk not in kantor:
                office = services.kantor_kecamatan(unit)
                kantor[unit.pk] = office.pk if office else None
            owner = kantor[unit.pk]
        status = jawaban.status if jawaban else None
        items.append(
            {
                "pertanyaan": pertanyaan,
                "unit": unit,
                "jawaban": jawaban,
                "status": status or BELUM,
                "terlambat": tahun.jawaban_terlambat(
                    status, opd=owner, perpanjangan=berlaku[owner]
                ),
                "url": halaman_jawaban(pertanyaan, unit),
            }
        )
    return items


def antrean_kepala(user, tahun: TahunEvaluasi):
    """The answers of ``tahun`` waiting for this head's approval (their agency's, or their
    kecamatan's and its kelurahan's for a camat), oldest first; none for anyone else."""
    kepala_opd = [k.opd for k in user.keanggotaan_aktif if k.peran == Peran.KEPALA_OPD and k.opd_id]
    if not kepala_opd:
        return Jawaban.objects.none()
    kecamatan = [opd.wilayah_id for opd in kepala_opd if opd.jenis == Opd.Jenis.KECAMATAN]
    return (
        Jawaban.objects.filter(pertanyaan__tahun=tahun, status=alur.Status.MENUNGGU_KEPALA)
        .filter(
            Q(wilayah__isnull=True, opd__in=kepala_opd)
            | Q(wilayah_id__in=kecamatan)
            | Q(wilayah__induk_id__in=kecamatan)
        )
        .order_by("diubah", "pk")
    )


def antrean_setujui(user, tahun: TahunEvaluasi):
    """What this head may approve now: the answers waiting for them that they did not send
    themselves (four eyes), oldest first: the home page's count and the next item after a
    step."""
    return antrean_kepala(user, tahun).exclude(dikirim_oleh=user)


def antrean_verifikasi(tahun: TahunEvaluasi | None, *, daerah_id: int | None, opd_id: str = ""):
    """The city's answers of ``tahun`` approved by their heads, waiting for the secretariat,
    oldest first (of one agency when ``opd_id`` is given)."""
    antrean = Jawaban.objects.filter(
        daerah_id=daerah_id, pertanyaan__tahun=tahun, status=alur.Status.MENUNGGU_VERIFIKASI
    ).order_by("diubah", "pk")
    return antrean.filter(opd_id=opd_id) if opd_id.isdigit() else antrean


def _menunggu_kepala(user, tahun: TahunEvaluasi) -> list[Jawaban]:
    """The answers waiting for this head's approval, each with ``alasan_setujui``."""
    menunggu = antrean_kepala(user, tahun).select_related(
        "pertanyaan__indikator", "wilayah__induk", "opd"
    )
    return _tandai_kirim_sendiri(user, list(menunggu))


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


def kotak_masuk(*, user, tahun: TahunEvaluasi | None, status: str = "") -> KotakMasuk:
    """The questions the person answers or approves in ``tahun``, with their state (only
    ``status`` when one is chosen), overdue ones marked; what waits for this head's approval;
    their agencies' extensions in force."""
    if tahun is None:
        items, menunggu, perpanjangan = [], [], []
    else:
        items = _item_tugas(tahun, _baris_agensi(user, tahun) + _baris_unit(user, tahun))
        menunggu = _menunggu_kepala(user, tahun)
        perpanjangan = list(
            Perpanjangan.objects.filter(
                tahun=tahun, opd_id__in=user.opd_ids(), sampai__gte=timezone.now()
            ).select_related("opd")
        )
    counts = Counter(item["status"] for item in items)
    tabs = [(BELUM, _("Belum dijawab")), *alur.Status.choices]
    return KotakMasuk(
        items=[item for item in items if item["status"] == status] if status else items,
        tabs=[(value, label, counts.get(value, 0)) for value, label in tabs],
        pilihan=status,
        jumlah=sum(counts.values()),
        menunggu=menunggu,
        alasan_setujui=sorted({j.alasan_setujui for j in menunggu} - {""}),
        perpanjangan=perpanjangan,
    )


# --- The question page --------------------------------------------------------------------


def _tampil(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        return number_format(value.normalize(), use_l10n=True, force_grouping=True)
    return str(value)[:80]


def _isi_berubah(newer, older, labels: dict) -> list[str]:
    """The answer's fields ``newer`` changed against ``older`` (None: the first record)."""
    fields = []
    for name in Jawaban.ISIAN:
        value = getattr(newer, name)
        unchanged = older is not None and getattr(older, name) == value
        if unchanged or (older is None and value in (None, "")):
            continue
        if name == "fraksi" and value is not None:
            fields.append(f"{_('Pilihan')}: {labels.get(value, _tampil(value))}")
        else:
            fields.append(f"{Jawaban._meta.get_field(name).verbose_name}: {_tampil(value)}")
    return fields


def perubahan_jawaban(riwayat: list, pertanyaan: Pertanyaan, unit: bool) -> dict:
    """For each history record, what it changed (history is newest first; compared in memory,
    so a long history costs no extra queries). A record that changed neither content nor state
    is an evidence change; a reason shows only where it was given."""
    labels = {
        Decimal(o["fraksi"]): label_opsi(o["label"]) for o in pertanyaan.pilihan(untuk_unit=unit)
    }
    changes = {}
    for index, newer in enumerate(riwayat):
        older = riwayat[index + 1] if index + 1 < len(riwayat) else None
        fields = _isi_berubah(newer, older, labels)
        same_state = older is not None and older.status == newer.status
        berkas = newer.history_change_reason == versi_lib.ALASAN_BERKAS
        if berkas or (not fields and same_state and newer.opd_id == older.opd_id):
            fields.append(_("Data dukung diperbarui"))
        alasan = newer.alasan if older is None or older.alasan != newer.alasan else ""
        changes[newer.history_id] = {"isi": fields, "alasan": alasan}
    return changes


def _label_pilihan(pertanyaan: Pertanyaan, jawaban: Jawaban, unit: bool) -> str:
    if jawaban.fraksi is None:
        return ""
    return next(
        (
            label_opsi(o["label"])
            for o in pertanyaan.pilihan(untuk_unit=unit)
            if Decimal(o["fraksi"]) == jawaban.fraksi
        ),
        "",
    )


def _langkah_jawaban(user, jawaban: Jawaban) -> dict:
    """Which workflow buttons the person sees, and why one of them would be refused."""
    boleh_isi = jawaban.bisa_diubah and user.has_perm("clusters.isi_jawaban", jawaban)
    boleh_setujui = jawaban.status == alur.Status.MENUNGGU_KEPALA and user.has_perm(
        "clusters.setujui_jawaban", jawaban
    )

    def penyetuju():
        return services.penyetuju(jawaban)

    return {
        "boleh_kirim": jawaban.pk and boleh_isi,
        # Said before sending, as jawaban_kirim would refuse: missing required evidence, or
        # nobody but the sender could approve it (it would wait for ever).
        "alasan_kirim": boleh_isi
        and (
            (jawaban.pk and services.alasan_data_dukung_kurang(jawaban))
            or alur.alasan_tidak_dapat_dikirim(penyetuju(), user)
        ),
        "boleh_setujui": boleh_setujui,
        "alasan_setujui": boleh_setujui
        and alur.alasan_tidak_dapat_disetujui(
            jawaban, user, penyetuju=penyetuju, jenis=_("jawaban")
        ),
        "boleh_verifikasi": jawaban.pk and user.has_perm("clusters.verifikasi_jawaban"),
    }


def halaman_pertanyaan(
    *, user, pertanyaan: Pertanyaan, wilayah: Wilayah | None, jawaban: Jawaban
) -> dict:
    """What the question page shows besides its forms: the assigned agencies, the answer's
    evidence (in force and replaced), its history with what each record changed, the units'
    answers (city page of a per-unit question), whether it is overdue and the buttons the
    person sees, named as the template reads them."""
    penugasan = list(
        pertanyaan.penugasan.filter(daerah_id=jawaban.daerah_id or user.daerah_id).select_related(
            "opd"
        )
    )
    lampiran, riwayat = [], []
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
        "label_pilihan": _label_pilihan(pertanyaan, jawaban, wilayah is not None),
        "lampiran_aktif": [
            item for item in lampiran if not item.diganti_oleh_id and not item.dihapus
        ],
        "lampiran_lama": [item for item in lampiran if item.diganti_oleh_id or item.dihapus],
        "riwayat": riwayat,
        "unit_rows": unit_rows,
        "perubahan": perubahan_jawaban(riwayat, pertanyaan, wilayah is not None),
        "lewat_batas": pertanyaan.tahun.jawaban_terlambat(
            jawaban.status, opd=lambda: services.opd_penanggung(jawaban)
        ),
        **_langkah_jawaban(user, jawaban),
        "url_halaman": halaman_jawaban(pertanyaan, wilayah),
    }


# --- Kelana-Dekela: coverage proposed from the facility register -------------------------


@dataclass
class Usulan:
    """A coverage proposed from the register for one question, beside its current answer."""

    pertanyaan: Pertanyaan
    ada: int
    dari: int
    persen: Decimal | None
    jawaban: Jawaban | None

    @property
    def tingkat_label(self) -> str:
        return (
            _("kecamatan")
            if self.pertanyaan.tingkat_fasilitas == Wilayah.Tingkat.KECAMATAN
            else _("kelurahan/desa")
        )

    @property
    def sama(self) -> bool:
        """Whether the answer already holds the proposed coverage."""
        return self.jawaban is not None and self.jawaban.cakupan_persen == self.persen

    @property
    def kalimat(self) -> str:
        return _("%(ada)s dari %(dari)s %(tingkat)s memiliki %(jenis)s (%(persen)s%%)") % {
            "ada": self.ada,
            "dari": self.dari,
            "tingkat": self.tingkat_label,
            "jenis": self.pertanyaan.jenis_fasilitas.singkatan,
            "persen": tulis_angka(self.persen or Decimal(0)),
        }


def cakupan_kota(kabkota: Wilayah | None) -> Cakupan:
    """The facility coverage of a kab/kota's units."""
    units = Wilayah.objects.di_dalam(kabkota) if kabkota else Wilayah.objects.none()
    return baca_cakupan(units)


def usulan_kelana_dekela(
    pertanyaan_qs, *, kabkota: Wilayah | None, cakupan: Cakupan | None = None
) -> list[Usulan]:
    """The proposals for the mapped questions among ``pertanyaan_qs``, with a kab/kota's
    city-level answers: four queries with the register, whatever the number of questions."""
    cakupan = cakupan or cakupan_kota(kabkota)
    soal = list(
        pertanyaan_qs.filter(jenis_fasilitas__isnull=False)
        .select_related("jenis_fasilitas", "indikator")
        .order_by("indikator__urutan", "urutan")
    )
    jawaban = {
        j.pertanyaan_id: j
        for j in Jawaban.objects.filter(daerah=kabkota, pertanyaan__in=soal, wilayah=None)
    }
    hasil = []
    for p in soal:
        hitungan = cakupan.hitungan(p.jenis_fasilitas, p.tingkat_fasilitas)
        hasil.append(Usulan(p, hitungan.ada, hitungan.dari, hitungan.persen, jawaban.get(p.pk)))
    return hasil
