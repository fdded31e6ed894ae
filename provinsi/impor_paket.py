"""A city that runs its own installation sends its year as the export package
(laporan.paket); the province imports it and verifies it as it verifies a hosted city's.

The package is checked first (``paket_baca``: a ZIP, safe paths, this format and version, every
evidence file's size and SHA-256), then against this installation: a kab/kota of the province,
a year whose instrument has the same fingerprint, no answers of that city and year here yet,
every city-level answer verified by the city. Every evidence file is checked again as an upload
is (kla_portal.berkas: kind, size, a PDF cleaned). Then in one transaction the city is served
(with its regions), its answering agencies are made by short name, its answers and their
evidence written, and its year sent to the province; a failure at any point writes nothing and
leaves no file behind."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from agencies import services as agencies_services
from agencies.models import Opd, User, Wilayah
from clusters import alur, scoring
from clusters.models import Jawaban, Lampiran, Pertanyaan, TahunEvaluasi
from clusters.services.skor import skor_perlu_dihitung
from kla_portal import berkas as berkas_check
from laporan import paket
from provinsi import services


@dataclass(frozen=True)
class HasilImporPaket:
    kota: Wilayah
    tahun: TahunEvaluasi
    jawaban: int
    bukti: int


def _angka(nilai) -> Decimal | None:
    if nilai in (None, ""):
        return None
    try:
        return Decimal(str(nilai))
    except InvalidOperation:
        raise ValidationError(_("Angka %(n)r di paket tidak sah.") % {"n": nilai}) from None


def _periksa(data: dict, provinsi: Wilayah) -> tuple[str, TahunEvaluasi, dict]:
    """The city's code, the year and the questions by (indicator code, question code); refuses
    what this installation cannot take."""
    kode = str(data.get("kota", {}).get("kode", ""))
    if kode not in dict(services.kota_belum_dilayani(provinsi)) and not (
        services.kota_provinsi(provinsi).filter(kode=kode).exists()
    ):
        raise ValidationError(
            _("Paket ini milik %(kode)s, bukan kabupaten/kota Provinsi %(p)s.")
            % {"kode": kode or "?", "p": provinsi.nama}
        )
    tahun = TahunEvaluasi.objects.filter(tahun=data.get("tahun")).first()
    if tahun is None:
        raise ValidationError(
            _("Tahun %(t)s belum ada di portal ini: buat tahunnya dan impor instrumennya dulu.")
            % {"t": data.get("tahun")}
        )
    sini, _soal = paket._instrumen(tahun)
    if data.get("instrumen", {}).get("sidik") != sini["sidik"]:
        raise ValidationError(
            _(
                "Instrumen paket berbeda dari instrumen %(t)s di portal ini (kode indikator atau "
                "pertanyaan tidak sama). Samakan instrumennya dulu."
            )
            % {"t": tahun}
        )
    if Jawaban.objects.filter(daerah__kode=kode, pertanyaan__tahun=tahun).exists():
        raise ValidationError(
            _("%(kode)s sudah punya jawaban %(t)s di portal ini; paket tidak diimpor dua kali.")
            % {"kode": kode, "t": tahun.tahun}
        )
    belum = [
        j
        for j in data["jawaban"]
        if j.get("wilayah") is None and j.get("status") != alur.Status.TERVERIFIKASI
    ]
    if belum:
        raise ValidationError(
            _(
                "%(n)s jawaban kab/kota di paket belum diverifikasi kota; kota memverifikasi "
                "semuanya sebelum mengirim ke provinsi."
            )
            % {"n": len(belum)}
        )
    soal = {
        (p.indikator.kode, p.kode): p
        for p in Pertanyaan.objects.filter(tahun=tahun).select_related("indikator")
    }
    return kode, tahun, soal


def _bukti(zf: zipfile.ZipFile, data: dict) -> dict[str, tuple]:
    """Each evidence path to its file (as an upload) and what the upload check found."""
    manifest = {b["path"]: b for b in data["bukti"]}
    hasil = {}
    for jalur, entri in manifest.items():
        berkas = SimpleUploadedFile(str(entri.get("nama_asli") or "bukti"), zf.read(jalur))
        try:
            hasil[jalur] = (berkas, berkas_check.periksa_berkas(berkas))
        except ValidationError as galat:
            raise ValidationError(
                _("Data dukung %(p)s ditolak: %(alasan)s")
                % {"p": entri.get("nama_asli"), "alasan": " ".join(galat.messages)}
            ) from None
    return hasil


def paket_impor(*, provinsi: Wilayah, berkas, by: User) -> HasilImporPaket:
    """Import a city's package and send its year to the province (see the module)."""
    baca = paket.paket_baca(berkas)
    if not baca.ok:
        raise ValidationError(baca.masalah)
    kode, tahun, soal = _periksa(baca.data, provinsi)
    berkas.seek(0)
    with zipfile.ZipFile(berkas) as zf:
        bukti = _bukti(zf, baca.data)
    with transaction.atomic(), berkas_check.dibuang_bila_gagal() as tersimpan:
        kota = agencies_services.kabkota_layani(kode=kode).kabkota
        opd = {o.singkatan: o for o in Opd.objects.filter(daerah=kota)}
        unit = dict(Wilayah.objects.di_dalam(kota).values_list("kode", "pk"))
        n_bukti = 0
        for baris in baca.data["jawaban"]:
            jawaban = _jawaban(baris, kota, soal, opd, unit, by)
            for jalur in baris.get("bukti", []):
                isi, info = bukti[jalur]
                lampiran = berkas_check.simpan_lampiran(
                    Lampiran(jawaban=jawaban), isi, by, info=info
                )
                tersimpan.append(lampiran.berkas)
                n_bukti += 1
        services.kirim_ke_provinsi(tahun=tahun, kota=kota, by=by)
        skor_perlu_dihitung(tahun_id=tahun.pk, daerah_id=kota.pk)
    return HasilImporPaket(kota, tahun, len(baca.data["jawaban"]), n_bukti)


def _jawaban(baris: dict, kota: Wilayah, soal: dict, opd: dict, unit: dict, by: User) -> Jawaban:
    kunci = (baris["pertanyaan"]["indikator"], baris["pertanyaan"]["kode"])
    pertanyaan = soal[kunci]
    wilayah_id = None
    if baris.get("wilayah"):
        wilayah_id = unit.get(baris["wilayah"])
        if wilayah_id is None:
            raise ValidationError(
                _("Wilayah %(w)s di paket bukan wilayah %(kota)s.")
                % {"w": baris["wilayah"], "kota": kota}
            )
    singkatan = baris.get("opd_penjawab")
    if singkatan and singkatan not in opd:
        opd[singkatan] = Opd.objects.create(
            daerah=kota, nama=singkatan, singkatan=singkatan, jenis=Opd.Jenis.DINAS
        )
    nilai = {k: _angka(baris.get("nilai", {}).get(k)) for k in paket.ISIAN}
    status = baris.get("status")
    if status not in alur.Status.values:
        raise ValidationError(_("Status %(s)r di paket tidak dikenal.") % {"s": status})
    jawaban = Jawaban(
        daerah=kota,
        pertanyaan=pertanyaan,
        wilayah_id=wilayah_id,
        opd=opd.get(singkatan),
        status=status,
        catatan=str(baris.get("nilai", {}).get("catatan", "")),
        alasan=str(baris.get("alasan", "")),
        poin_verifikator=_angka(baris.get("poin_verifikator")),
        diubah_oleh=by,
        **nilai,
    )
    if wilayah_id is None:
        jawaban.poin_opd = scoring.poin_pertanyaan(
            nilai_max=pertanyaan.nilai_max,
            cara=pertanyaan.cara_penilaian,
            fraksi=jawaban.fraksi,
            cakupan_persen=jawaban.cakupan_persen,
            poin_langsung=jawaban.poin_langsung,
        )
    jawaban._history_user = by
    jawaban._change_reason = _("Diimpor dari paket kota")
    jawaban.save()
    return jawaban
