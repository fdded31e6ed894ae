"""Score snapshots: read the year once, compute in memory (clusters.scoring), write at once.

Each kab/kota has its own score for a year (``EvaluasiDaerah``, ``SkorSnapshot.daerah``). Any
change that affects a city's points calls ``skor_perlu_dihitung``. In the change's own
transaction it marks the city's year (``EvaluasiDaerah.skor_perlu_dihitung_sejak``; a change to
the instrument or the bands marks every city served), so the need to recompute is as durable as
the change; on commit it queues one recompute per city and year, and a
burst of changes collapses into one: the first change of a burst sets a flag in the cache and
queues the task a few seconds later; later changes find the flag and queue nothing; the task
clears the flag before it reads, so a change made while it runs queues the next recompute.
The task reads everything, computes, then writes the snapshot in one short transaction, and
clears the year's mark there unless a change set it again meanwhile: a worker that dies
half-way leaves the previous snapshot in place, and running it twice gives the same figures.

When the broker or the cache (Redis) does not answer, the change is still saved and the save
still succeeds: the cache is skipped (no collapsing, a duplicate recompute is harmless), the
task is not sent, and the mark stays. Every worker that starts, and Celery beat every minute,
queue a recompute of each marked city's year (``skor_antrekan_tertunda``), so the score catches up
by itself once the broker is back.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import (
    Case,
    Exists,
    F,
    Field,
    FilteredRelation,
    Max,
    OuterRef,
    Q,
    Value,
    When,
)
from django.utils import timezone

from agencies.models import Wilayah
from clusters import alur, scoring
from clusters.models import (
    KATEGORI_BAKU,
    EvaluasiDaerah,
    Indikator,
    Jawaban,
    Kategori,
    Kelompok,
    Lampiran,
    Pertanyaan,
    SkorSnapshot,
    TahunEvaluasi,
    VerifikasiProvinsi,
)
from clusters.rincian import (
    Poin,
    RincianIndikator,
    RincianKelengkapan,
    RincianKelompok,
    RincianOpd,
    RincianUnit,
    angka,
    pertanyaan_json,
    rincian_json,
)
from kla_portal.cache import cache_add, cache_delete, cache_set
from kla_portal.sql_tersimpan import baris_tersimpan

log = logging.getLogger(__name__)

BELUM_DIJAWAB = "belum"
# How long past its countdown the "a recompute is queued" flag lives: if the task is lost (a
# broker restart), the next change after that queues a new one; a duplicate is harmless.
SISA_PENANDA = 60


def kunci_antrean(tahun_id: int, daerah_id: int) -> str:
    return f"skor:antre:{tahun_id}:{daerah_id}"


def skor_perlu_dihitung(*, tahun_id: int, daerah_id: int | None) -> None:
    """Mark a kab/kota's year as needing a recompute (every city served when ``daerah_id`` is
    None: the instrument or the bands changed), in the current transaction, and queue one when
    the transaction commits (collapsed). Never fails the change: see the module's note."""
    daerah = (
        [daerah_id] if daerah_id else list(Wilayah.objects.dilayani().values_list("pk", flat=True))
    )
    _tandai(tahun_id, daerah)
    for d in daerah:
        transaction.on_commit(lambda d=d: _antrekan(tahun_id, d))


def _tandai(tahun_id: int, daerah: list[int]) -> None:
    """Mark the cities' year now: one statement, inserting the city's row the first time."""
    sekarang = timezone.now()
    EvaluasiDaerah.objects.bulk_create(
        [
            EvaluasiDaerah(tahun_id=tahun_id, daerah_id=d, skor_perlu_dihitung_sejak=sekarang)
            for d in daerah
        ],
        update_conflicts=True,
        unique_fields=["tahun", "daerah"],
        update_fields=["skor_perlu_dihitung_sejak"],
    )


def _antrekan(tahun_id: int, daerah_id: int, *, segera: bool = False) -> bool:
    """Send the recompute to the broker; False when it does not take it (logged)."""
    jeda = 0 if segera else settings.SKOR_JEDA_DETIK
    kunci = kunci_antrean(tahun_id, daerah_id)
    if segera:
        cache_set(kunci, "1", timeout=jeda + SISA_PENANDA)
    elif cache_add(kunci, "1", timeout=jeda + SISA_PENANDA) is False:
        return True  # a recompute is already queued and has not started reading yet
    from clusters.tasks import hitung_skor

    try:
        hitung_skor.apply_async((tahun_id, daerah_id), countdown=jeda)
    except Exception:  # kombu and redis raise driver-specific errors
        cache_delete(kunci)
        log.warning(
            "Hitung ulang skor tahun %s daerah %s tidak dapat diantrekan (broker tidak "
            "menjawab); dihitung setelah pekerja berjalan lagi",
            tahun_id,
            daerah_id,
            exc_info=True,
        )
        return False
    return True


def skor_hitung_segera(*, tahun_id: int, daerah_id: int) -> bool:
    """Queue a recompute of a city's year now, whatever is queued already (the secretariat's
    button). False when the broker does not take it: the city's year is then marked, to be
    recomputed once a worker runs again."""
    if _antrekan(tahun_id, daerah_id, segera=True):
        return True
    _tandai(tahun_id, [daerah_id])
    return False


def skor_antrekan_tertunda() -> list[tuple[int, int]]:
    """Queue a recompute of every city's year marked as needing one (a change whose own
    recompute could not be queued, or is queued and not run yet; collapsed as usual). One
    query."""
    tertunda = list(EvaluasiDaerah.objects.perlu_dihitung().values_list("tahun_id", "daerah_id"))
    for tahun_id, daerah_id in tertunda:
        _antrekan(tahun_id, daerah_id)
    return tertunda


def skor_periksa_basi() -> list[tuple[int, int]]:
    """Queue a recompute of every city's year whose answers changed after its newest snapshot
    was read: the safety net for a lost task or a change made outside the services. Two
    queries."""
    skor_per = {
        (tahun_id, daerah_id): per
        for tahun_id, daerah_id, per in SkorSnapshot.objects.values("tahun_id", "daerah_id")
        .annotate(per=Max("data_per"))
        .values_list("tahun_id", "daerah_id", "per")
    }
    basi = []
    for tahun_id, daerah_id, terakhir in (
        Jawaban.objects.values("pertanyaan__tahun_id", "daerah_id")
        .annotate(terakhir=Max("diubah"))
        .values_list("pertanyaan__tahun_id", "daerah_id", "terakhir")
    ):
        per = skor_per.get((tahun_id, daerah_id))
        if per is None or terakhir > per:
            _antrekan(tahun_id, daerah_id)
            basi.append((tahun_id, daerah_id))
    return basi


def kategori_isi_baku(*, tahun: TahunEvaluasi) -> None:
    """Give a year the standard category bands (KATEGORI_BAKU) if it has none."""
    if not tahun.kategori.exists():
        Kategori.objects.bulk_create(
            Kategori(tahun=tahun, nama=nama, poin_min=minimum) for nama, minimum in KATEGORI_BAKU
        )


def ambang(tahun: TahunEvaluasi) -> list[tuple[str, object]]:
    return list(_ambang(tahun.pk))


def _ambang(tahun_id: int):
    return Kategori.objects.filter(tahun_id=tahun_id).values_list("nama", "poin_min")


def skor_hitung(*, tahun: TahunEvaluasi, daerah_id: int | None = None) -> SkorSnapshot:
    """Compute and store a kab/kota's snapshot of the year (``daerah_id``; from the command
    line and the demo, the first city served); returns it. Clears the city's "needs a
    recompute" mark as read before the data, unless a change set it again since.

    Ten to thirteen queries whatever the size of the instrument or the number of answers
    (tests/clusters/test_skor_cepat.py): the city's mark, six to read (``_baca``), then in one
    transaction three to six: lock the city's year, insert the snapshot, list the city's
    snapshots of the year, delete today's older one (when there is one), clear the older
    detail (on a day's first recompute), clear the mark (when it is set). Django's query log
    also shows the transaction's BEGIN and COMMIT (in a test, its savepoint and release): 12
    to 15 entries. The reads' and the tidying's SQL is built once per process, year and city
    (kla_portal.sql_tersimpan)."""
    if daerah_id is None:
        daerah_id = Wilayah.objects.kabkota_dilayani().pk
    cache_delete(kunci_antrean(tahun.pk, daerah_id))
    evaluasi = EvaluasiDaerah.objects.filter(tahun=tahun, daerah_id=daerah_id)
    tanda = evaluasi.values_list("skor_perlu_dihitung_sejak", flat=True).first()
    mulai = time.monotonic()
    data_per = timezone.now()
    rincian, total, total_provinsi = _rincian(tahun, daerah_id)
    with transaction.atomic():
        _kunci(tahun.pk, daerah_id)
        snapshot = SkorSnapshot.objects.create(
            daerah_id=daerah_id,
            tahun=tahun,
            data_per=data_per,
            durasi_ms=int((time.monotonic() - mulai) * 1000),
            total_mandiri=total.mandiri,
            total_verifikasi=total.verifikasi,
            total_berbukti=total.berbukti,
            total_provinsi=total_provinsi,
            rincian=rincian,
        )
        _rapikan(tahun, daerah_id)
        if tanda is not None:
            evaluasi.filter(skor_perlu_dihitung_sejak=tanda).update(skor_perlu_dihitung_sejak=None)
    return snapshot


def _kunci(tahun_id: int, daerah_id: int) -> None:
    """One writer per city's year at a time, so two recomputes never tidy each other's
    snapshot; other cities' recomputes write beside it (a province's cities on several
    workers). On PostgreSQL a transaction-level advisory lock on (year, city), taken in the same
    statement that lets this transaction commit without waiting for the disk: a snapshot is
    derived data, and a crash in the next moment loses at most this one (its city's mark,
    cleared in the same transaction, then stays set and the recompute runs again). SQLite's
    transactions take its one write lock as they begin (IMMEDIATE); the year's row is read
    for update there, as before, which locks nothing more."""
    conn = connections[router.db_for_write(SkorSnapshot)]
    if conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('synchronous_commit', 'off', true), "
                "pg_advisory_xact_lock(%s, %s)",
                [tahun_id, daerah_id],
            )
    else:
        _tersimpan((tahun_id, daerah_id), "kunci", lambda: _kunci_tahun(tahun_id))


def _tersimpan(kunci: tuple, nama: str, bangun) -> list:
    """The rows of one of the recompute's queries, its SQL built once per process and key
    (year and city)."""
    # The database written to: the lock and the tidying run in the recompute's transaction.
    return baris_tersimpan(
        (router.db_for_write(SkorSnapshot), "clusters.skor", nama, *kunci), bangun
    )


def _kunci_tahun(tahun_id: int):
    return TahunEvaluasi.objects.select_for_update().filter(pk=tahun_id).values_list("pk")


def _rapikan(tahun: TahunEvaluasi, daerah_id: int) -> None:
    """Keep one snapshot per day (its totals, for the trend) and, in full, the one read from
    the newest data (which is not always the one just written). One query to list them, then
    one to delete and one to clear the older detail, each only when there is something to."""
    per_hari: dict = {}
    buang, berisi = [], []
    for pk, data_per, ada_rincian in _tersimpan(
        (tahun.pk, daerah_id),
        "rapikan",
        lambda: (
            SkorSnapshot.objects.filter(tahun_id=tahun.pk, daerah_id=daerah_id)
            .annotate(ada_rincian=Q(rincian__isnull=False))
            .order_by("-data_per")
            .values_list("pk", "data_per", "ada_rincian")
        ),
    ):
        hari = timezone.localdate(data_per)
        if hari in per_hari:
            buang.append(pk)
        else:
            per_hari[hari] = pk
            if ada_rincian:
                berisi.append(pk)
    if buang:
        SkorSnapshot.objects.filter(pk__in=buang).delete()
    terbaru = per_hari[max(per_hari)]
    if kosongkan := [pk for pk in berisi if pk != terbaru]:
        SkorSnapshot.objects.filter(pk__in=kosongkan).update(rincian=None)


@dataclass
class _Bacaan:
    """What a recompute reads of a year: plain rows, six queries."""

    kelompok: list  # (id, nama, urutan)
    indikator: list  # (id, kode, nama, kelompok_id, nilai_max)
    pertanyaan: list[dict]  # _KOLOM_PERTANYAAN and the lead agency's id
    jawaban: list[scoring.Isian]
    unit: list  # (pertanyaan_id, wilayah_id, memenuhi: 1, 0 or None, status)
    opd: dict[int, tuple]  # id: (singkatan, nama)
    kategori: list  # (nama, poin_min)


_KOLOM_PERTANYAAN = (
    "id",
    "kode",
    "teks",
    "indikator_id",
    "nilai_max",
    "cara_penilaian",
    "wajib_lampiran",
    "lingkup",
)
# In scoring.Isian's order.
_KOLOM_JAWABAN = (
    "pertanyaan_id",
    "status",
    "fraksi",
    "cakupan_persen",
    "poin_langsung",
    "poin_verifikator",
    "ada_lampiran",
    "poin_provinsi",
)


def _kueri(tahun_id: int, daerah_id: int) -> dict:
    """The six reads of a city's year, as functions that build their querysets: their SQL is
    built once per process, year and city (kla_portal.sql_tersimpan)."""
    # A kecamatan or kelurahan meets its question when its grade is above nought: told by
    # the database as 1 or 0 (None while unanswered), and kept as it comes. A plain Field:
    # Django converts nothing (it would call int() on each of thousands of integers).
    memenuhi = Case(
        When(fraksi__isnull=True, then=None),
        When(fraksi__gt=0, then=Value(1)),
        default=Value(0),
        output_field=Field(null=True),
    )
    return {
        "kelompok": lambda: Kelompok.objects.filter(tahun_id=tahun_id).values_list(
            "id", "nama", "urutan"
        ),
        "indikator": lambda: Indikator.objects.filter(tahun_id=tahun_id).values_list(
            "id", "kode", "nama", "kelompok_id", "nilai_max"
        ),
        # The city's lead agency (at most one per question: penugasan_satu_utama) joined, with
        # its names.
        "pertanyaan": lambda: (
            Pertanyaan.objects.filter(tahun_id=tahun_id)
            .annotate(
                lead=FilteredRelation(
                    "penugasan",
                    condition=Q(penugasan__utama=True, penugasan__daerah_id=daerah_id),
                )
            )
            .values_list(
                *_KOLOM_PERTANYAAN, "lead__opd_id", "lead__opd__singkatan", "lead__opd__nama"
            )
        ),
        "jawaban": lambda: (
            Jawaban.objects.filter(
                daerah_id=daerah_id, pertanyaan__tahun_id=tahun_id, wilayah__isnull=True
            )
            .annotate(
                ada_lampiran=Exists(Lampiran.objects.aktif().filter(jawaban=OuterRef("pk"))),
                # The province's accepted check, joined by the city too: read through the
                # city's index, not by scanning every city's checks.
                diterima=FilteredRelation(
                    "verifikasi_provinsi",
                    condition=Q(
                        verifikasi_provinsi__daerah_id=daerah_id,
                        verifikasi_provinsi__status=VerifikasiProvinsi.Status.DITERIMA,
                    ),
                ),
                poin_provinsi=F("diterima__poin"),
            )
            .values_list(*_KOLOM_JAWABAN)
        ),
        "unit": lambda: (
            Jawaban.objects.filter(
                daerah_id=daerah_id, pertanyaan__tahun_id=tahun_id, wilayah__isnull=False
            )
            .annotate(memenuhi=memenuhi)
            .values_list("pertanyaan_id", "wilayah_id", "memenuhi", "status")
        ),
        "kategori": lambda: _ambang(tahun_id),
    }


def _baca(tahun: TahunEvaluasi, daerah_id: int) -> _Bacaan:
    kunci = (tahun.pk, daerah_id)
    baris = {
        nama: _tersimpan(kunci, nama, bangun)
        for nama, bangun in _kueri(tahun.pk, daerah_id).items()
    }
    pertanyaan = []
    opd = {}
    for *kolom, opd_id, singkatan, nama in baris["pertanyaan"]:
        soal = dict(zip(_KOLOM_PERTANYAAN, kolom, strict=True))
        soal["opd_id"] = opd_id
        pertanyaan.append(soal)
        if opd_id:
            opd[opd_id] = (singkatan, nama)
    return _Bacaan(
        kelompok=baris["kelompok"],
        indikator=baris["indikator"],
        pertanyaan=pertanyaan,
        jawaban=[scoring.Isian(*j) for j in baris["jawaban"]],
        unit=baris["unit"],
        opd=opd,
        kategori=baris["kategori"],
    )


def _hitung(bacaan: _Bacaan, hitung=scoring.hitung):
    return hitung(
        indikator=[
            scoring.Ind(id=i, kelompok_id=kelompok_id, nilai_max=nilai_max)
            for i, _kode, _nama, kelompok_id, nilai_max in bacaan.indikator
        ],
        soal=[
            scoring.Soal(
                id=p["id"],
                indikator_id=p["indikator_id"],
                nilai_max=p["nilai_max"],
                cara=p["cara_penilaian"],
                wajib_lampiran=p["wajib_lampiran"],
                opd_id=p["opd_id"],
            )
            for p in bacaan.pertanyaan
        ],
        isian=bacaan.jawaban,
    )


def _rincian(tahun: TahunEvaluasi, daerah_id: int) -> tuple[dict, scoring.Tiga, Decimal | None]:
    """The year's figures at every level as the snapshot stores them (clusters.rincian), its
    totals, and the province's total. The questions and per-unit answers are written straight
    from what was read: no typed record is built only to be turned into JSON."""
    bacaan = _baca(tahun, daerah_id)
    hasil = _hitung(bacaan)
    kelompok = hasil.kelompok
    rincian = rincian_json(
        total=Poin(**angka(hasil.total)),
        kategori=bacaan.kategori,
        kategori_total={
            k: scoring.kategori(getattr(hasil.total, k), bacaan.kategori) for k in scoring.TOTAL
        },
        kelompok=[
            RincianKelompok(
                id=g, nama=nama, urutan=urutan, **angka(kelompok.get(g) or scoring.Tiga())
            )
            for g, nama, urutan in bacaan.kelompok
        ],
        indikator=[_indikator(i, hasil) for i in bacaan.indikator],
        pertanyaan=_pertanyaan(bacaan, hasil),
        opd=[
            RincianOpd(
                id=opd_id,
                singkatan=bacaan.opd[opd_id][0] if opd_id else "",
                nama=bacaan.opd[opd_id][1] if opd_id else "",
                **angka(figures),
            )
            for opd_id, figures in hasil.opd.items()
        ],
        kelengkapan=_kelengkapan(bacaan),
        unit=RincianUnit.baris_json(bacaan.unit),
        status_label={s.value: str(s.label) for s in alur.Status},
    )
    return rincian, hasil.total, _hitung(bacaan, scoring.total_provinsi)


def _indikator(i: tuple, hasil: scoring.HasilSkor) -> RincianIndikator:
    ind_id, kode, nama, kelompok_id, _nilai_max = i
    dibatasi = hasil.dibatasi.get(ind_id)
    return RincianIndikator(
        id=ind_id,
        kode=kode,
        nama=nama,
        kelompok_id=kelompok_id,
        **angka(hasil.indikator[ind_id]),
        # The uncapped sums of its questions, where the cap bites (ATURAN_BATAS).
        dibatasi=None if dibatasi is None else Poin(**angka(dibatasi)),
    )


def _pertanyaan(bacaan: _Bacaan, hasil: scoring.HasilSkor) -> list[dict]:
    """Each question as stored (clusters.rincian.pertanyaan_json)."""
    jawaban = {j.pertanyaan_id: j for j in bacaan.jawaban}
    hasil_soal, skala = hasil.soal, hasil.soal_skala
    rows = []
    for p in bacaan.pertanyaan:
        skor, isian = hasil_soal[p["id"]], jawaban.get(p["id"])
        rows.append(
            pertanyaan_json(
                soal=p,
                angka=skor,
                skala=skala[p["id"]],
                presisi_skala=scoring.PRESISI_SKALA,
                cakupan_persen=None if isian is None else isian.cakupan_persen,
                status=BELUM_DIJAWAB if isian is None else isian.status,
                tanda=(skor.terjawab, skor.diverifikasi, skor.kurang_bukti, p["wajib_lampiran"]),
            )
        )
    return rows


def _kelengkapan(bacaan: _Bacaan) -> tuple[RincianKelengkapan, ...]:
    """Per lead agency and group: how many questions are in each state."""
    status = {j.pertanyaan_id: j.status for j in bacaan.jawaban}
    ind_kelompok = {i[0]: i[3] for i in bacaan.indikator}
    kelengkapan: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for p in bacaan.pertanyaan:
        keadaan = status.get(p["id"], BELUM_DIJAWAB)
        kelengkapan[(p["opd_id"], ind_kelompok[p["indikator_id"]])][keadaan] += 1
    return tuple(
        RincianKelengkapan(opd_id, kelompok_id, dict(counts))
        for (opd_id, kelompok_id), counts in kelengkapan.items()
    )
