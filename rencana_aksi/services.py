"""Every write of the RAD: plan periods, actions and targets, quarterly reports and evidence.

Keyword-only functions, each in one transaction, refusing with an Indonesian ValidationError.
Quarterly reports move through the same workflow as evaluation answers (clusters.alur):
draft → head of the lead agency → Bappeda; returned with a reason at either check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from agencies import services as agencies_services
from agencies.models import Opd, Peran, User
from clusters import alur
from kla_portal import berkas as berkas_check
from kla_portal import versi as versi_lib
from rencana_aksi.models import (
    Aksi,
    AksiIndikator,
    AnggaranDaerah,
    LampiranRealisasi,
    PeriodeRad,
    Realisasi,
    SumberDana,
    TargetTahunan,
)

# --- Plan periods and the city's budget ---------------------------------------------------


def periode_buat(
    *,
    tahun_mulai: int,
    by: User,
    dasar_hukum: str = "",
    tanggal_penetapan=None,
    dokumen=None,
) -> PeriodeRad:
    """A five-year plan starting in ``tahun_mulai``. Refuses a period that overlaps another."""
    if not 2000 <= tahun_mulai <= 2100:
        raise ValidationError({"tahun_mulai": _("Tahun mulai harus antara 2000 dan 2100.")})
    tahun_selesai = tahun_mulai + 4
    tumpang = PeriodeRad.objects.filter(
        daerah_id=by.daerah_id, tahun_mulai__lte=tahun_selesai, tahun_selesai__gte=tahun_mulai
    ).first()
    if tumpang:
        raise ValidationError(
            {"tahun_mulai": _("Bertumpang tindih dengan %(p)s.") % {"p": tumpang}}
        )
    periode = PeriodeRad(
        daerah_id=by.daerah_id,
        tahun_mulai=tahun_mulai,
        tahun_selesai=tahun_selesai,
        dasar_hukum=dasar_hukum.strip(),
        tanggal_penetapan=tanggal_penetapan,
    )
    return _periode_simpan(periode, by, dokumen)


def _periode_simpan(periode: PeriodeRad, by: User, dokumen) -> PeriodeRad:
    """Save a plan period, with its new document (checked by its content) when one came."""
    berkas_check.simpan_dengan_berkas_kolom(
        periode, by=by, kolom="dokumen", berkas=dokumen, nama_file="rad"
    )
    return periode


def periode_ubah(
    *,
    periode: PeriodeRad,
    by: User,
    dasar_hukum: str,
    tanggal_penetapan=None,
    dokumen=None,
) -> PeriodeRad:
    """Correct a plan's legal basis, its date, or replace its document. The years stay: the
    actions' targets and reports hang on them."""
    periode.dasar_hukum = dasar_hukum.strip()
    periode.tanggal_penetapan = tanggal_penetapan
    return _periode_simpan(periode, by, dokumen)


def anggaran_daerah_atur(*, tahun: int, total: Decimal, by: User) -> AnggaranDaerah:
    """The city's total regional budget (APBD) of a year."""
    if total is None or total <= 0:
        raise ValidationError({"total": _("Total APBD harus lebih dari nol.")})
    record, _created = AnggaranDaerah.objects.get_or_create(
        daerah_id=by.daerah_id, tahun=tahun, defaults={"total": total}
    )
    if record.total != total:
        record.total = total
        record._history_user = by
        record.save()
    return record


@transaction.atomic
def anggaran_daerah_simpan(*, total: dict[int, Decimal], by: User) -> None:
    """The city's total regional budget of several years (year → total): all or none."""
    for tahun, nilai in total.items():
        anggaran_daerah_atur(tahun=tahun, total=nilai, by=by)


# --- Actions and their targets --------------------------------------------------------------


@dataclass
class DataAksi:
    """An action as a form or a spreadsheet row gives it (codes and names already resolved)."""

    kode: str
    nama: str
    klaster: str
    indikator_kinerja: str
    satuan: str
    opd_utama: Opd
    opd_pendukung: list[Opd] = field(default_factory=list)
    indikator_kla: list[str] = field(default_factory=list)
    program: str = ""
    program_kode: str = ""
    kegiatan: str = ""
    kegiatan_kode: str = ""
    sub_kegiatan: str = ""
    sub_kegiatan_kode: str = ""
    baseline: Decimal | None = None
    status: str = Aksi.Status.DIRENCANAKAN
    # year → (target, budget ceiling, funding source); years left out are not touched
    target: dict[int, tuple[Decimal | None, Decimal | None, str]] = field(default_factory=dict)

    FIELDS = (
        "nama",
        "klaster",
        "indikator_kinerja",
        "satuan",
        "program",
        "program_kode",
        "kegiatan",
        "kegiatan_kode",
        "sub_kegiatan",
        "sub_kegiatan_kode",
        "baseline",
        "status",
    )


_SUMBER_DANA = frozenset(SumberDana.values)  # built once: the plan import checks thousands


def _periksa_target(periode: PeriodeRad, data: DataAksi) -> None:
    for tahun, (target, pagu, sumber) in data.target.items():
        if not periode.tahun_mulai <= tahun <= periode.tahun_selesai:
            raise ValidationError(_("Tahun %(t)s di luar %(p)s.") % {"t": tahun, "p": periode})
        if pagu is not None and pagu < 0:
            raise ValidationError(_("Pagu %(t)s tidak boleh negatif.") % {"t": tahun})
        if target is not None and target < 0:
            raise ValidationError(_("Target %(t)s tidak boleh negatif.") % {"t": tahun})
        if sumber not in _SUMBER_DANA:
            raise ValidationError(_("Sumber dana %(s)s tidak dikenal.") % {"s": sumber})


PESAN_AKSI_KEDALUWARSA = gettext_lazy(
    "Aksi ini sudah diubah oleh %(nama)s pada %(waktu)s, setelah Anda membuka halaman. Tidak "
    "ada yang disimpan: periksa perubahan terbaru (lihat riwayat), lalu ulangi."
)


def periksa_data_aksi(periode: PeriodeRad, data: DataAksi) -> None:
    """The rules of an action's data that need no query (the import checks many at once)."""
    if not data.kode.strip():
        raise ValidationError({"kode": _("Kode aksi wajib diisi.")})
    if not data.opd_utama.aktif:
        raise ValidationError(_("OPD %(opd)s sudah tidak aktif.") % {"opd": data.opd_utama})
    _periksa_target(periode, data)


def kode_mirip(kode: str, lain: str) -> ValidationError:
    """The refusal of a code another action holds in another case."""
    return ValidationError(
        {
            "kode": _(
                "Kode %(kode)s sudah dipakai sebagai %(lain)s; huruf besar/kecil tidak "
                "membedakan kode aksi."
            )
            % {"kode": kode, "lain": lain}
        }
    )


def _periksa_aksi(periode: PeriodeRad, data: DataAksi) -> None:
    periksa_data_aksi(periode, data)
    mirip = Aksi.objects.filter(periode=periode, kode__iexact=data.kode).exclude(kode=data.kode)
    if mirip.exists():
        raise kode_mirip(data.kode, mirip.first().kode)


@dataclass
class PerubahanAksi:
    """What saving an action changes besides its own fields: its supporting agencies and KLA
    codes (None: unchanged) and the yearly targets to write."""

    pendukung: set[int] | None
    indikator: tuple[set[str], set[str]] | None  # (codes kept or added, codes there before)
    target: list[TargetTahunan]

    @property
    def ada(self) -> bool:
        return self.pendukung is not None or self.indikator is not None or bool(self.target)


def isi_aksi(aksi: Aksi, data: DataAksi) -> bool:
    """Put the data's fields on the action; whether any changed."""
    berubah = aksi.opd_utama_id != data.opd_utama.pk
    aksi.opd_utama = data.opd_utama
    for name in DataAksi.FIELDS:
        value = getattr(data, name)
        if getattr(aksi, name) != value:
            setattr(aksi, name, value)
            berubah = True
    return berubah


def _target_berubah(aksi: Aksi, data: DataAksi, *, baru: bool) -> list[TargetTahunan]:
    """The yearly targets to write: those new or different from what is kept."""
    ada = {} if baru else {row.tahun: row for row in aksi.target.all()}
    hasil = []
    for tahun, (target, pagu, sumber) in data.target.items():
        row = ada.get(tahun)
        if row is not None and (row.target, row.pagu, row.sumber_dana) == (target, pagu, sumber):
            continue
        row = row or TargetTahunan(tahun=tahun)
        row.target, row.pagu, row.sumber_dana = target, pagu, sumber
        hasil.append(row)
    return hasil


def perubahan_aksi(aksi: Aksi, data: DataAksi, *, baru: bool) -> PerubahanAksi:
    pendukung = {o.pk for o in data.opd_pendukung if o.pk != data.opd_utama.pk}
    kode = {k.strip() for k in data.indikator_kla if k.strip()}
    # .all(): what the import prefetched for many actions, else one query each
    ada_pendukung = set() if baru else {o.pk for o in aksi.opd_pendukung.all()}
    ada_kode = set() if baru else {i.kode for i in aksi.indikator.all()}
    return PerubahanAksi(
        pendukung=pendukung if pendukung != ada_pendukung else None,
        indikator=(kode, ada_kode) if kode != ada_kode else None,
        target=_target_berubah(aksi, data, baru=baru),
    )


def _tulis_perubahan(aksi: Aksi, ubah: PerubahanAksi, by: User | None) -> None:
    if ubah.pendukung is not None:
        aksi.opd_pendukung.set(ubah.pendukung)
    if ubah.indikator is not None:
        kode, ada_kode = ubah.indikator
        aksi.indikator.exclude(kode__in=kode).delete()
        AksiIndikator.objects.bulk_create(
            AksiIndikator(daerah_id=aksi.daerah_id, aksi=aksi, kode=k)
            for k in sorted(kode - ada_kode)
        )
    for row in ubah.target:
        row.aksi = aksi
        row._history_user = by
        row.save()


@transaction.atomic
def aksi_simpan(
    *, periode: PeriodeRad, data: DataAksi, by: User | None, versi: int | None = None
) -> tuple[Aksi, bool]:
    """Create or update the action with this code in the plan (upsert); returns the action and
    whether anything changed, so saving the same data again changes nothing (any change is one
    new version). ``versi`` is the version the form was built from (0 for a new action): a form
    built from an older version is refused, someone saved in between. ``versi`` None
    (the demo) skips that check. The plan import holds its rows to the same rules
    (``periksa_data_aksi``) and writes them in bulk (rencana_aksi.impor.tulis_aksi)."""
    _periksa_aksi(periode, data)
    aksi = versi_lib.kunci_atau_baru(
        Aksi.objects.filter(periode=periode, kode=data.kode),
        lambda: Aksi(periode=periode, kode=data.kode),
        versi,
        wajib=False,  # an import checks its rows against the plan itself
        pesan=PESAN_AKSI_KEDALUWARSA,
    )
    baru = aksi.pk is None
    berubah = isi_aksi(aksi, data)
    ubah = perubahan_aksi(aksi, data, baru=baru)
    if not (baru or berubah or ubah.ada):
        return aksi, False
    versi_lib.simpan(
        aksi,
        by,
        # the same code created at the same moment by another import
        ganda=_("Aksi %(kode)s baru saja dibuat oleh orang lain; ulangi.") % {"kode": data.kode},
    )
    _tulis_perubahan(aksi, ubah, by)
    return aksi, True


# --- Quarterly reports ----------------------------------------------------------------------


RealisasiKedaluwarsa = versi_lib.Kedaluwarsa
PESAN_KEDALUWARSA = gettext_lazy(
    "Laporan ini sudah diubah oleh %(nama)s setelah Anda membuka halaman. Tidak ada "
    "yang disimpan: muat ulang halaman lalu ulangi."
)


def triwulan_periksa(*, aksi: Aksi, tahun: int, triwulan: int) -> None:
    if aksi.status in {Aksi.Status.DIBATALKAN, Aksi.Status.DITUNDA}:
        raise ValidationError(
            _("Aksi ini berstatus %(s)s; tidak perlu dilaporkan.")
            % {"s": aksi.get_status_display()}
        )
    if tahun not in aksi.periode.tahun_list:
        raise ValidationError(_("Tahun %(t)s di luar %(p)s.") % {"t": tahun, "p": aksi.periode})
    if triwulan not in (1, 2, 3, 4):
        raise ValidationError(_("Triwulan harus 1 sampai 4."))
    today = timezone.localdate()
    if (tahun, triwulan) > (today.year, (today.month - 1) // 3 + 1):
        raise ValidationError(_("Triwulan ini belum dimulai; laporkan setelah berjalan."))


def _kunci(realisasi: Realisasi, versi: int | None, langkah: str | None = None) -> Realisasi:
    return versi_lib.kunci(
        Realisasi.objects.select_related("aksi__periode", "aksi__opd_utama"),
        realisasi,
        versi,
        pesan=PESAN_KEDALUWARSA,
        berlaku=lambda locked: langkah is None or alur.bisa(locked, langkah),
    )


@transaction.atomic
def realisasi_simpan(
    *,
    aksi: Aksi,
    tahun: int,
    triwulan: int,
    by: User | None,
    versi: int,
    capaian: Decimal | None = None,
    anggaran: Decimal | None = None,
    narasi: str = "",
    berkas: list = (),
) -> Realisasi:
    """Save a quarter's report as a draft (creating it on first save), with its new evidence
    files (``berkas``): one save, one new version. ``versi`` is the version the form was built
    from (0 for a new report): a stale form is refused, and so is a file that is not accepted
    (nothing is saved then, no file is kept)."""
    triwulan_periksa(aksi=aksi, tahun=tahun, triwulan=triwulan)
    if capaian is not None and capaian < 0:
        raise ValidationError({"capaian": _("Capaian tidak boleh negatif.")})
    if anggaran is not None and anggaran < 0:
        raise ValidationError({"anggaran": _("Anggaran terserap tidak boleh negatif.")})
    realisasi = versi_lib.kunci_atau_baru(
        Realisasi.objects.filter(aksi=aksi, tahun=tahun, triwulan=triwulan),
        lambda: Realisasi(aksi=aksi, tahun=tahun, triwulan=triwulan),
        versi,
        pesan=PESAN_KEDALUWARSA,
    )
    if not realisasi.bisa_diubah:
        raise ValidationError(
            _("Laporan ini berstatus %(s)s dan tidak dapat diubah.")
            % {"s": realisasi.get_status_display()}
        )
    realisasi.capaian = capaian
    realisasi.anggaran = anggaran
    realisasi.narasi = narasi.strip()
    return versi_lib.simpan_dengan_berkas(
        realisasi,
        by,
        berkas=berkas,
        lampirkan=lambda daftar: _bukti_baru(realisasi, daftar, by),
        ganda=_("Orang lain baru saja menyimpan laporan ini. Muat ulang halaman lalu simpan lagi."),
    )


def _beri_tahu(realisasi: Realisasi, peran: str, judul: str) -> None:
    agencies_services.notifikasi_kirim(
        penerima=agencies_services.pengguna_dengan_peran(peran=peran, opd=realisasi.aksi.opd_utama),
        judul=agencies_services.Teks.dari(judul, r=realisasi, a=realisasi.alasan),
        tautan=realisasi.get_absolute_url(),
    )


def penyetuju(realisasi: Realisasi) -> alur.Penyetuju:
    """Who approves the report at the head's step: the heads of the action's lead agency."""
    return alur.penyetuju_kantor(realisasi.aksi.opd_utama)


@transaction.atomic
def realisasi_kirim(*, realisasi: Realisasi, by: User, versi: int | None = None) -> Realisasi:
    """Send the report to the agency head. Refuses an empty report, an agency where nobody but
    the sender could approve it (no head account), and a double submit."""
    realisasi = _kunci(realisasi, versi, "kirim")
    siapa = penyetuju(realisasi)
    if realisasi.status in alur.BISA_DIUBAH:
        triwulan_periksa(aksi=realisasi.aksi, tahun=realisasi.tahun, triwulan=realisasi.triwulan)
        if realisasi.capaian is None:
            raise ValidationError(_("Isi capaian triwulan ini terlebih dahulu, lalu simpan."))
        alur.periksa_kirim(siapa, by)
    alur.jalankan(realisasi, "kirim")
    realisasi.dikirim = timezone.now()
    realisasi.dikirim_oleh = by
    versi_lib.simpan(realisasi, by, ["status", "dikirim", "dikirim_oleh"])
    agencies_services.notifikasi_kirim(
        penerima=siapa.selain(by),
        judul=agencies_services.Teks.dari(
            gettext_noop("Laporan RAD menunggu persetujuan Anda: %(r)s"), r=realisasi
        ),
        tautan=realisasi.get_absolute_url(),
    )
    return realisasi


@transaction.atomic
def realisasi_setujui(*, realisasi: Realisasi, by: User, versi: int | None = None) -> Realisasi:
    """The head approves: the report waits in Bappeda's review queue (/rad/tinjauan/); Bappeda
    is not notified report by report, which would be hundreds of notices a quarter. Refuses
    the person who sent it, naming who else can approve."""
    realisasi = _kunci(realisasi, versi, "setujui")
    if alur.bisa(realisasi, "setujui"):
        alur.periksa_setujui(
            realisasi, by, penyetuju=lambda: penyetuju(realisasi), jenis=_("laporan")
        )
    alur.jalankan(realisasi, "setujui")
    return versi_lib.simpan(realisasi, by, ["status"])


@transaction.atomic
def realisasi_tolak(
    *, realisasi: Realisasi, by: User, alasan: str, versi: int | None = None
) -> Realisasi:
    realisasi = _kunci(realisasi, versi, "tolak")
    alur.jalankan(realisasi, "tolak", alasan=alasan)
    versi_lib.simpan(realisasi, by, ["status", "alasan"])
    _beri_tahu(
        realisasi,
        Peran.OPERATOR_OPD,
        gettext_noop("Laporan RAD dikembalikan kepala: %(r)s. Alasan: %(a)s"),
    )
    return realisasi


@transaction.atomic
def realisasi_tinjau(*, realisasi: Realisasi, by: User, versi: int | None = None) -> Realisasi:
    """Bappeda accepts the report: it is locked and counts in the dashboard as reviewed."""
    realisasi = _kunci(realisasi, versi, "verifikasi")
    alur.jalankan(realisasi, "verifikasi")
    versi_lib.simpan(realisasi, by, ["status"])
    _beri_tahu(realisasi, Peran.OPERATOR_OPD, gettext_noop("Laporan RAD diterima Bappeda: %(r)s"))
    return realisasi


@transaction.atomic
def realisasi_kembalikan(
    *, realisasi: Realisasi, by: User, alasan: str, versi: int | None = None
) -> Realisasi:
    """Bappeda returns the report with a reason; the agency's operators and head are told."""
    realisasi = _kunci(realisasi, versi, "kembalikan")
    alur.jalankan(realisasi, "kembalikan", alasan=alasan)
    versi_lib.simpan(realisasi, by, ["status", "alasan"])
    judul = gettext_noop("Laporan RAD dikembalikan Bappeda: %(r)s. Alasan: %(a)s")
    _beri_tahu(realisasi, Peran.OPERATOR_OPD, judul)
    _beri_tahu(realisasi, Peran.KEPALA_OPD, judul)
    return realisasi


# --- Evidence -----------------------------------------------------------------------------


@transaction.atomic
def bukti_tambah(*, realisasi: Realisasi, berkas, by: User) -> LampiranRealisasi:
    """Attach an evidence file to a report that can still be changed."""
    realisasi = _kunci(realisasi, None)
    if not realisasi.bisa_diubah:
        raise ValidationError(
            _("Bukti tidak dapat diubah: laporan berstatus %(s)s.")
            % {"s": realisasi.get_status_display()}
        )
    [lampiran] = _bukti_baru(realisasi, [berkas], by)
    versi_lib.simpan(realisasi, by, [])
    return lampiran


def _bukti_baru(realisasi: Realisasi, daftar, by: User | None) -> list[LampiranRealisasi]:
    return berkas_check.simpan_lampiran_semua(
        lambda: LampiranRealisasi(realisasi=realisasi), daftar, by
    )


@transaction.atomic
def bukti_lepas(*, lampiran: LampiranRealisasi, by: User) -> None:
    realisasi = _kunci(lampiran.realisasi, None)
    if not realisasi.bisa_diubah or lampiran.dihapus:
        raise ValidationError(_("Bukti ini tidak dapat dilepas lagi. Muat ulang halaman."))
    lampiran.dihapus = timezone.now()
    lampiran._history_user = by
    lampiran.save(update_fields=["dihapus"])
    versi_lib.simpan(realisasi, by, [])
