"""Answering: drafts, the approval workflow, evidence files and deadlines.

Keyword-only functions, each in one transaction, refusing with an Indonesian ValidationError.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from agencies import services as agencies_services
from agencies.models import Keanggotaan, Opd, Peran, User, Wilayah
from agencies.services import Teks
from clusters import alur, scoring
from clusters.models import (
    EvaluasiDaerah,
    Jawaban,
    Lampiran,
    Pertanyaan,
    VerifikasiProvinsi,
)
from clusters.services.skor import skor_perlu_dihitung
from kla_portal import berkas as berkas_check
from kla_portal import versi as versi_lib
from kla_portal.tabel import tulis_angka

# --- Answers ------------------------------------------------------------------------------


# The form was built from an older version of the answer: someone saved in between.
JawabanKedaluwarsa = versi_lib.Kedaluwarsa
PESAN_KEDALUWARSA = gettext_lazy(
    "Jawaban ini sudah diubah oleh %(nama)s pada %(waktu)s, setelah Anda membuka "
    "halaman. Tidak ada yang disimpan: periksa perubahan terbaru (lihat riwayat), lalu "
    "ulangi."
)

# The database refused a new answer as a duplicate: someone created it at the same moment.
PESAN_GANDA = gettext_lazy(
    "Orang lain baru saja menyimpan jawaban ini. Muat ulang halaman lalu simpan lagi."
)


def opd_utama(pertanyaan: Pertanyaan, daerah_id: int | None) -> Opd | None:
    """A kab/kota's lead agency for the question."""
    return Opd.objects.filter(
        daerah_id=daerah_id, penugasan__pertanyaan=pertanyaan, penugasan__utama=True
    ).first()


def kantor_kecamatan(wilayah: Wilayah) -> Opd | None:
    """The kecamatan office whose head approves the answers of a kecamatan or its kelurahan."""
    kecamatan = wilayah if wilayah.tingkat == Wilayah.Tingkat.KECAMATAN else wilayah.induk
    return Opd.objects.aktif().filter(jenis=Opd.Jenis.KECAMATAN, wilayah=kecamatan).first()


def _dikembalikan_provinsi(jawaban: Jawaban | None) -> bool:
    """Returned by the province: the city fixes it even after its year closed or its deadline
    passed (the province asked for it then)."""
    return (
        jawaban is not None
        and jawaban.pk is not None
        and VerifikasiProvinsi.objects.filter(
            jawaban_id=jawaban.pk, status=VerifikasiProvinsi.Status.DIKEMBALIKAN
        ).exists()
    )


def _periksa_dibuka(pertanyaan: Pertanyaan, jawaban: Jawaban | None = None) -> None:
    if not pertanyaan.tahun.dibuka and not _dikembalikan_provinsi(jawaban):
        raise ValidationError(
            _("%(tahun)s belum dibuka untuk pengisian.") % {"tahun": pertanyaan.tahun}
        )


def _periksa_batas_waktu(pertanyaan: Pertanyaan, opd: Opd | None, jawaban: Jawaban) -> None:
    """Sending closes at the deadline, unless the agency has an extension (or the province
    returned the answer)."""
    tahun = pertanyaan.tahun
    _periksa_dibuka(pertanyaan, jawaban)
    if tahun.lewat_batas(opd=opd) and not _dikembalikan_provinsi(jawaban):
        raise ValidationError(
            _(
                "Batas waktu %(tahun)s sudah lewat (%(batas)s). Minta perpanjangan kepada "
                "Sekretariat Gugus Tugas."
            )
            % {
                "tahun": tahun,
                "batas": date_format(timezone.localtime(tahun.batas_waktu), "DATETIME_FORMAT"),
            }
        )


def opd_penanggung(jawaban: Jawaban) -> Opd | None:
    """The agency whose deadline and head apply: the lead agency, or the kecamatan office."""
    return jawaban.opd if jawaban.wilayah_id is None else kantor_kecamatan(jawaban.wilayah)


def _kunci(jawaban: Jawaban, versi: int | None = None, langkah: str | None = None) -> Jawaban:
    """Lock the answer's row; refuse when the page acted on showed an older version.

    When the step cannot start from the current state anyway, that is what the person hears
    ("sudah dikirim"), not that someone changed the answer.
    """
    return versi_lib.kunci(
        Jawaban.objects.select_related("pertanyaan__tahun", "wilayah"),
        jawaban,
        versi,
        pesan=PESAN_KEDALUWARSA,
        berlaku=lambda locked: langkah is None or alur.bisa(locked, langkah),
    )


def _simpan(jawaban: Jawaban, by: User, fields: list[str] | None, *, ganda=None) -> Jawaban:
    """Save with a new version number (kla_portal.versi.simpan); ``fields`` None saves every
    field (a new answer). Every change to an answer or its evidence passes here, and queues a
    score recompute."""
    versi_lib.simpan(jawaban, by, fields, ganda=ganda)
    skor_perlu_dihitung(tahun_id=jawaban.pertanyaan.tahun_id, daerah_id=jawaban.daerah_id)
    return jawaban


def _pilihan_untuk_poin(pertanyaan: Pertanyaan, poin: Decimal) -> Decimal | None:
    """The grade of a graded question worth these points; None for other questions and for
    points off its grades (2,64 of 4), which are kept as given."""
    if pertanyaan.cara_penilaian != Pertanyaan.CaraPenilaian.OPSI:
        return None
    cocok = scoring.fraksi_untuk_poin(
        poin, pertanyaan.nilai_max, [Decimal(o["fraksi"]) for o in pertanyaan.pilihan()]
    )
    return cocok[0] if cocok else None


def _periksa_nilai(
    pertanyaan: Pertanyaan, *, unit: bool, fraksi, cakupan_persen, poin_langsung
) -> None:
    if fraksi is not None:
        allowed = {Decimal(o["fraksi"]) for o in pertanyaan.pilihan(untuk_unit=unit)}
        if Decimal(fraksi) not in allowed:
            raise ValidationError({"fraksi": _("Pilih salah satu pilihan jawaban yang tersedia.")})
    if cakupan_persen is not None and not Decimal(0) <= cakupan_persen <= Decimal(100):
        raise ValidationError({"cakupan_persen": _("Cakupan harus antara 0 dan 100 persen.")})
    if poin_langsung is not None and _pilihan_untuk_poin(pertanyaan, poin_langsung) is None:
        if unit or pertanyaan.cara_penilaian == Pertanyaan.CaraPenilaian.CAKUPAN:
            raise ValidationError({"poin_langsung": _("Pertanyaan ini tidak dijawab dengan poin.")})
        salah = scoring.salah_poin(poin_langsung, pertanyaan.nilai_max)
        if salah:
            raise ValidationError({"poin_langsung": salah})


def isi_jawaban(
    jawaban: Jawaban,
    pertanyaan: Pertanyaan,
    *,
    wilayah: Wilayah | None,
    fraksi: Decimal | None,
    cakupan_persen: Decimal | None,
    poin_langsung: Decimal | None,
    angka_tahun_ini: Decimal | None,
    angka_tahun_lalu: Decimal | None,
    catatan: str,
) -> None:
    """Put a save's values on an answer (not saved): refuses a sent or verified answer, a year
    not open and values outside the question's range; a graded question's points become its
    grade, and the agency's points are computed. Shared by jawaban_simpan and the import."""
    if not jawaban.bisa_diubah:
        raise ValidationError(
            _("Jawaban ini berstatus %(status)s dan tidak dapat diubah.")
            % {"status": jawaban.get_status_display()}
        )
    _periksa_dibuka(pertanyaan, jawaban)
    _periksa_nilai(
        pertanyaan,
        unit=wilayah is not None,
        fraksi=fraksi,
        cakupan_persen=cakupan_persen,
        poin_langsung=poin_langsung,
    )
    if poin_langsung is not None and pertanyaan.cara_penilaian == Pertanyaan.CaraPenilaian.OPSI:
        # Points typed for a graded question: kept as a grade when they are one, else as given.
        fraksi = _pilihan_untuk_poin(pertanyaan, poin_langsung)
        if fraksi is not None:
            poin_langsung = None
    jawaban.fraksi = fraksi
    jawaban.cakupan_persen = cakupan_persen
    jawaban.poin_langsung = poin_langsung
    jawaban.angka_tahun_ini = angka_tahun_ini
    jawaban.angka_tahun_lalu = angka_tahun_lalu
    jawaban.catatan = catatan.strip()
    jawaban.poin_opd = None
    if wilayah is None:
        jawaban.poin_opd = scoring.poin_pertanyaan(
            nilai_max=pertanyaan.nilai_max,
            cara=pertanyaan.cara_penilaian,
            fraksi=fraksi,
            cakupan_persen=cakupan_persen,
            poin_langsung=poin_langsung,
        )


@transaction.atomic
def jawaban_simpan(
    *,
    pertanyaan: Pertanyaan,
    by: User,
    versi: int,
    wilayah: Wilayah | None = None,
    fraksi: Decimal | None = None,
    cakupan_persen: Decimal | None = None,
    poin_langsung: Decimal | None = None,
    angka_tahun_ini: Decimal | None = None,
    angka_tahun_lalu: Decimal | None = None,
    catatan: str = "",
    berkas: list = (),
) -> Jawaban:
    """Save an answer as a draft (creating it on first save), with its new evidence files
    (``berkas``): one save, one new version.

    ``versi`` is the version the person's form was built from (0 for a new answer). A form
    built from an older version is refused: someone saved in between, and overwriting would
    lose their change. Refuses a sent or verified answer, values outside the question's range
    and a file that is not accepted (nothing is saved then, no file is kept).
    """
    jawaban = versi_lib.kunci_atau_baru(
        Jawaban.objects.filter(daerah_id=by.daerah_id, pertanyaan=pertanyaan, wilayah=wilayah),
        lambda: Jawaban(
            daerah_id=by.daerah_id,
            pertanyaan=pertanyaan,
            wilayah=wilayah,
            opd=None if wilayah else opd_utama(pertanyaan, by.daerah_id),
        ),
        versi,
        pesan=PESAN_KEDALUWARSA,
    )
    isi_jawaban(
        jawaban,
        pertanyaan,
        wilayah=wilayah,
        fraksi=fraksi,
        cakupan_persen=cakupan_persen,
        poin_langsung=poin_langsung,
        angka_tahun_ini=angka_tahun_ini,
        angka_tahun_lalu=angka_tahun_lalu,
        catatan=catatan,
    )
    return versi_lib.simpan_dengan_berkas(
        jawaban,
        by,
        berkas=berkas,
        lampirkan=lambda daftar: _lampiran_baru(jawaban, daftar, by),
        ganda=PESAN_GANDA,
        tulis=_simpan,
    )


def _terjawab(jawaban: Jawaban) -> bool:
    if jawaban.wilayah_id is not None:
        return jawaban.fraksi is not None
    cara = jawaban.pertanyaan.cara_penilaian
    if jawaban.poin_langsung is not None and cara == Pertanyaan.CaraPenilaian.OPSI:
        return True
    return {
        Pertanyaan.CaraPenilaian.OPSI: jawaban.fraksi,
        Pertanyaan.CaraPenilaian.CAKUPAN: jawaban.cakupan_persen,
        Pertanyaan.CaraPenilaian.LANGSUNG: jawaban.poin_langsung,
    }[cara] is not None


def _pengisi(jawaban: Jawaban):
    """The people who answer: the lead agency's operators, or the unit's operators."""
    if jawaban.wilayah_id:
        return agencies_services.pengguna_dengan_peran(
            peran=Peran.OPERATOR_WILAYAH, wilayah=jawaban.wilayah
        )
    return agencies_services.pengguna_dengan_peran(peran=Peran.OPERATOR_OPD, opd=jawaban.opd)


def _kepala(jawaban: Jawaban):
    opd = opd_penanggung(jawaban)
    if opd is None:
        return User.objects.none()
    return agencies_services.pengguna_dengan_peran(peran=Peran.KEPALA_OPD, opd=opd)


def penyetuju(jawaban: Jawaban) -> alur.Penyetuju:
    """Who approves the answer at the head's step: the heads of the lead agency, or the camat
    of the kecamatan office for a kecamatan/kelurahan (clusters.rules.kepala_jawaban)."""
    if jawaban.wilayah_id is None:
        return alur.penyetuju_kantor(jawaban.opd)
    wilayah = jawaban.wilayah
    kecamatan = wilayah if wilayah.tingkat == Wilayah.Tingkat.KECAMATAN else wilayah.induk
    return alur.penyetuju_kantor(kantor_kecamatan(wilayah), kecamatan=kecamatan)


def _beri_tahu(jawaban: Jawaban, penerima, judul: str, *, email: bool = True) -> None:
    """Tell people about a step, linking to the answer; %(j)s is the answer, %(a)s its reason
    (``judul`` marked with gettext_noop: each reader sees it in their own language)."""
    agencies_services.notifikasi_kirim(
        penerima=penerima,
        judul=Teks.dari(judul, j=jawaban, a=jawaban.alasan),
        tautan=jawaban.get_absolute_url(),
        email=email,
    )


def alasan_data_dukung_kurang(jawaban: Jawaban) -> str:
    """Why the answer may not be sent yet: its question requires evidence and none is
    attached. Empty when it may. Said on the page before sending and refused by jawaban_kirim."""
    if jawaban.pertanyaan.wajib_lampiran and not jawaban.lampiran.aktif().exists():
        return _("Lampirkan data dukung sebelum mengirim: %(petunjuk)s") % {
            "petunjuk": jawaban.pertanyaan.petunjuk_lampiran
        }
    return ""


@transaction.atomic
def jawaban_kirim(
    *, jawaban: Jawaban, by: User, versi: int | None = None, email: bool = True
) -> Jawaban:
    """Send an answer to the agency head. Refuses an unanswered question, missing required
    evidence, a passed deadline (unless the agency has an extension), an agency or kecamatan
    where nobody but the sender could approve it (no head account), and a double submit.
    ``email=False``: the heads are told in the portal only (a batch e-mails them once)."""
    jawaban = _kunci(jawaban, versi, "kirim")
    siapa = penyetuju(jawaban)
    if jawaban.status in alur.BISA_DIUBAH:
        if not _terjawab(jawaban):
            raise ValidationError(_("Isi jawabannya terlebih dahulu, lalu simpan."))
        if alasan := alasan_data_dukung_kurang(jawaban):
            raise ValidationError(alasan)
        _periksa_batas_waktu(jawaban.pertanyaan, opd_penanggung(jawaban), jawaban)
        alur.periksa_kirim(siapa, by)
    alur.jalankan(jawaban, "kirim")
    jawaban.dikirim_oleh = by
    _simpan(jawaban, by, ["status", "dikirim_oleh"])
    _beri_tahu(
        jawaban, siapa.selain(by), gettext_noop("Menunggu persetujuan Anda: %(j)s"), email=email
    )
    return jawaban


@transaction.atomic
def jawaban_setujui(*, jawaban: Jawaban, by: User, versi: int | None = None) -> Jawaban:
    """The agency head approves: the answer goes to the secretariat for verification. Refuses
    the person who sent it, naming who else can approve."""
    jawaban = _kunci(jawaban, versi, "setujui")
    if alur.bisa(jawaban, "setujui"):
        alur.periksa_setujui(jawaban, by, penyetuju=lambda: penyetuju(jawaban), jenis=_("jawaban"))
    alur.jalankan(jawaban, "setujui")
    return _simpan(jawaban, by, ["status"])


@transaction.atomic
def jawaban_tolak(*, jawaban: Jawaban, by: User, alasan: str, versi: int | None = None) -> Jawaban:
    """The agency head sends the answer back to the operators, with a reason."""
    jawaban = _kunci(jawaban, versi, "tolak")
    alur.jalankan(jawaban, "tolak", alasan=alasan)
    _simpan(jawaban, by, ["status", "alasan"])
    _beri_tahu(
        jawaban, _pengisi(jawaban), gettext_noop("Dikembalikan oleh kepala: %(j)s. Alasan: %(a)s")
    )
    return jawaban


@transaction.atomic
def jawaban_verifikasi(
    *, jawaban: Jawaban, by: User, poin: Decimal | None = None, versi: int | None = None
) -> Jawaban:
    """The secretariat accepts an answer with the verifier's points (the agency's own by
    default; any points within [0, maximum] may be given). The answer is then locked."""
    jawaban = _kunci(jawaban, versi, "verifikasi")
    alur.jalankan(jawaban, "verifikasi")
    if jawaban.wilayah_id is None:
        poin = jawaban.poin_opd if poin is None else poin
        if poin is None:
            raise ValidationError(
                {
                    "poin": _("Poin verifikator harus antara 0 dan %(max)s.")
                    % {"max": tulis_angka(jawaban.pertanyaan.nilai_max)}
                }
            )
        salah = scoring.salah_poin(poin, jawaban.pertanyaan.nilai_max)
        if salah:
            raise ValidationError({"poin": salah})
        jawaban.poin_verifikator = poin
    _simpan(jawaban, by, ["status", "poin_verifikator"])
    _kembali_ke_provinsi(jawaban, by)
    return jawaban


def _kembali_ke_provinsi(jawaban: Jawaban, by: User) -> None:
    """An answer the province returned (or accepted, then the city reopened), verified again
    by the city, waits for the province again, its year too; its verifiers are told."""
    dicek = (
        VerifikasiProvinsi.objects.filter(jawaban=jawaban)
        .exclude(status=VerifikasiProvinsi.Status.MENUNGGU)
        .first()
    )
    if dicek is None:
        return
    dicek.status, dicek.poin = VerifikasiProvinsi.Status.MENUNGGU, None
    versi_lib.simpan(dicek, by, ["status", "poin"])
    for evaluasi in EvaluasiDaerah.objects.filter(
        tahun_id=jawaban.pertanyaan.tahun_id, daerah_id=jawaban.daerah_id, status_provinsi="selesai"
    ):
        evaluasi.status_provinsi = EvaluasiDaerah.StatusProvinsi.DIKIRIM
        evaluasi._history_user = by
        evaluasi.save(update_fields=["status_provinsi"])
    agencies_services.notifikasi_kirim(
        penerima=User.objects.filter(
            keanggotaan__in=Keanggotaan.objects.aktif().filter(
                peran=Peran.VERIFIKATOR_PROVINSI, wilayah_id=jawaban.daerah_id
            )
        ),
        judul=Teks.dari(gettext_noop("Diperbaiki kota, menunggu provinsi lagi: %(j)s"), j=jawaban),
        tautan=reverse(
            "provinsi:verifikasi", args=[jawaban.pertanyaan.tahun.tahun, jawaban.daerah_id]
        ),
    )


@transaction.atomic
def jawaban_kembalikan_provinsi(*, jawaban: Jawaban, by: User, alasan: str) -> Jawaban:
    """The province returns a verified answer with a reason: it is unlocked for the city's own
    workflow (its city-verified points no longer count until verified again), and its
    operators, head and secretariat are told."""
    jawaban = _kunci(jawaban, None, "buka_kembali")
    alur.jalankan(jawaban, "buka_kembali", alasan=alasan)
    jawaban.poin_verifikator = None
    _simpan(jawaban, by, ["status", "alasan", "poin_verifikator"])
    sekretariat = User.objects.filter(
        keanggotaan__in=Keanggotaan.objects.aktif().filter(
            peran=Peran.SEKRETARIAT, daerah_id=jawaban.daerah_id
        )
    )
    _beri_tahu(
        jawaban,
        [*_pengisi(jawaban), *_kepala(jawaban), *sekretariat],
        gettext_noop("Dikembalikan oleh provinsi: %(j)s. Alasan: %(a)s"),
    )
    return jawaban


@transaction.atomic
def jawaban_kembalikan(
    *, jawaban: Jawaban, by: User, alasan: str, versi: int | None = None
) -> Jawaban:
    """The secretariat returns an answer with a reason; operators and head are told."""
    jawaban = _kunci(jawaban, versi, "kembalikan")
    alur.jalankan(jawaban, "kembalikan", alasan=alasan)
    _simpan(jawaban, by, ["status", "alasan"])
    _beri_tahu(
        jawaban,
        [*_pengisi(jawaban), *_kepala(jawaban)],
        gettext_noop("Dikembalikan oleh Sekretariat: %(j)s. Alasan: %(a)s"),
    )
    return jawaban


@transaction.atomic
def jawaban_buka_kembali(
    *, jawaban: Jawaban, by: User, alasan: str, versi: int | None = None
) -> Jawaban:
    """Unlock a verified answer, with a reason; its verified points no longer count."""
    jawaban = _kunci(jawaban, versi, "buka_kembali")
    alur.jalankan(jawaban, "buka_kembali", alasan=alasan)
    jawaban.poin_verifikator = None
    _simpan(jawaban, by, ["status", "alasan", "poin_verifikator"])
    _beri_tahu(
        jawaban,
        _pengisi(jawaban),
        gettext_noop("Dibuka kembali oleh Sekretariat: %(j)s. Alasan: %(a)s"),
    )
    return jawaban


# --- Evidence -----------------------------------------------------------------------------


def _lampiran_baru(jawaban: Jawaban, daftar, by: User) -> list[Lampiran]:
    return berkas_check.simpan_lampiran_semua(lambda: Lampiran(jawaban=jawaban), daftar, by)


def _periksa_bisa_diubah(jawaban: Jawaban) -> None:
    _periksa_dibuka(jawaban.pertanyaan, jawaban)
    if not jawaban.bisa_diubah:
        raise ValidationError(
            _("Data dukung tidak dapat diubah: jawaban berstatus %(status)s.")
            % {"status": jawaban.get_status_display()}
        )


def _periksa_lampiran_aktif(jawaban: Jawaban, lampiran: Lampiran) -> None:
    _periksa_bisa_diubah(jawaban)
    if lampiran.diganti_oleh_id or lampiran.dihapus:
        raise ValidationError(_("Berkas ini sudah diganti atau dilepas. Muat ulang halaman."))


@transaction.atomic
def lampiran_tambah(
    *, pertanyaan: Pertanyaan, by: User, berkas, wilayah: Wilayah | None = None
) -> Lampiran:
    """Attach an evidence file, starting a draft answer if there is none yet."""
    jawaban = (
        Jawaban.objects.select_for_update(of=("self",))
        .filter(daerah_id=by.daerah_id, pertanyaan=pertanyaan, wilayah=wilayah)
        .first()
    )
    if jawaban is None:
        jawaban = jawaban_simpan(pertanyaan=pertanyaan, wilayah=wilayah, by=by, versi=0)
    _periksa_bisa_diubah(jawaban)
    [lampiran] = _lampiran_baru(jawaban, [berkas], by)
    _simpan(jawaban, by, [])
    return lampiran


@transaction.atomic
def lampiran_ganti(*, lampiran: Lampiran, by: User, berkas) -> Lampiran:
    """Replace a file; the old one stays in the history."""
    jawaban = _kunci(lampiran.jawaban)
    _periksa_lampiran_aktif(jawaban, lampiran)
    [baru] = _lampiran_baru(jawaban, [berkas], by)
    lampiran.diganti_oleh = baru
    lampiran._history_user = by
    lampiran.save(update_fields=["diganti_oleh"])
    _simpan(jawaban, by, [])
    return baru


@transaction.atomic
def lampiran_lepas(*, lampiran: Lampiran, by: User) -> None:
    """Remove a file from the answer; it stays in the history."""
    jawaban = _kunci(lampiran.jawaban)
    _periksa_lampiran_aktif(jawaban, lampiran)
    lampiran.dihapus = timezone.now()
    lampiran._history_user = by
    lampiran.save(update_fields=["dihapus"])
    _simpan(jawaban, by, [])
