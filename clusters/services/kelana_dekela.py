"""Kelana-Dekela questions answered from the sub-district facility register (the proposals are
read by clusters.selectors.usulan_kelana_dekela; the writes are here).

"Berapa persentase desa/kelurahan yang melaksanakan fungsi PATBM?" is answered by counting the
register (agencies.fasilitas). Which question counts which kind of facility, at which level,
is data on the question: proposed from the instrument's words (each kind's keywords), and
changed by the secretariat. The proposal is the share of the city's units that have the kind
(from its minimum state on); the question's lead agency accepts it as its answer, or not.
Only coverage questions (cara penilaian: persentase cakupan) are proposed.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agencies.models import JenisFasilitas, User, Wilayah
from clusters.models import Jawaban, Pertanyaan, TahunEvaluasi
from clusters.services.jawaban import jawaban_simpan

LINGKUP_TINGKAT = {
    Pertanyaan.Lingkup.KECAMATAN: Wilayah.Tingkat.KECAMATAN,
    Pertanyaan.Lingkup.DESA_KELURAHAN: Wilayah.Tingkat.DESA_KELURAHAN,
}


def tingkat_pertanyaan(pertanyaan: Pertanyaan) -> int | None:
    """The level a coverage question counts: its scope, else what its text asks about."""
    if pertanyaan.lingkup in LINGKUP_TINGKAT:
        return LINGKUP_TINGKAT[pertanyaan.lingkup]
    teks = pertanyaan.teks.lower()
    if "persentase kecamatan" in teks:
        return Wilayah.Tingkat.KECAMATAN
    if "kelurahan" in teks or "persentase desa" in teks:
        return Wilayah.Tingkat.DESA_KELURAHAN
    return None


def jenis_untuk(teks: str, tingkat: int, semua_jenis: list[JenisFasilitas]):
    """The first kind (in its order) counted at ``tingkat`` whose keyword the text holds, as a
    whole word ("ILA" is not found in "kelurahan")."""
    for jenis in semua_jenis:
        if not jenis.berlaku_untuk(tingkat):
            continue
        for kunci in jenis.daftar_kata_kunci():
            if re.search(rf"(?<!\w){re.escape(kunci)}(?!\w)", teks, re.IGNORECASE):
                return jenis
    return None


@transaction.atomic
def fasilitas_usulkan_pemetaan(*, tahun: TahunEvaluasi) -> int:
    """Propose, for the year's coverage questions not mapped yet, the kind of facility that
    counts them; returns how many were mapped. A mapping the secretariat chose is kept."""
    semua_jenis = list(JenisFasilitas.objects.all())
    dipetakan = 0
    belum = Pertanyaan.objects.filter(
        tahun=tahun, cara_penilaian=Pertanyaan.CaraPenilaian.CAKUPAN, jenis_fasilitas__isnull=True
    )
    for pertanyaan in belum:
        tingkat = tingkat_pertanyaan(pertanyaan)
        jenis = tingkat and jenis_untuk(pertanyaan.teks, tingkat, semua_jenis)
        if jenis:
            pertanyaan.jenis_fasilitas, pertanyaan.tingkat_fasilitas = jenis, tingkat
            pertanyaan.save(update_fields=["jenis_fasilitas", "tingkat_fasilitas"])
            dipetakan += 1
    return dipetakan


def pertanyaan_atur_fasilitas(
    *, pertanyaan: Pertanyaan, jenis: JenisFasilitas | None, by: User
) -> Pertanyaan:
    """Say which kind of facility counts a coverage question (None: no kind). The level
    follows from the question; a kind not counted at that level is refused."""
    tingkat = None
    if jenis is not None:
        if pertanyaan.cara_penilaian != Pertanyaan.CaraPenilaian.CAKUPAN:
            raise ValidationError(_("Hanya pertanyaan persentase cakupan yang dapat dihitung."))
        tingkat = tingkat_pertanyaan(pertanyaan)
        if tingkat is None or not jenis.berlaku_untuk(tingkat):
            raise ValidationError(
                _("%(j)s tidak dicatat di tingkat yang ditanyakan %(p)s.")
                % {"j": jenis.nama, "p": pertanyaan}
            )
    pertanyaan.jenis_fasilitas, pertanyaan.tingkat_fasilitas = jenis, tingkat
    pertanyaan.save(update_fields=["jenis_fasilitas", "tingkat_fasilitas"])
    return pertanyaan


@transaction.atomic
def usulan_terima(*, pertanyaan: Pertanyaan, by: User, versi: int) -> Jawaban:
    """The lead agency accepts the register's coverage as its answer (a draft, which it sends
    as usual), with a note of where the figure came from. Refuses a question not counted from
    facilities, a city without units, and whatever saving an answer refuses (an answer already
    sent, a stale page, a closed year)."""
    if pertanyaan.jenis_fasilitas_id is None:
        raise ValidationError(_("Pertanyaan ini tidak dihitung dari register fasilitas."))
    from clusters.selectors import usulan_kelana_dekela  # the selectors read the services

    usulan = usulan_kelana_dekela(Pertanyaan.objects.filter(pk=pertanyaan.pk), kabkota=by.daerah)[0]
    if usulan.persen is None:
        raise ValidationError(_("Belum ada kecamatan/kelurahan yang dimuat untuk kota ini."))
    lama = usulan.jawaban or Jawaban()
    catatan = _("Dari register fasilitas wilayah per %(tanggal)s: %(kalimat)s.") % {
        "tanggal": date_format(timezone.localdate()),
        "kalimat": usulan.kalimat,
    }
    sebelumnya = [b for b in lama.catatan.splitlines() if not b.startswith(catatan[:30])]
    return jawaban_simpan(
        pertanyaan=pertanyaan,
        by=by,
        versi=versi,
        cakupan_persen=usulan.persen,
        angka_tahun_ini=lama.angka_tahun_ini,
        angka_tahun_lalu=lama.angka_tahun_lalu,
        catatan="\n".join([*sebelumnya, catatan]),
    )
