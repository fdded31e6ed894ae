"""The import benches: the 5,000-row RAD plan import and the answer import, each against a bulk
insert of the rows the check parsed, twice: the write alone (the confirm step, given the checked
report: goal 3x) and the whole import (read, check, write: for information); the RAD import's
peak memory at 1,000 and 5,000 rows, each in a fresh process."""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.ukur import median_bergantian, median_run, puncak, report

N_RAD = 5000
PUNCAK_RAD = (1000, 5000)
_tahun_mulai = iter(range(2040, 2400, 5))  # a plan period of its own for every file


def _opd_rad() -> list[str]:
    from agencies.models import Opd

    return list(
        Opd.objects.aktif()
        .exclude(jenis=Opd.Jenis.KECAMATAN)
        .order_by("pk")
        .values_list("singkatan", flat=True)[:20]
    )


def berkas_rad(n: int) -> tuple:
    """A new plan period and an XLSX plan of ``n`` new actions with five years of targets."""
    from agencies.models import Wilayah
    from kla_portal.ekspor import buku_xlsx
    from rencana_aksi import impor
    from rencana_aksi.models import PeriodeRad

    opd = _opd_rad()
    periode = PeriodeRad.objects.create(
        daerah=Wilayah.objects.kabkota_dilayani(),
        tahun_mulai=(t := next(_tahun_mulai)),
        tahun_selesai=t + 4,
    )
    kolom = list(impor.KOLOM_RENCANA)
    kolom += [f"{jenis}_{tahun}" for tahun in periode.tahun_list for jenis in impor.TAHUNAN]
    rows = []
    for i in range(n):
        row = [
            f"{i % 6}.{i:05d}",
            f"Aksi {i}",
            f"Klaster {('I', 'II', 'III', 'IV', 'V')[i % 5]}",
            f"Indikator {i % 26 + 1}",
            "1.02.02",
            "Program pemenuhan upaya kesehatan",
            "1.02.02.2.01",
            "Penyediaan fasilitas pelayanan kesehatan",
            "1.02.02.2.01.0001",
            "Pengembangan puskesmas ramah anak",
            "Puskesmas ramah anak",
            "unit",
            "1,5",
            opd[i % len(opd)],
            opd[(i + 1) % len(opd)],
            "Berjalan",
        ]
        for tahun in periode.tahun_list:
            row += [tahun % 7 + 1, 1_000_000 * (i % 97 + 1), "APBD"]
        rows.append(row)
    return periode, buku_xlsx("Rencana", kolom, rows)


def impor_rad(periode, isi: bytes) -> None:
    """The portal's RAD plan import: rencana_aksi.impor checks, impor.tulis.rad_impor writes."""
    from agencies.models import User
    from rencana_aksi import impor
    from rencana_aksi.impor import tulis

    bappeda = User.objects.get(username="bappeda")
    laporan = impor.periksa_berkas("rencana.xlsx", isi, periode=periode, pengguna=bappeda)
    assert laporan.baru and not laporan.ada_galat, laporan.galat[:3]
    tulis.rad_impor(periode=periode, laporan=laporan, by=bappeda)


def tulis_rad(periode, laporan) -> None:
    """The confirm step of the portal's RAD plan import, given the checked report."""
    from agencies.models import User
    from rencana_aksi.impor import tulis

    tulis.rad_impor(periode=periode, laporan=laporan, by=User.objects.get(username="bappeda"))


def _bulk_rad(periode, laporan) -> None:
    """bulk_create of the rows the import leaves in the plan's tables: the actions, their
    supporting agencies and KLA indicators, their yearly targets (no history, no versions)."""
    from rencana_aksi.models import Aksi, AksiIndikator, TargetTahunan
    from rencana_aksi.services import DataAksi

    data = [row.data for row in laporan.tulis]
    bidang = [name for name in DataAksi.FIELDS if name != "opd_utama"]
    aksi = Aksi.objects.bulk_create(
        Aksi(
            periode=periode,
            kode=d.kode,
            opd_utama=d.opd_utama,
            **{name: getattr(d, name) for name in bidang},
        )
        for d in data
    )
    Aksi.opd_pendukung.through.objects.bulk_create(
        Aksi.opd_pendukung.through(aksi=a, opd=o)
        for a, d in zip(aksi, data, strict=True)
        for o in d.opd_pendukung
        if o.pk != d.opd_utama.pk
    )
    AksiIndikator.objects.bulk_create(
        AksiIndikator(aksi=a, kode=k)
        for a, d in zip(aksi, data, strict=True)
        for k in d.indikator_kla
    )
    TargetTahunan.objects.bulk_create(
        TargetTahunan(aksi=a, tahun=tahun, target=target, pagu=pagu, sumber_dana=sumber)
        for a, d in zip(aksi, data, strict=True)
        for tahun, (target, pagu, sumber) in d.target.items()
    )


def ukur_tulis_rad() -> tuple[float, float]:
    """The RAD import's write of N_RAD rows and its baseline (``_bulk_rad``), seconds."""
    from agencies.models import User
    from rencana_aksi import impor

    bappeda = User.objects.get(username="bappeda")

    def berkas_terbaca() -> tuple:
        periode, isi = berkas_rad(N_RAD)
        return periode, impor.periksa_berkas("rencana.xlsx", isi, periode=periode, pengguna=bappeda)

    return median_bergantian(berkas_terbaca, tulis_rad, _bulk_rad)


def bench_impor_rad() -> None:
    """Importing a 5,000-row RAD plan (new actions, five years of targets each) against
    bulk_create of the same parsed rows (``_bulk_rad``): the write (the confirm step, given the
    checked report), then the whole import; and the import's peak memory at 1,000 and 5,000
    rows, each in a fresh process."""
    from agencies import demo as agencies_demo

    agencies_demo.seed()
    tulis, baseline = ukur_tulis_rad()
    # One timed run: reading and checking 5,000 rows is long enough for the ratio to hold still.
    semua = median_run(lambda: berkas_rad(N_RAD), impor_rad, repeat=1)
    folder = Path(tempfile.mkdtemp(prefix="kla-bench-impor-"))
    mb = {}
    for n in PUNCAK_RAD:
        periode, isi = berkas_rad(n)
        (folder / f"rencana-{n}.xlsx").write_bytes(isi)
        mb[n] = puncak("--puncak-impor-rad", str(periode.pk), str(folder / f"rencana-{n}.xlsx"))
    report(
        f"RAD plan import, {N_RAD} rows (write)", tulis, baseline, "bulk_create of the parsed rows"
    )
    report(
        f"RAD plan import, {N_RAD} rows (check + write)",
        semua,
        baseline,
        "bulk_create of the parsed rows",
        "; peak " + ", ".join(f"{mb[n]:.0f} MB at {n} rows" for n in PUNCAK_RAD) + " (process)",
    )


def puncak_impor_rad(periode_pk: str, berkas: str) -> None:
    """In the child: import the file into the plan period."""
    from rencana_aksi.models import PeriodeRad

    impor_rad(PeriodeRad.objects.get(pk=int(periode_pk)), Path(berkas).read_bytes())


def tahun_terbuka(tahun_angka: int):
    """The 2024 instrument in a year of its own, led by DP3AP2KB and open for answers."""
    from agencies.models import Opd, User
    from clusters import demo, instrumen, services
    from clusters.models import Pertanyaan

    admin = User.objects.get(username="admin")
    tahun = services.tahun_buat(tahun=tahun_angka, by=admin)
    rows = instrumen.baca_tabel(demo.BERKAS_2024.name, demo.BERKAS_2024.read_bytes())
    services.instrumen_impor(
        tahun=tahun, laporan=instrumen.periksa(rows, nama_dikenal=set()), by=admin
    )
    services.penugasan_atur(
        pertanyaan_list=list(Pertanyaan.objects.filter(tahun=tahun)),
        utama=Opd.objects.get(singkatan="DP3AP2KB"),
        pendukung=[],
        by=admin,
    )
    services.tahun_ubah(tahun=tahun, by=admin, dibuka=True, batas_waktu=None)
    return tahun


def bench_impor_jawaban() -> None:
    """Importing the demo's 2024 answers (the template the portal offers, downloaded with the
    answers filled in) into a fresh year with the same instrument, against bulk_create of the
    parsed answers: the write (the confirm step, given the checked report), then the whole
    import (read, check, write)."""
    from agencies import demo as agencies_demo
    from agencies.models import User
    from clusters import demo, impor_jawaban, services
    from clusters.models import Jawaban, TahunEvaluasi
    from kla_portal.ekspor import buku_xlsx
    from kla_portal.tabel import baca_tabel

    agencies_demo.seed()
    demo.seed()
    admin = User.objects.get(username="admin")
    tahun_demo = TahunEvaluasi.objects.get(tahun=2024)
    isi = buku_xlsx("Jawaban", *impor_jawaban.templat(tahun=tahun_demo, pengguna=admin))
    tahun = tahun_terbuka(2031)

    def kosongkan() -> tuple:
        Jawaban.objects.filter(pertanyaan__tahun=tahun).delete()
        return ()

    def periksa():
        rows = baca_tabel("jawaban.xlsx", isi)
        laporan = impor_jawaban.periksa(rows, tahun=tahun, pengguna=admin)
        assert laporan.tulis and not laporan.ada_galat, laporan.galat[:3]
        return laporan

    def impor_portal() -> None:
        services.jawaban_impor(tahun=tahun, laporan=periksa(), by=admin)

    def tulis(laporan) -> None:
        services.jawaban_impor(tahun=tahun, laporan=laporan, by=admin)

    def bulk(laporan) -> None:
        Jawaban.objects.bulk_create(
            Jawaban(daerah_id=admin.daerah_id, pertanyaan=row.pertanyaan, **row.nilai())
            for row in laporan.tulis
        )

    def siapkan() -> tuple:
        kosongkan()
        return (periksa(),)

    tulis_detik, baseline = median_bergantian(siapkan, tulis, bulk, repeat=7)
    semua = median_run(kosongkan, impor_portal, repeat=7)
    baris = Jawaban.objects.filter(pertanyaan__tahun=tahun).count()
    report(
        f"answer import, {baris} answers (write)",
        tulis_detik,
        baseline,
        "bulk_create of the parsed rows",
    )
    report(
        f"answer import, {baris} answers (check + write)",
        semua,
        baseline,
        "bulk_create of the parsed rows",
    )
