"""What the evaluation bundle says, read from the database in a fixed number of queries.

The figures are the score snapshot's (clusters.services.skor), the tables the dashboards'
(clusters.dasbor, rencana_aksi.tabel), so the bundle, the pages and their XLSX never differ.
Only the answers' own words (the option chosen, the figures, the note) and the evidence files
are read here beside them.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import User, Wilayah
from clusters import dasbor, dasbor_unit, grafik
from clusters.models import Jawaban, Lampiran, Pertanyaan, SkorSnapshot, TahunEvaluasi
from clusters.opsi import label_opsi
from clusters.rincian import RincianSkor, angka
from kla_portal.ekspor import Tabel
from kla_portal.grafik import svg
from kla_portal.tabel import tulis_angka
from rencana_aksi import pemantauan
from rencana_aksi.models import Aksi, Klaster, PeriodeRad
from rencana_aksi.tabel import tabel_aksi, tabel_jumlah

SELURUH_KOTA = dasbor.Lingkup(seluruh_kota=True)


@dataclass
class Soal:
    """One question as the bundle prints it."""

    id: int
    kode: str
    indikator: str
    teks: str
    per_unit: bool
    opd: str
    skor: dict  # max, mandiri, verifikasi, berbukti (the question's own points)
    status: str
    jawaban: str = ""
    angka: list[tuple[str, str]] = field(default_factory=list)
    catatan: str = ""
    unit: str = ""  # for a per-unit question: how many units meet it
    petunjuk: str = ""
    lampiran: list[Lampiran] = field(default_factory=list)
    bukti: list = field(default_factory=list)  # laporan.bukti.Bukti, once prepared

    @property
    def jangkar(self) -> str:
        return f"soal-{self.id}"


@dataclass
class IsiBundel:
    tahun: TahunEvaluasi
    snapshot: SkorSnapshot
    kota: Wilayah | None
    oleh: User | None
    dibuat: datetime.datetime
    ringkasan: dict
    kelompok: list[dict]
    tabel_ringkasan: list[Tabel]
    grafik_kelompok: str
    jumlah_status: list[tuple[str, int]]
    tabel_unit: list[Tabel]
    soal_unit: list[dict]
    rad: dict | None

    @property
    def soal(self) -> list[Soal]:
        return [s for g in self.kelompok for i in g["indikator"] for s in i["soal"]]

    @property
    def nama_kota(self) -> str:
        return self.kota.nama if self.kota else ""


def muat(tahun: TahunEvaluasi, snapshot: SkorSnapshot, *, oleh: User | None) -> IsiBundel:
    """Everything the bundle prints but the evidence files' contents; about a dozen queries,
    whatever the number of questions, answers and files."""
    rincian = snapshot.rincian_skor
    kota = Wilayah.objects.select_related("induk").get(pk=snapshot.daerah_id)
    semua = Wilayah.objects.di_dalam(kota)
    kecamatan = list(semua.kecamatan().values("id", "kode", "nama"))
    kelurahan = list(semua.desa_kelurahan().values("id", "kode", "nama", "induk_id"))
    unit = _unit_per_soal(rincian, {"kecamatan": len(kecamatan), "desa_kelurahan": len(kelurahan)})
    tabel_unit = _tabel_unit(rincian, kecamatan, kelurahan)
    _per_opd_tabel, _rows = dasbor.hilang_per_opd(rincian, SELURUH_KOTA)
    return IsiBundel(
        tahun=tahun,
        snapshot=snapshot,
        kota=kota,
        oleh=oleh,
        dibuat=timezone.now(),
        ringkasan=dasbor.ringkasan(rincian),
        kelompok=_kelompok(rincian, _soal_per_indikator(tahun, snapshot.daerah_id, rincian, unit)),
        tabel_ringkasan=[
            dasbor.tabel_kelompok(rincian, SELURUH_KOTA),
            dasbor.hilang_per_indikator(rincian, SELURUH_KOTA),
            _per_opd_tabel,
        ],
        grafik_kelompok=svg(grafik.kelompok_terhadap_maks(rincian.kelompok))
        if rincian.kelompok
        else "",
        jumlah_status=_jumlah_status(rincian),
        tabel_unit=tabel_unit,
        soal_unit=dasbor_unit.soal_unit(rincian) if tabel_unit else [],
        rad=_rad(tahun.tahun, snapshot.daerah_id),
    )


def _lampiran_per_soal(tahun: TahunEvaluasi, daerah_id: int) -> dict[int, list[Lampiran]]:
    """Each question's evidence files of the city: its own answer's first, then each unit's,
    by Kemendagri code."""
    lampiran = defaultdict(list)
    for berkas in (
        Lampiran.objects.aktif()
        .filter(daerah_id=daerah_id, jawaban__pertanyaan__tahun=tahun)
        .select_related("jawaban__wilayah")
        .order_by("diunggah", "pk")
    ):
        lampiran[berkas.jawaban.pertanyaan_id].append(berkas)
    for daftar in lampiran.values():
        daftar.sort(key=lambda b: b.jawaban.wilayah.kode if b.jawaban.wilayah_id else "")
    return lampiran


def _soal_per_indikator(
    tahun: TahunEvaluasi, daerah_id: int, rincian: RincianSkor, unit: dict[int, str]
) -> dict[int, list[Soal]]:
    """The questions as the bundle prints them, with their answers and files, per indicator."""
    pertanyaan = {
        p.pk: p
        for p in Pertanyaan.objects.filter(tahun=tahun).only(
            "id", "petunjuk_lampiran", "opsi", "lingkup", "cara_penilaian", "nilai_max"
        )
    }
    jawaban = {
        j.pertanyaan_id: j
        for j in Jawaban.objects.filter(
            daerah_id=daerah_id, pertanyaan__tahun=tahun, wilayah__isnull=True
        )
    }
    lampiran = _lampiran_per_soal(tahun, daerah_id)
    kode_indikator = rincian.kode_indikator
    soal_per_indikator = defaultdict(list)
    for p in rincian.pertanyaan:
        record = pertanyaan[p.id]
        soal = Soal(
            id=p.id,
            kode=p.kode,
            indikator=kode_indikator.get(p.indikator_id, ""),
            teks=p.teks,
            per_unit=p.per_unit,
            opd=rincian.singkatan_opd.get(p.opd_id, "") or _("(belum ada OPD penanggung jawab)"),
            skor=angka(p),
            status=rincian.label_status(p.status),
            petunjuk=record.petunjuk_lampiran,
            lampiran=lampiran.get(p.id, []),
            unit=unit.get(p.id, ""),
        )
        _isi_jawaban(soal, record, jawaban.get(p.id))
        soal_per_indikator[p.indikator_id].append(soal)
    return soal_per_indikator


def _kelompok(rincian: RincianSkor, soal_per_indikator: dict[int, list[Soal]]) -> list[dict]:
    """Groups in their order, each with its indicators and their questions."""
    indikator_per_kelompok = defaultdict(list)
    for i in rincian.indikator:
        indikator_per_kelompok[i.kelompok_id].append(
            {
                "id": i.id,
                "kode": i.kode,
                "nama": i.nama,
                "skor": angka(i),
                "batas": dasbor.catatan_batas(i),
                "soal": soal_per_indikator.get(i.id, []),
            }
        )
    return [
        {
            "id": g.id,
            "nama": g.nama,
            "skor": angka(g),
            "indikator": indikator_per_kelompok.get(g.id, []),
        }
        for g in sorted(rincian.kelompok, key=lambda g: g.urutan)
    ]


def _jumlah_status(rincian: RincianSkor) -> list[tuple[str, int]]:
    """How many questions are in each answer state, unanswered first."""
    hitung = Counter(p.status for p in rincian.pertanyaan)
    return [(_("Belum dijawab"), hitung.get("belum", 0))] + [
        (label, hitung.get(kunci, 0)) for kunci, label in rincian.status_label.items()
    ]


def _isi_jawaban(soal: Soal, pertanyaan: Pertanyaan, jawaban: Jawaban | None) -> None:
    """The answer in words: the option chosen, the coverage or the points given."""
    if jawaban is None:
        return
    if jawaban.fraksi is not None and pertanyaan.cara_penilaian == Pertanyaan.CaraPenilaian.OPSI:
        label = next(
            (
                label_opsi(o["label"])
                for o in pertanyaan.pilihan()
                if Decimal(o["fraksi"]) == Decimal(jawaban.fraksi)
            ),
            "",
        )
        soal.jawaban = label or _("Pilihan %(f)s × nilai maksimum") % {
            "f": tulis_angka(jawaban.fraksi)
        }
    elif jawaban.cakupan_persen is not None:
        soal.jawaban = _("Cakupan %(p)s%%") % {"p": tulis_angka(jawaban.cakupan_persen)}
    elif jawaban.poin_langsung is not None and pertanyaan.cara_penilaian == "opsi":
        soal.jawaban = _("%(p)s dari %(m)s (di luar pilihan)") % {
            "p": tulis_angka(jawaban.poin_langsung),
            "m": tulis_angka(pertanyaan.nilai_max),
        }
    elif jawaban.poin_langsung is not None:
        soal.jawaban = _("%(p)s poin") % {"p": tulis_angka(jawaban.poin_langsung)}
    if jawaban.angka_tahun_ini is not None:
        soal.angka.append((_("Angka tahun ini"), tulis_angka(jawaban.angka_tahun_ini)))
    if jawaban.angka_tahun_lalu is not None:
        soal.angka.append((_("Angka tahun lalu"), tulis_angka(jawaban.angka_tahun_lalu)))
    soal.catatan = jawaban.catatan


def _unit_per_soal(rincian: RincianSkor, jumlah_unit: dict[str, int]) -> dict[int, str]:
    """For each per-unit question: of all the city's kecamatan (or kelurahan/desa), how many
    meet it, how many do not, how many have not answered."""
    lingkup = {p.id: p.lingkup for p in rincian.pertanyaan}
    hitung: dict = defaultdict(Counter)
    for u in rincian.unit:
        kunci = "belum" if u.memenuhi is None else "ya" if u.memenuhi else "tidak"
        hitung[u.pertanyaan_id][kunci] += 1
    hasil = {}
    for pertanyaan_id, jenis in lingkup.items():
        semua = jumlah_unit.get(jenis)
        if not semua:
            continue
        c = hitung[pertanyaan_id]
        nama = _("kecamatan") if jenis == "kecamatan" else _("kelurahan/desa")
        hasil[pertanyaan_id] = _(
            "%(ya)s dari %(semua)s %(unit)s memenuhi, %(tidak)s belum memenuhi, %(kosong)s belum "
            "mengisi"
        ) % {
            "ya": c["ya"],
            "semua": semua,
            "unit": nama,
            "tidak": c["tidak"],
            "kosong": semua - c["ya"] - c["tidak"],
        }
    return hasil


def _tabel_unit(rincian: RincianSkor, kecamatan: list[dict], kelurahan: list[dict]) -> list[Tabel]:
    """The sub-district tables of the score pages, with every kecamatan's kelurahan."""
    if not kecamatan:
        return []
    kecamatan_kota, kelurahan_kota, *cakupan = dasbor_unit.unit(
        rincian, kecamatan=kecamatan, kelurahan=kelurahan, lingkup=SELURUH_KOTA
    )
    per_kecamatan = []
    for kec in kecamatan:
        per_kec = dasbor_unit.unit(
            rincian,
            kecamatan=kecamatan,
            kelurahan=kelurahan,
            lingkup=SELURUH_KOTA,
            pilih_kecamatan=kec["id"],
        )[2]
        per_kec.judul = _("Kelurahan/desa di Kecamatan %(nama)s") % {"nama": kec["nama"]}
        per_kec.nama = f"unit-kelurahan-{kec['kode']}"
        if per_kec.baris:
            per_kecamatan.append(per_kec)
    return [kecamatan_kota, kelurahan_kota, *per_kecamatan, *cakupan]


def _rad(tahun: int, daerah_id: int) -> dict | None:
    """The RAD matrix of a city's plan covering the evaluation year (else its newest), for the
    year of the plan nearest to it, with its totals per year, cluster and agency."""
    periode = PeriodeRad.objects.filter(daerah_id=daerah_id).berlaku(tahun)
    if periode is None:
        return None
    tahun_rad = min(max(tahun, periode.tahun_mulai), periode.tahun_selesai)
    aksi = Aksi.objects.filter(periode=periode).prefetch_related("opd_pendukung", "indikator")
    semua_tahun = pemantauan.muat_tahun(aksi, periode.tahun_list, timezone.localdate())
    daftar = semua_tahun[tahun_rad]
    urutan = [label for _value, label in Klaster.choices]
    per_klaster = pemantauan.kelompokkan(
        daftar, lambda k: k.aksi.klaster, lambda k: k.aksi.get_klaster_display()
    )
    per_klaster.sort(key=lambda j: urutan.index(j.nama) if j.nama in urutan else len(urutan))
    per_opd = pemantauan.kelompokkan(
        daftar, lambda k: k.aksi.opd_utama_id, lambda k: k.aksi.opd_utama.singkatan
    )
    matriks = tabel_aksi(daftar, tahun_rad)
    return {
        "periode": periode,
        "tahun": tahun_rad,
        "jumlah": pemantauan.total(daftar, _("Seluruh aksi")),
        "tabel": [
            tabel_jumlah(
                "rad-per-tahun",
                _("Per tahun rencana"),
                _("Tahun"),
                [pemantauan.total(semua_tahun[t], str(t)) for t in periode.tahun_list],
            ),
            tabel_jumlah(
                "rad-per-klaster",
                _("Per kelompok/klaster, %(t)s") % {"t": tahun_rad},
                _("Klaster"),
                per_klaster,
            ),
            tabel_jumlah(
                "rad-per-opd",
                _("Per OPD penanggung jawab, %(t)s") % {"t": tahun_rad},
                _("OPD"),
                per_opd,
            ),
            matriks,
        ],
    }
