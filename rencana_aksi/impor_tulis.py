"""Writing a checked RAD spreadsheet: every row through services.aksi_simpan or
services.realisasi_simpan, in one transaction, so all rows are written or none.

Two imports into the same plan run one after the other (the plan period's row is locked for
the write); each then finds what the other changed and refuses rather than undo it. Progress
of a background import (kla_portal.pekerjaan) is reported while it writes; see ``_Kemajuan``.
"""

from __future__ import annotations

import base64
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kla_portal import antrean
from kla_portal import pekerjaan as pekerjaan_services
from kla_portal.models import Pekerjaan
from kla_portal.tabel import tulis_angka
from rencana_aksi import impor, services
from rencana_aksi.impor import RENCANA, BarisAksi, BarisRealisasi, LaporanRad
from rencana_aksi.models import Aksi, PeriodeRad

LAPOR_SETIAP = 100  # rows written between two progress reports
PERSEN_PERIKSA = 30  # the share of the bar for reading and checking the file again
GALAT_DISEBUT = 10  # faults named in a refusal; the preview lists them all

BERUBAH_SEJAK_PRATINJAU = gettext_lazy(
    "Data RAD berubah sejak pratinjau (seseorang menyimpan, mengirim, atau mengimpor di "
    "antaranya). Tidak ada yang diimpor: unggah berkasnya lagi untuk melihat pratinjau terbaru."
)


@dataclass(frozen=True)
class HasilImpor:
    jenis: str
    baru: int
    diperbarui: int
    tidak_berubah: int
    dilewati: int

    def as_text(self) -> str:
        benda = _("Aksi") if self.jenis == RENCANA else _("Laporan")
        return _("%(benda)s baru %(b)s, diperbarui %(u)s, tidak berubah %(s)s, dilewati %(l)s.") % {
            "benda": benda,
            "b": _jumlah(self.baru),
            "u": _jumlah(self.diperbarui),
            "s": _jumlah(self.tidak_berubah),
            "l": _jumlah(self.dilewati),
        }


def rad_impor(
    *,
    periode: PeriodeRad,
    laporan: LaporanRad,
    by,
    pekerjaan: Pekerjaan | None = None,
) -> HasilImpor:
    """Write the rows of a checked file, in one transaction.

    Plan rows go through aksi_simpan, quarterly reports through realisasi_simpan with the
    version the check read, so history, workflow and the stale-save protection apply as for a
    form. An action changed since the check (its fingerprint differs) or created meanwhile
    with a new row's code refuses the file. Any refusal undoes every row and names the row.
    Refuses a report with faults, or one made for another plan. With ``pekerjaan``, progress
    is reported every LAPOR_SETIAP rows and a cancellation stops the write (Dibatalkan of
    kla_portal.pekerjaan is raised; nothing is written). ``by`` is None for the command without
    --oleh.
    """
    if laporan.periode.pk != periode.pk:
        raise ValidationError(_("Laporan pemeriksaan ini untuk periode RAD lain."))
    if laporan.ada_galat:
        raise ValidationError(_("Berkas masih mengandung galat; perbaiki lalu unggah lagi."))
    kemajuan = _Kemajuan(pekerjaan, len(laporan.tulis))
    try:
        with transaction.atomic():
            # One import of a plan at a time: the second waits here, then finds the first's
            # changes below and refuses instead of undoing them.
            PeriodeRad.objects.select_for_update().get(pk=periode.pk)
            if laporan.jenis == RENCANA:
                _belum_berubah(periode, laporan.tulis)
            for index, row in enumerate(laporan.tulis, start=1):
                try:
                    _tulis(periode, row, by)
                except ValidationError as error:
                    raise ValidationError(
                        _("Baris %(b)s (%(label)s): %(pesan)s Tidak ada yang diimpor.")
                        % {"b": row.baris, "label": row, "pesan": " ".join(error.messages)}
                    ) from error
                kemajuan.lapor(index)
    finally:
        kemajuan.tutup()
    return HasilImpor(
        jenis=laporan.jenis,
        baru=laporan.baru,
        diperbarui=laporan.diperbarui,
        tidak_berubah=laporan.tidak_berubah,
        dilewati=len(laporan.dilewati),
    )


def rad_impor_berkas(
    *,
    periode: PeriodeRad,
    nama: str,
    isi: bytes,
    versi_pratinjau: dict,
    by,
    pekerjaan: Pekerjaan | None = None,
) -> HasilImpor:
    """Check a previewed file again, as ``by``, and write it. Refuses when the check now finds a
    fault (a report sent, an action reassigned) or anything the preview saw has changed."""
    periksa_kemajuan = None
    if pekerjaan is not None:
        pekerjaan_services.lapor(pekerjaan, persen=0, langkah=_("Membaca berkas…"))

        def periksa_kemajuan(selesai: int, jumlah: int) -> None:
            pekerjaan_services.lapor(
                pekerjaan,
                persen=PERSEN_PERIKSA * selesai // max(jumlah, 1),
                langkah=_("Memeriksa baris %(i)s dari %(n)s…")
                % {"i": _jumlah(selesai), "n": _jumlah(jumlah)},
            )

    laporan = impor.periksa_berkas(
        nama, isi, periode=periode, pengguna=by, kemajuan=periksa_kemajuan
    )
    if laporan.ada_galat:
        pesan = [str(g) for g in laporan.galat[:GALAT_DISEBUT]]
        if len(laporan.galat) > GALAT_DISEBUT:
            pesan.append(_("… dan %(n)s galat lain.") % {"n": len(laporan.galat) - GALAT_DISEBUT})
        raise ValidationError(pesan)
    if laporan.versi_dilihat() != versi_pratinjau:
        raise ValidationError(BERUBAH_SEJAK_PRATINJAU)
    if pekerjaan is not None:
        pekerjaan_services.lapor(
            pekerjaan,
            persen=PERSEN_PERIKSA,
            langkah=_("Menulis %(n)s baris…") % {"n": _jumlah(len(laporan.tulis))},
        )
    return rad_impor(periode=periode, laporan=laporan, by=by, pekerjaan=pekerjaan)


def rad_impor_antre(
    *, periode: PeriodeRad, nama: str, isi: bytes, versi: dict, jenis: str, by
) -> Pekerjaan:
    """Queue a previewed file for a worker (queue ``berat``). The job keeps the file and what
    the preview saw, so a failed import can be tried again (``rad_impor_ulangi``)."""
    from rencana_aksi import tasks

    judul = _("Impor %(jenis)s %(p)s: %(nama)s") % {"jenis": jenis, "p": periode, "nama": nama}
    isi_base64 = base64.b64encode(isi).decode("ascii")
    job = pekerjaan_services.buat(
        jenis="impor_rad",
        judul=judul[:200],
        by=by,
        parameter={
            "periode": periode.pk,
            "nama": nama,
            "isi": isi_base64,
            "versi": versi,
            "jenis": jenis,
        },
    )
    # A broker that refuses the task marks the job failed with the reason; its page says so.
    antrean.kirim_saat_commit(
        tasks.impor_rad, job.pk, periode.pk, nama, isi_base64, versi, pekerjaan=job
    )
    return job


def rad_impor_ulangi(*, pekerjaan: Pekerjaan, by) -> Pekerjaan:
    """Queue a failed import again (Coba lagi). It cannot write twice: the import is one
    transaction (a failed one wrote nothing), and the write refuses a file whose rows changed
    since the preview, as they have if an earlier run did write them."""
    p = pekerjaan.parameter
    periode = PeriodeRad.objects.filter(pk=p.get("periode")).first()
    if periode is None:
        raise ValidationError(_("Periode RAD ini sudah dihapus."))
    return rad_impor_antre(
        periode=periode,
        nama=p["nama"],
        isi=base64.b64decode(p["isi"]),
        versi=p["versi"],
        jenis=p.get("jenis", ""),
        by=by,
    )


def _belum_berubah(periode: PeriodeRad, rows: list[BarisAksi]) -> None:
    """Lock the actions the file changes (in id order, so two writers never wait on each other
    in a circle) and refuse if any changed since the check, or if a code the check found new
    has been taken meanwhile."""
    lama = {row.aksi.pk: row for row in rows if row.aksi is not None}
    urut = sorted(lama)
    for awal in range(0, len(urut), 500):
        ids = urut[awal : awal + 500]
        qs = Aksi.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        sekarang = {aksi.pk: aksi for aksi in impor.aksi_lengkap(qs)}
        for pk in ids:
            aksi = sekarang.get(pk)
            if aksi is None or impor.sidik_aksi(aksi) != lama[pk].sidik:
                row = lama[pk]
                raise ValidationError(
                    _(
                        "Baris %(b)s: aksi %(k)s sudah diubah orang lain sejak berkas diperiksa. "
                        "Tidak ada yang diimpor: unggah berkasnya lagi untuk melihat pemeriksaan "
                        "terbaru."
                    )
                    % {"b": row.baris, "k": row.data.kode}
                )
    ada = {
        impor.kunci_kode(kode)
        for kode in Aksi.objects.filter(periode=periode).values_list("kode", flat=True)
    }
    for row in rows:
        if row.aksi is None and impor.kunci_kode(row.data.kode) in ada:
            raise ValidationError(
                _(
                    "Baris %(b)s: aksi %(k)s baru saja ditambahkan orang lain. Tidak ada yang "
                    "diimpor: unggah berkasnya lagi untuk melihat pemeriksaan terbaru."
                )
                % {"b": row.baris, "k": row.data.kode}
            )


def _tulis(periode: PeriodeRad, row: BarisAksi | BarisRealisasi, by) -> None:
    if isinstance(row, BarisAksi):
        services.aksi_simpan(periode=periode, data=row.data, by=by)
        return
    services.realisasi_simpan(
        aksi=row.aksi,
        tahun=row.tahun,
        triwulan=row.triwulan,
        by=by,
        versi=row.versi,
        capaian=row.capaian,
        anggaran=row.anggaran,
        narasi=row.narasi,
    )


def _jumlah(n: int) -> str:
    return tulis_angka(Decimal(n))


class _Kemajuan:
    """Progress of the write, every LAPOR_SETIAP rows.

    The write holds one transaction: a report written inside it would be seen only at its end,
    and a request to cancel, never. Where another connection may write meanwhile (PostgreSQL),
    each report goes through a connection of its own, in a helper thread, so the bar moves and
    a cancellation stops the import (which is then undone). SQLite has a single writer: there
    the report before the write ("Menulis … baris") stays until the end.
    """

    def __init__(self, pekerjaan: Pekerjaan | None, jumlah: int):
        self.pekerjaan = pekerjaan
        self.jumlah = jumlah
        self.pelapor = None
        if pekerjaan is not None and connection.vendor != "sqlite":
            self.pelapor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kemajuan-impor")

    def lapor(self, selesai: int) -> None:
        if self.pelapor is None or (selesai % LAPOR_SETIAP and selesai != self.jumlah):
            return
        persen = PERSEN_PERIKSA + (100 - PERSEN_PERIKSA) * selesai // max(self.jumlah, 1)
        langkah = _("Menulis baris %(i)s dari %(n)s…") % {
            "i": _jumlah(selesai),
            "n": _jumlah(self.jumlah),
        }
        # .result() raises Dibatalkan here, in the writing thread, which undoes the write.
        self.pelapor.submit(
            pekerjaan_services.lapor, self.pekerjaan, persen=min(persen, 99), langkah=langkah
        ).result()

    def tutup(self) -> None:
        if self.pelapor is not None:
            self.pelapor.submit(connections.close_all).result()
            self.pelapor.shutdown()
