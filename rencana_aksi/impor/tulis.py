"""Writing a checked RAD spreadsheet in one transaction, so all rows are written or none
(``kla_portal.impor.tulis_semua``): plan rows in bulk, held to services.aksi_simpan's rules
(``tulis_aksi``), quarterly reports through services.realisasi_simpan.

Two imports into the same plan run one after the other (the plan period's row is locked for
the write); each then finds what the other changed and refuses rather than undo it. A large
file is written by a worker (``rad_impor_antre``, task ``rencana_aksi.tasks.impor_rad``), which
reports its progress on its job (kla_portal.pekerjaan).
"""

from __future__ import annotations

import base64

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kla_portal import antrean
from kla_portal import impor as kerangka
from kla_portal import pekerjaan as pekerjaan_services
from kla_portal.impor import PERSEN_PERIKSA, HasilImpor, KemajuanTulis, potong
from kla_portal.models import Pekerjaan
from rencana_aksi import services
from rencana_aksi.impor.baca import periksa_berkas
from rencana_aksi.impor.keadaan import aksi_lengkap, sidik_aksi
from rencana_aksi.impor.kolom import RENCANA
from rencana_aksi.impor.laporan import BarisAksi, BarisRealisasi, LaporanRad
from rencana_aksi.impor.sel import kunci_kode
from rencana_aksi.impor.tulis_aksi import TulisAksi
from rencana_aksi.models import Aksi, PeriodeRad

__all__ = ["PERSEN_PERIKSA", "rad_impor", "rad_impor_antre", "rad_impor_berkas", "rad_impor_ulangi"]

GALAT_DISEBUT = 10  # faults named in a refusal; the preview lists them all

BERUBAH_SEJAK_PRATINJAU = gettext_lazy(
    "Data RAD berubah sejak pratinjau (seseorang menyimpan, mengirim, atau mengimpor di "
    "antaranya). Tidak ada yang diimpor: unggah berkasnya lagi untuk melihat pratinjau terbaru."
)


def rad_impor(
    *,
    periode: PeriodeRad,
    laporan: LaporanRad,
    by,
    pekerjaan: Pekerjaan | None = None,
) -> HasilImpor:
    """Write the rows of a checked file, in one transaction.

    Plan rows are held to aksi_simpan's rules and written in bulk with the same records
    (``tulis_aksi.TulisAksi``), quarterly reports go through realisasi_simpan with the
    version the check read, so history, workflow and the stale-save protection apply as for a
    form. An action changed since the check (its fingerprint differs) or created meanwhile
    with a new row's code refuses the file. Any refusal undoes every row and names the row.
    Refuses a report with faults, or one made for another plan. With ``pekerjaan``, progress
    is reported every LAPOR_SETIAP rows and a cancellation stops the write (Dibatalkan of
    kla_portal.pekerjaan is raised; nothing is written). ``by`` is None for the command without
    --oleh.
    """
    kerangka.tolak_laporan(
        laporan,
        sama=laporan.periode.pk == periode.pk,
        pesan_lain=_("Laporan pemeriksaan ini untuk periode RAD lain."),
    )

    def pesan_baris(row, pesan: str) -> str:
        return _("Baris %(b)s (%(label)s): %(pesan)s Tidak ada yang diimpor.") % {
            "b": row.baris,
            "label": row,
            "pesan": pesan,
        }

    penulis: list[TulisAksi] = []

    def sebelum() -> None:
        # One import of a plan at a time: the second waits here, then finds the first's
        # changes below and refuses instead of undoing them.
        PeriodeRad.objects.select_for_update().get(pk=periode.pk)
        if laporan.jenis == RENCANA:
            lama, kode_ada = _belum_berubah(periode, laporan.tulis)
            penulis.append(
                TulisAksi(periode, by, lama=lama, kode_ada=kode_ada, pesan_baris=pesan_baris)
            )

    def tulis_baris(row) -> None:
        if isinstance(row, BarisAksi):
            penulis[0].siapkan(row)
        else:
            _tulis_realisasi(row, by)

    def sesudah() -> None:
        if penulis:
            penulis[0].simpan()

    kerangka.tulis_semua(
        laporan.tulis,
        tulis_baris,
        pesan_baris=pesan_baris,
        sebelum=sebelum,
        sesudah=sesudah,
        kemajuan=KemajuanTulis(pekerjaan, len(laporan.tulis)),
    )
    return laporan.hasil(kerangka.AKSI if laporan.jenis == RENCANA else kerangka.LAPORAN)


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
    laporan = periksa_berkas(
        nama, isi, periode=periode, pengguna=by, kemajuan=kerangka.kemajuan_periksa(pekerjaan)
    )
    kerangka.periksa_ulang(
        laporan, versi_pratinjau, berubah=BERUBAH_SEJAK_PRATINJAU, disebut=GALAT_DISEBUT
    )
    kerangka.lapor_mulai_tulis(pekerjaan, len(laporan.tulis))
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


def _belum_berubah(periode: PeriodeRad, rows: list[BarisAksi]) -> tuple[dict[int, Aksi], list[str]]:
    """Lock the actions the file changes (in id order, so two writers never wait on each other
    in a circle) and refuse if any changed since the check, or if a code the check found new
    has been taken meanwhile. Returns those actions as they are now, locked, and every code
    of the plan."""
    lama = {row.aksi.pk: row for row in rows if row.aksi is not None}
    terkunci: dict[int, Aksi] = {}
    urut = sorted(lama)
    for ids in potong(urut):
        qs = Aksi.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        sekarang = {aksi.pk: aksi for aksi in aksi_lengkap(qs)}
        terkunci.update(sekarang)
        for pk in ids:
            aksi = sekarang.get(pk)
            if aksi is None or sidik_aksi(aksi) != lama[pk].sidik:
                row = lama[pk]
                raise ValidationError(
                    _(
                        "Baris %(b)s: aksi %(k)s sudah diubah orang lain sejak berkas diperiksa. "
                        "Tidak ada yang diimpor: unggah berkasnya lagi untuk melihat pemeriksaan "
                        "terbaru."
                    )
                    % {"b": row.baris, "k": row.data.kode}
                )
    kode_ada = list(Aksi.objects.filter(periode=periode).values_list("kode", flat=True))
    ada = {kunci_kode(kode) for kode in kode_ada}
    for row in rows:
        if row.aksi is None and kunci_kode(row.data.kode) in ada:
            raise ValidationError(
                _(
                    "Baris %(b)s: aksi %(k)s baru saja ditambahkan orang lain. Tidak ada yang "
                    "diimpor: unggah berkasnya lagi untuk melihat pemeriksaan terbaru."
                )
                % {"b": row.baris, "k": row.data.kode}
            )
    return terkunci, kode_ada


def _tulis_realisasi(row: BarisRealisasi, by) -> None:
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
