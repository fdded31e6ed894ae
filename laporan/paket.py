"""The export package of a city's evaluation year: one ZIP another installation can import.

The ZIP holds ``paket.json`` and the evidence files under ``bukti/``. ``paket.json`` carries the
format (``format``, ``versi_format``), the city (Kemendagri code and name), the year, the
instrument's identity (group names, indicator and question codes, and a fingerprint of them),
every answer (city-wide and per kecamatan/kelurahan) with its values, its points as the score
counts them (claimed, evidence-backed, verified), its state, a summary of its history, its
agency and its evidence files, the totals per agency, and the evidence manifest: each file's
path in the ZIP, original name, size and SHA-256.

It is built by a worker (``paket_minta`` queues ``laporan.tasks.bangun_paket``): files are
copied one by one from storage into a ZIP in the job's scratch folder and the ZIP is saved to
storage in chunks, so nothing large is held in memory. The stored file is named in the job's
``hasil`` and served only through permission-checked views. ``paket_baca`` checks a package
(format version, paths, every checksum) before an import and reports problems in Indonesian.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import uuid
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from agencies.models import Opd, Wilayah
from clusters import scoring
from clusters.models import Indikator, Jawaban, Kelompok, Lampiran, Pertanyaan, TahunEvaluasi
from kla_portal import antrean
from kla_portal import pekerjaan as pekerjaan_services
from kla_portal.models import Pekerjaan

log = logging.getLogger(__name__)

FORMAT = "kla-paket-evaluasi"
VERSI_FORMAT = 1
NAMA_JSON = "paket.json"
FOLDER_BUKTI = "bukti"
JENIS = "paket"
POTONGAN = 1024 * 1024
ISIAN = ("fraksi", "cakupan_persen", "poin_langsung", "angka_tahun_ini", "angka_tahun_lalu")


def _teks(nilai: Decimal | None) -> str | None:
    """A decimal as exact text ("7.50"); None stays None."""
    return None if nilai is None else str(nilai)


def _poin_teks(nilai: Decimal) -> str:
    """Points as the score rounds them, always with two places ("0.00")."""
    return str(scoring.bulatkan(nilai))


def _waktu(nilai) -> str | None:
    return nilai.isoformat() if nilai else None


# --- Asking for a package -------------------------------------------------------------------


def paket_minta(*, tahun: TahunEvaluasi, by) -> Pekerjaan:
    """Queue the build of a year's package. Refuses a year without an instrument and a second
    build of the same year while one is under way (a build whose worker is gone is marked
    failed and does not block). When the broker does not take the task, the job is marked
    failed and the person told to try again."""
    with transaction.atomic():
        list(TahunEvaluasi.objects.select_for_update().filter(pk=tahun.pk).values_list("pk"))
        if not tahun.pertanyaan.exists():
            raise ValidationError(
                _("%(t)s belum memiliki instrumen: impor instrumennya dulu.") % {"t": tahun}
            )
        for lain in Pekerjaan.objects.belum_berakhir().filter(
            jenis=JENIS, parameter__tahun=tahun.pk, parameter__daerah=by.daerah_id
        ):
            if not lain.mati:
                raise ValidationError(
                    _(
                        "Paket ekspor %(tahun)s sedang dibuat oleh %(oleh)s. Tunggu sampai "
                        "selesai atau batalkan dulu."
                    )
                    % {"tahun": tahun.tahun, "oleh": lain.dibuat_oleh}
                )
            pekerjaan_services.gagal(lain, pesan=pekerjaan_services.pesan_mati(lain))
        job = pekerjaan_services.buat(
            jenis=JENIS,
            judul=_("Paket ekspor evaluasi KLA %(tahun)s") % {"tahun": tahun.tahun},
            by=by,
            parameter={"tahun": tahun.pk, "daerah": by.daerah_id},
        )
        from laporan.tasks import bangun_paket

        kiriman = antrean.kirim_saat_commit(bangun_paket, job.pk, pekerjaan=job)
    if kiriman.gagal:
        raise ValidationError(antrean.TIDAK_TERSEDIA)
    return job


def paket_ulangi(*, pekerjaan: Pekerjaan, by) -> Pekerjaan:
    """Ask again for the package a failed job was building (Coba lagi)."""
    tahun = TahunEvaluasi.objects.filter(pk=pekerjaan.parameter.get("tahun")).first()
    if tahun is None:
        raise ValidationError(_("Tahun evaluasi ini sudah dihapus."))
    return paket_minta(tahun=tahun, by=by)


def berkas_paket(job: Pekerjaan) -> str:
    """The stored name of a finished package job's file; "" when it has none."""
    if job.jenis != JENIS or job.status != Pekerjaan.Status.SELESAI:
        return ""
    return job.hasil.get("berkas", "")


# --- What paket.json holds ------------------------------------------------------------------


def _instrumen(tahun: TahunEvaluasi) -> tuple[dict, dict[int, dict]]:
    kelompok = {
        k["id"]: k["nama"]
        for k in Kelompok.objects.filter(tahun=tahun).order_by("urutan").values("id", "nama")
    }
    indikator = list(
        Indikator.objects.filter(tahun=tahun)
        .order_by("kelompok__urutan", "urutan")
        .values("id", "kode", "nama", "kelompok_id", "nilai_max")
    )
    kode_ind = {i["id"]: i["kode"] for i in indikator}
    soal = {}
    for p in (
        Pertanyaan.objects.filter(tahun=tahun)
        .order_by("indikator__kelompok__urutan", "indikator__urutan", "urutan")
        .values(
            "id", "kode", "indikator_id", "nilai_max", "cara_penilaian", "lingkup", "wajib_lampiran"
        )
    ):
        soal[p["id"]] = {**p, "indikator": kode_ind[p["indikator_id"]]}
    kode = [[s["indikator"], s["kode"]] for s in soal.values()]
    isi = {
        "kelompok": list(kelompok.values()),
        "indikator": [
            {
                "kode": i["kode"],
                "nama": i["nama"],
                "kelompok": kelompok[i["kelompok_id"]],
                "nilai_max": _teks(i["nilai_max"]),
            }
            for i in indikator
        ],
        "pertanyaan": [
            {
                "indikator": s["indikator"],
                "kode": s["kode"],
                "nilai_max": _teks(s["nilai_max"]),
                "cara_penilaian": s["cara_penilaian"],
                "lingkup": s["lingkup"],
                "wajib_lampiran": s["wajib_lampiran"],
            }
            for s in soal.values()
        ],
        # The same instrument gives the same fingerprint on every installation.
        "sidik": hashlib.sha256(json.dumps(kode, ensure_ascii=False).encode()).hexdigest(),
    }
    return isi, soal


def _utama(tahun: TahunEvaluasi, daerah_id: int) -> dict[int, int]:
    """Each question's lead agency in the city."""
    return dict(
        Pertanyaan.objects.filter(
            tahun=tahun, penugasan__utama=True, penugasan__daerah_id=daerah_id
        ).values_list("id", "penugasan__opd_id")
    )


def _riwayat(tahun: TahunEvaluasi, daerah_id: int) -> dict[int, dict]:
    """Each answer's history in short: how many saves, the first and the last, and each change
    of state with when and by whom. One query."""
    ringkas: dict[int, dict] = {}
    for jid, waktu, status, oleh in (
        Jawaban.history.filter(daerah_id=daerah_id, pertanyaan__tahun=tahun)
        .order_by("id", "history_date", "history_id")
        .values_list("id", "history_date", "status", "history_user__username")
    ):
        r = ringkas.setdefault(jid, {"perubahan": 0, "pertama": _waktu(waktu), "status": []})
        r["perubahan"] += 1
        r["terakhir"] = _waktu(waktu)
        if not r["status"] or r["status"][-1]["status"] != status:
            r["status"].append({"status": status, "waktu": _waktu(waktu), "oleh": oleh or ""})
    return ringkas


def _poin(soal: dict, jawaban: Jawaban, ada_bukti: bool) -> dict:
    """The question's three figures as the score counts them (before the indicator's cap)."""
    hasil = scoring.skor_soal(
        scoring.Soal(
            id=soal["id"],
            indikator_id=soal["indikator_id"],
            nilai_max=soal["nilai_max"],
            cara=soal["cara_penilaian"],
            wajib_lampiran=soal["wajib_lampiran"],
        ),
        scoring.Isian(
            pertanyaan_id=soal["id"],
            status=jawaban.status,
            fraksi=jawaban.fraksi,
            cakupan_persen=jawaban.cakupan_persen,
            poin_langsung=jawaban.poin_langsung,
            poin_verifikator=jawaban.poin_verifikator,
            ada_lampiran=ada_bukti,
        ),
    )
    return {
        "diklaim": _poin_teks(hasil.mandiri) if hasil.terjawab else None,
        "berbukti": _poin_teks(hasil.berbukti) if hasil.terjawab else None,
        "terverifikasi": _poin_teks(hasil.verifikasi) if hasil.diverifikasi else None,
        "kurang_bukti": hasil.kurang_bukti,
    }


def _jawaban(tahun: TahunEvaluasi, daerah_id: int) -> list[Jawaban]:
    return list(
        Jawaban.objects.filter(daerah_id=daerah_id, pertanyaan__tahun=tahun)
        .select_related("wilayah", "opd")
        .annotate(ada_bukti=Exists(Lampiran.objects.aktif().filter(jawaban=OuterRef("pk"))))
        .order_by("pertanyaan_id", "wilayah__kode", "pk")
    )


def _per_opd(
    tahun: TahunEvaluasi, daerah_id: int, soal: dict[int, dict], jawaban: list[Jawaban]
) -> tuple:
    """The year's totals and each lead agency's, as the score computes them."""
    utama = _utama(tahun, daerah_id)
    hasil = scoring.hitung(
        indikator=[
            scoring.Ind(id=i, kelompok_id=k, nilai_max=m)
            for i, k, m in Indikator.objects.filter(tahun=tahun).values_list(
                "id", "kelompok_id", "nilai_max"
            )
        ],
        soal=[
            scoring.Soal(
                id=s["id"],
                indikator_id=s["indikator_id"],
                nilai_max=s["nilai_max"],
                cara=s["cara_penilaian"],
                wajib_lampiran=s["wajib_lampiran"],
                opd_id=utama.get(s["id"]),
            )
            for s in soal.values()
        ],
        isian=[
            scoring.Isian(
                pertanyaan_id=j.pertanyaan_id,
                status=j.status,
                fraksi=j.fraksi,
                cakupan_persen=j.cakupan_persen,
                poin_langsung=j.poin_langsung,
                poin_verifikator=j.poin_verifikator,
                ada_lampiran=j.ada_bukti,
            )
            for j in jawaban
            if j.wilayah_id is None
        ],
    )
    opd = Opd.objects.in_bulk([k for k in hasil.opd if k is not None])

    def angka(tiga: scoring.Tiga) -> dict:
        return {
            "max": _poin_teks(tiga.max),
            "diklaim": _poin_teks(tiga.mandiri),
            "berbukti": _poin_teks(tiga.berbukti),
            "terverifikasi": _poin_teks(tiga.verifikasi),
        }

    per_opd = [
        {
            "opd": opd[k].singkatan if k in opd else None,
            "nama": opd[k].nama if k in opd else None,
            **angka(tiga),
        }
        for k, tiga in hasil.opd.items()
    ]
    per_opd.sort(key=lambda r: r["opd"] or "")
    return angka(hasil.total), per_opd, utama


def _nama_di_zip(lampiran: Lampiran) -> str:
    """``bukti/<id>-<safe name>``: the id keeps names unique, the name stays readable; nothing
    a person typed can leave the folder."""
    nama = PurePosixPath(lampiran.nama_asli.replace("\\", "/")).name
    dasar, _titik, ekstensi = nama.rpartition(".")
    aman = slugify(dasar or nama)[:80] or "berkas"
    ekstensi = re.sub(r"[^a-z0-9]", "", ekstensi.lower())[:10] if dasar else ""
    return f"{FOLDER_BUKTI}/{lampiran.pk}-{aman}{'.' + ekstensi if ekstensi else ''}"


def _kota(daerah_id: int) -> dict:
    kota = Wilayah.objects.filter(pk=daerah_id).first()
    return {"kode": kota.kode, "nama": kota.nama} if kota else {"kode": "", "nama": ""}


# --- Building ---------------------------------------------------------------------------------


@dataclass
class Dibangun:
    berkas: str  # the stored name
    nama_berkas: str  # the download's name
    ukuran: int
    sha256: str
    jawaban: int
    bukti: int


def _salin(berkas, tujuan, digest) -> int:
    ukuran = 0
    for potongan in iter(lambda: berkas.read(POTONGAN), b""):
        digest.update(potongan)
        tujuan.write(potongan)
        ukuran += len(potongan)
    return ukuran


def isi_paket(
    tahun: TahunEvaluasi, daerah_id: int, *, oleh=None
) -> tuple[dict, list[tuple[Lampiran, str]]]:
    """The city's paket.json without its manifest, and the evidence files to put in the ZIP
    with their paths. About ten queries, whatever the size of the year."""
    instrumen, soal = _instrumen(tahun)
    jawaban = _jawaban(tahun, daerah_id)
    total, per_opd, utama = _per_opd(tahun, daerah_id, soal, jawaban)
    singkatan = dict(Opd.objects.filter(pk__in=set(utama.values())).values_list("pk", "singkatan"))
    riwayat = _riwayat(tahun, daerah_id)
    lampiran = defaultdict(list)
    daftar_bukti = []
    for berkas in (
        Lampiran.objects.aktif()
        .filter(daerah_id=daerah_id, jawaban__pertanyaan__tahun=tahun)
        .order_by("jawaban_id", "diunggah", "pk")
    ):
        jalur = _nama_di_zip(berkas)
        lampiran[berkas.jawaban_id].append(jalur)
        daftar_bukti.append((berkas, jalur))
    baris = []
    for j in jawaban:
        s = soal[j.pertanyaan_id]
        baris.append(
            {
                "pertanyaan": {"indikator": s["indikator"], "kode": s["kode"]},
                "wilayah": j.wilayah.kode if j.wilayah_id else None,
                "opd": singkatan.get(utama.get(j.pertanyaan_id)),
                "opd_penjawab": j.opd.singkatan if j.opd_id else None,
                "status": j.status,
                "versi": j.versi,
                "nilai": {k: _teks(getattr(j, k)) for k in ISIAN} | {"catatan": j.catatan},
                "poin_verifikator": _teks(j.poin_verifikator),
                "poin": None if j.wilayah_id else _poin(s, j, j.ada_bukti),
                "alasan": j.alasan,
                "diubah": _waktu(j.diubah),
                "riwayat": riwayat.get(j.pk, {"perubahan": 0, "status": []}),
                "bukti": lampiran.get(j.pk, []),
            }
        )
    data = {
        "format": FORMAT,
        "versi_format": VERSI_FORMAT,
        "dibuat": _waktu(timezone.now()),
        "dibuat_oleh": getattr(oleh, "username", ""),
        "kota": _kota(daerah_id),
        "tahun": tahun.tahun,
        "instrumen": instrumen,
        "skor": {"total": total, "per_opd": per_opd},
        "jawaban": baris,
    }
    return data, daftar_bukti


def bangun(
    tahun: TahunEvaluasi, daerah_id: int, *, folder, oleh=None, lapor=lambda persen, langkah: None
):
    """Write the city's package into ``folder`` (the job's scratch folder) and save it to storage;
    ``lapor(percent, step)`` hears the progress (and stops a cancelled build by raising)."""
    lapor(2, _("Membaca jawaban dan skor …"))
    data, daftar_bukti = isi_paket(tahun, daerah_id, oleh=oleh)
    tujuan = folder / "paket.zip"
    manifest = []
    with zipfile.ZipFile(tujuan, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        for n, (berkas, jalur) in enumerate(daftar_bukti, start=1):
            lapor(
                5 + 85 * (n - 1) // max(len(daftar_bukti), 1),
                _("Menyalin data dukung %(n)s dari %(dari)s …")
                % {"n": n, "dari": len(daftar_bukti)},
            )
            digest = hashlib.sha256()
            with berkas.berkas.open("rb") as sumber, zf.open(jalur, "w", force_zip64=True) as ke:
                ukuran = _salin(sumber, ke, digest)
            manifest.append(
                {
                    "path": jalur,
                    "nama_asli": berkas.nama_asli,
                    "jenis": berkas.jenis,
                    "ukuran": ukuran,
                    "sha256": digest.hexdigest(),
                }
            )
        data["bukti"] = manifest
        lapor(92, _("Menulis paket.json …"))
        zf.writestr(NAMA_JSON, json.dumps(data, ensure_ascii=False, indent=1))
    lapor(96, _("Menyimpan berkas paket …"))
    digest = hashlib.sha256()
    with tujuan.open("rb") as isi:
        for potongan in iter(lambda: isi.read(POTONGAN), b""):
            digest.update(potongan)
        isi.seek(0)
        nama = default_storage.save(
            f"laporan/paket/{tahun.tahun}/{uuid.uuid4().hex}.zip", File(isi, name="paket.zip")
        )
    kota = slugify(data["kota"]["nama"]) or "kota"
    return Dibangun(
        berkas=nama,
        nama_berkas=f"paket-kla-{tahun.tahun}-{kota}.zip",
        ukuran=tujuan.stat().st_size,
        sha256=digest.hexdigest(),
        jawaban=len(data["jawaban"]),
        bukti=len(manifest),
    )


def hasil_job(job: Pekerjaan, dibangun: Dibangun) -> dict:
    """What the finished job keeps: the stored file, and what its page shows."""
    return {
        "ringkasan": _("%(j)s jawaban, %(b)s data dukung.")
        % {"j": dibangun.jawaban, "b": dibangun.bukti},
        "tautan": reverse("laporan:paket-unduh", args=[job.pk]),
        "label_tautan": _("Unduh paket"),
        "berkas": dibangun.berkas,
        "nama_berkas": dibangun.nama_berkas,
        "ukuran": dibangun.ukuran,
        "sha256": dibangun.sha256,
    }


# --- Reading a package ------------------------------------------------------------------------


@dataclass
class HasilBaca:
    """What ``paket_baca`` found: ``data`` (paket.json) when it could be read, and every
    problem in Indonesian; ``ok`` only without problems."""

    data: dict | None = None
    masalah: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.masalah and self.data is not None


def _jalur_aman(nama: str) -> bool:
    jalur = PurePosixPath(nama)
    return (
        bool(nama)
        and "\\" not in nama
        and not jalur.is_absolute()
        and ".." not in jalur.parts
        and not re.match(r"^[A-Za-z]:", nama)
    )


def _periksa_data(data) -> list[str]:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return [_("paket.json bukan paket evaluasi KLA (format tidak dikenal).")]
    if data.get("versi_format") != VERSI_FORMAT:
        return [
            _("Versi format paket %(versi)s tidak didukung; portal ini membaca versi %(didukung)s.")
            % {"versi": data.get("versi_format"), "didukung": VERSI_FORMAT}
        ]
    if not isinstance(data.get("bukti"), list) or not isinstance(data.get("jawaban"), list):
        return [_("paket.json tidak lengkap: daftar jawaban atau data dukung tidak ada.")]
    return []


def _cocok(zf: zipfile.ZipFile, info: zipfile.ZipInfo, entri: dict) -> bool:
    """The entry has the size and SHA-256 the manifest gives; read in chunks and never past
    the size it claims (a ZIP bomb stops there)."""
    ukuran = entri.get("ukuran")
    if not isinstance(ukuran, int) or info.file_size != ukuran:
        return False
    digest, dibaca = hashlib.sha256(), 0
    with zf.open(info) as isi:
        for potongan in iter(lambda: isi.read(POTONGAN), b""):
            dibaca += len(potongan)
            if dibaca > ukuran:
                return False
            digest.update(potongan)
    return dibaca == ukuran and digest.hexdigest() == entri.get("sha256")


def _periksa_bukti(zf: zipfile.ZipFile, manifest: list) -> list[str]:
    masalah = []
    ada: dict[str, zipfile.ZipInfo] = {}
    for info in zf.infolist():
        if info.filename in ada:
            masalah.append(
                _("Berkas %(p)s muncul lebih dari sekali di dalam paket.") % {"p": info.filename}
            )
        ada[info.filename] = info
    disebut = set()
    for entri in manifest:
        jalur = str(entri.get("path", "")) if isinstance(entri, dict) else ""
        disebut.add(jalur)
        if not _jalur_aman(jalur) or jalur == NAMA_JSON:
            masalah.append(_("Jalur data dukung tidak aman: %(p)s.") % {"p": jalur})
        elif jalur not in ada:
            masalah.append(_("Data dukung %(p)s tidak ada di dalam paket.") % {"p": jalur})
        elif not _cocok(zf, ada[jalur], entri):
            masalah.append(
                _("Data dukung %(p)s rusak atau diubah: checksum SHA-256 tidak cocok.")
                % {"p": jalur}
            )
    for nama in ada:
        if nama != NAMA_JSON and nama not in disebut and not nama.endswith("/"):
            masalah.append(_("Berkas %(p)s tidak tercantum di daftar data dukung.") % {"p": nama})
    return masalah


def paket_baca(berkas) -> HasilBaca:
    """Check a package (a path or an open binary file) before an import: it is a ZIP, no entry
    leaves its folder, paket.json has this format and version, and every evidence file named in
    the manifest is there with its size and SHA-256. Nothing is extracted to disk."""
    hasil = HasilBaca()
    try:
        zf = zipfile.ZipFile(berkas)
    except (zipfile.BadZipFile, OSError, ValueError):
        hasil.masalah.append(_("Berkas ini bukan ZIP paket evaluasi KLA."))
        return hasil
    with zf:
        tidak_aman = [n for n in zf.namelist() if not _jalur_aman(n)]
        for nama in tidak_aman:
            hasil.masalah.append(_("Jalur berkas di dalam paket tidak aman: %(p)s.") % {"p": nama})
        try:
            data = json.loads(zf.read(NAMA_JSON).decode("utf-8"))
        except KeyError:
            hasil.masalah.append(_("paket.json tidak ada di dalam paket."))
            return hasil
        except (ValueError, UnicodeDecodeError, zipfile.BadZipFile):
            hasil.masalah.append(_("paket.json tidak dapat dibaca (bukan JSON yang sah)."))
            return hasil
        salah = _periksa_data(data)
        if salah:
            hasil.masalah.extend(salah)
            return hasil
        try:
            hasil.masalah.extend(_periksa_bukti(zf, data["bukti"]))
        except (zipfile.BadZipFile, OSError) as galat:
            log.warning("Paket rusak", exc_info=galat)
            hasil.masalah.append(_("Isi ZIP rusak dan tidak dapat dibaca."))
        hasil.data = data
    return hasil
