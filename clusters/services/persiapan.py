"""Preparing a year: the year itself, its instrument, the agency mapping and assignments.

Keyword-only functions, each in one transaction, refusing with an Indonesian ValidationError.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history

from agencies import services as agencies_services
from agencies.models import Opd, Peran, User, Wilayah
from clusters import scoring
from clusters.instrumen import LaporanInstrumen
from clusters.models import (
    Indikator,
    Jawaban,
    Kelompok,
    Penugasan,
    Pertanyaan,
    SumberData,
    TahunEvaluasi,
)
from clusters.services.kelana_dekela import fasilitas_usulkan_pemetaan
from clusters.services.skor import kategori_isi_baku, skor_perlu_dihitung
from kla_portal.impor import MASIH_GALAT, PERTANYAAN, HasilImpor

# --- The year and its instrument ------------------------------------------------------------


def tahun_buat(*, tahun: int, by: User, batas_waktu=None) -> TahunEvaluasi:
    """Open the preparation of an evaluation year. Refuses a year that already exists."""
    if TahunEvaluasi.objects.filter(tahun=tahun).exists():
        raise ValidationError({"tahun": _("Tahun evaluasi %(t)s sudah ada.") % {"t": tahun}})
    if not 2000 <= tahun <= 2100:
        raise ValidationError({"tahun": _("Tahun harus antara 2000 dan 2100.")})
    record = TahunEvaluasi(tahun=tahun, batas_waktu=batas_waktu)
    record._history_user = by
    record.save()
    kategori_isi_baku(tahun=record)
    return record


def tahun_ubah(*, tahun: TahunEvaluasi, by: User, batas_waktu, dibuka: bool) -> TahunEvaluasi:
    """Set the deadline and whether agencies may answer. Opening needs an instrument."""
    if dibuka and not tahun.pertanyaan.exists():
        raise ValidationError(_("Impor instrumen tahun ini sebelum membukanya untuk OPD."))
    tahun.batas_waktu = batas_waktu
    tahun.dibuka = dibuka
    tahun._history_user = by
    tahun.save(update_fields=["batas_waktu", "dibuka"])
    skor_perlu_dihitung(tahun_id=tahun.pk, daerah_id=None)
    return tahun


@transaction.atomic
def instrumen_impor(*, tahun: TahunEvaluasi, laporan: LaporanInstrumen, by: User) -> HasilImpor:
    """Write a checked instrument into the year, in one transaction.

    Upserts groups, indicators and questions by their codes, so importing again updates texts
    and weights in place. A question that has answers is never deleted: if the new file drops
    it, it stays and is reported. New data-source names are registered for mapping, and
    questions without agencies get the ones the mapping proposes.
    """
    if not laporan.bisa_diimpor:
        raise ValidationError(MASIH_GALAT)
    indikator = _kelompok_indikator_tulis(tahun, laporan)
    existing = {
        (p.indikator.kode, p.kode): p
        for p in Pertanyaan.objects.filter(tahun=tahun).select_related("indikator")
    }
    baru = diperbarui = 0
    for row in laporan.pertanyaan:
        values = {
            "teks": row.teks,
            "urutan": row.urutan,
            "nilai_max": row.nilai_max,
            "lingkup": row.lingkup,
            "wajib_lampiran": bool(row.petunjuk_lampiran),
            "petunjuk_lampiran": row.petunjuk_lampiran,
            "minta_angka": row.minta_angka,
            "dua_tahun": row.dua_tahun,
            "sumber_data": row.sumber,
        }
        pertanyaan = existing.pop((row.indikator_kode, row.kode), None)
        if pertanyaan is None:
            cara = Pertanyaan.CaraPenilaian.OPSI
            if row.lingkup != Pertanyaan.Lingkup.KABKOTA:
                cara = Pertanyaan.CaraPenilaian.CAKUPAN
            Pertanyaan.objects.create(
                tahun=tahun,
                indikator=indikator[row.indikator_kode],
                kode=row.kode,
                cara_penilaian=cara,
                **values,
            )
            baru += 1
        else:
            values["indikator"] = indikator[row.indikator_kode]
            if any(getattr(pertanyaan, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(pertanyaan, name, value)
                pertanyaan.save()
                _hitung_ulang_poin(pertanyaan, by)
                diperbarui += 1
    dihapus, dipertahankan = _hapus_yang_hilang(existing)
    Indikator.objects.filter(tahun=tahun, pertanyaan__isnull=True).exclude(
        kode__in=indikator
    ).delete()
    Kelompok.objects.filter(tahun=tahun, indikator__isnull=True).delete()

    # The instrument is the installation's; each kab/kota maps its names to its own agencies.
    for daerah_id in Wilayah.objects.dilayani().values_list("pk", flat=True):
        sumber_data_siapkan(daerah_id=daerah_id, nama=laporan.sumber_data())
        penugasan_terapkan_pemetaan(tahun=tahun, by=by, daerah_id=daerah_id)
    fasilitas_usulkan_pemetaan(tahun=tahun)
    skor_perlu_dihitung(tahun_id=tahun.pk, daerah_id=None)
    return HasilImpor(
        benda=PERTANYAAN,
        baru=baru,
        diperbarui=diperbarui,
        dihapus=dihapus,
        dipertahankan=dipertahankan,
    )


def _kelompok_indikator_tulis(tahun: TahunEvaluasi, laporan: LaporanInstrumen) -> dict:
    """Upsert the groups and indicators of a checked instrument; indicators by code."""
    kelompok = {}
    for g in laporan.per_kelompok():
        first = next(r for r in laporan.pertanyaan if r.kelompok == g["nama"])
        kelompok[g["nama"]], _baru = Kelompok.objects.update_or_create(
            tahun=tahun, nama=g["nama"], defaults={"urutan": first.kelompok_urutan}
        )
    indikator = {}
    for kode, first in laporan.indikator().items():
        indikator[kode], _baru = Indikator.objects.update_or_create(
            tahun=tahun,
            kode=kode,
            defaults={
                "kelompok": kelompok[first.kelompok],
                "nama": first.indikator_nama,
                "urutan": first.indikator_urutan,
                "nilai_max": first.indikator_max,
            },
        )
    return indikator


def _hapus_yang_hilang(sisa: dict) -> tuple[int, list[str]]:
    """Delete the questions gone from the file; keep (and name) those already answered."""
    dipertahankan = []
    dihapus = 0
    for (kode_ind, kode), pertanyaan in sisa.items():
        if pertanyaan.jawaban.exists():
            dipertahankan.append(f"{kode_ind} {kode}")
        else:
            pertanyaan.delete()
            dihapus += 1
    return dihapus, dipertahankan


def _hitung_ulang_poin(pertanyaan: Pertanyaan, by: User) -> None:
    """A new maximum changes the points of the question's city-level answers."""
    for jawaban in pertanyaan.jawaban.filter(wilayah__isnull=True):
        poin = scoring.poin_pertanyaan(
            nilai_max=pertanyaan.nilai_max,
            cara=pertanyaan.cara_penilaian,
            fraksi=jawaban.fraksi,
            cakupan_persen=jawaban.cakupan_persen,
            poin_langsung=jawaban.poin_langsung,
        )
        if poin != jawaban.poin_opd:
            jawaban.poin_opd = poin
            jawaban._history_user = by
            jawaban.save(update_fields=["poin_opd"])


def _opd_bernama(nama: str, daerah_id: int) -> Opd | None:
    """The agency of the kab/kota whose short name or name is exactly this data-source name,
    if one is."""
    sekota = Opd.objects.aktif().filter(daerah_id=daerah_id)
    return sekota.filter(Q(singkatan__iexact=nama) | Q(nama__iexact=nama)).first()


# --- Mapping and assignment ---------------------------------------------------------------


@transaction.atomic
def sumber_data_petakan(*, pemetaan: dict[int, Opd | None], by: User) -> int:
    """Map data-source names (by SumberData id) to agencies; returns how many changed."""
    changed = 0
    for sumber in SumberData.objects.select_for_update().filter(pk__in=pemetaan):
        opd = pemetaan[sumber.pk]
        if sumber.opd_id != (opd.pk if opd else None):
            sumber.opd = opd
            sumber._history_user = by
            sumber.save()
            changed += 1
    return changed


@transaction.atomic
def sumber_data_siapkan(*, daerah_id: int, nama=None) -> None:
    """Give a kab/kota the instrument's data-source names it has not yet (``nama``; by default
    those of every year imported, for a city served after the import), each mapped to its
    agency of that name when it has one."""
    if nama is None:
        nama = {
            n for daftar in Pertanyaan.objects.values_list("sumber_data", flat=True) for n in daftar
        }
    ada = set(SumberData.objects.filter(daerah_id=daerah_id).values_list("nama", flat=True))
    SumberData.objects.bulk_create(
        SumberData(daerah_id=daerah_id, nama=n, opd=_opd_bernama(n, daerah_id))
        for n in sorted(set(nama) - ada)
    )


def penugasan_terapkan_pemetaan(
    *, tahun: TahunEvaluasi, by: User | None, daerah_id: int | None = None
) -> int:
    """Add the agencies a kab/kota's mapping names (``daerah_id``, by default the one ``by``
    acts for) to each question of the year; returns how many.

    Never removes an agency. The first mapped name of a question becomes its lead agency when
    the question has none.
    """
    daerah_id = daerah_id or by.daerah_id
    mapping = dict(
        SumberData.objects.filter(daerah_id=daerah_id, opd__isnull=False).values_list(
            "nama", "opd_id"
        )
    )
    existing: dict[int, dict[int, bool]] = {}
    for pertanyaan_id, opd_id, utama in Penugasan.objects.filter(
        daerah_id=daerah_id, pertanyaan__tahun=tahun
    ).values_list("pertanyaan_id", "opd_id", "utama"):
        existing.setdefault(pertanyaan_id, {})[opd_id] = utama
    fresh = []
    for pertanyaan in Pertanyaan.objects.filter(tahun=tahun).only("pk", "sumber_data"):
        assigned = existing.get(pertanyaan.pk, {})
        has_lead = any(assigned.values())
        for nama in pertanyaan.sumber_data:
            opd_id = mapping.get(nama)
            if opd_id is None or opd_id in assigned:
                continue
            assigned[opd_id] = not has_lead
            has_lead = True
            fresh.append(
                Penugasan(
                    daerah_id=daerah_id,
                    pertanyaan_id=pertanyaan.pk,
                    opd_id=opd_id,
                    utama=assigned[opd_id],
                )
            )
    bulk_create_with_history(fresh, Penugasan, default_user=by)
    if fresh:
        skor_perlu_dihitung(tahun_id=tahun.pk, daerah_id=daerah_id)
    return len(fresh)


@transaction.atomic
def penugasan_atur(
    *, pertanyaan_list: list[Pertanyaan], utama: Opd, pendukung: list[Opd], by: User
) -> None:
    """Give questions a lead agency and supporting agencies, replacing what they had.

    Used for one question or many at once. Refuses an inactive agency.
    """
    for opd in [utama, *pendukung]:
        if not opd.aktif:
            raise ValidationError(_("OPD %(opd)s sudah tidak aktif.") % {"opd": opd})
    pendukung = [opd for opd in pendukung if opd.pk != utama.pk]
    # City-level answers follow their question to the new lead agency.
    for jawaban in Jawaban.objects.filter(
        daerah_id=utama.daerah_id, pertanyaan__in=pertanyaan_list, wilayah__isnull=True
    ).exclude(opd=utama):
        jawaban.opd = utama
        jawaban._history_user = by
        jawaban.save(update_fields=["opd"])
    for old in Penugasan.objects.filter(daerah_id=utama.daerah_id, pertanyaan__in=pertanyaan_list):
        old._history_user = by
        old.delete()
    fresh = []
    for pertanyaan in pertanyaan_list:
        fresh.append(
            Penugasan(daerah_id=utama.daerah_id, pertanyaan=pertanyaan, opd=utama, utama=True)
        )
        fresh.extend(
            Penugasan(daerah_id=utama.daerah_id, pertanyaan=pertanyaan, opd=opd, utama=False)
            for opd in pendukung
        )
    bulk_create_with_history(fresh, Penugasan, default_user=by)
    for tahun_id in {p.tahun_id for p in pertanyaan_list}:
        skor_perlu_dihitung(tahun_id=tahun_id, daerah_id=utama.daerah_id)
    agencies_services.notifikasi_kirim(
        penerima=agencies_services.pengguna_dengan_peran(peran=Peran.OPERATOR_OPD, opd=utama),
        judul=agencies_services.Teks.dari(
            gettext_noop(
                "%(n)s pertanyaan kini menjadi tanggung jawab %(opd)s, beserta jawabannya."
            ),
            n=len(pertanyaan_list),
            opd=utama.singkatan,
        ),
        tautan="/evaluasi/tugas/",
    )
