"""Sub-district facilities: a unit's state for each kind of facility."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Fasilitas, JenisFasilitas, StatusFasilitas, User, Wilayah
from agencies.services.bersama import _periksa_tanggal_lalu
from kla_portal import versi as versi_lib
from kla_portal.berkas import dibuang_bila_gagal, periksa_berkas, simpan_berkas_kolom

GAMBAR = {"image/jpeg", "image/png"}
PESAN_KEDALUWARSA = gettext_lazy(
    "Data %(j)s %(w)s sudah diubah oleh %(nama)s setelah Anda membuka halaman. Tidak "
    "ada yang disimpan: muat ulang halaman lalu ulangi."
)
PESAN_GANDA = gettext_lazy(
    "Data %(j)s %(w)s baru saja disimpan orang lain. Tidak ada yang disimpan: "
    "muat ulang halaman lalu ulangi."
)


@transaction.atomic
def fasilitas_simpan(
    *,
    wilayah: Wilayah,
    jenis: JenisFasilitas,
    status: int,
    by: User,
    versi: int,
    nomor_sk: str = "",
    tanggal_sk: date | None = None,
    keterangan: str = "",
    berkas_sk=None,
    foto=None,
) -> Fasilitas:
    """Record a unit's state for one kind of facility (creating its row on first save).

    ``versi`` is the version the form was built from (0 for a new row): a form built from an
    older version is refused, since someone saved in between. Refuses a kind not counted at the
    unit's level, a decreed or standardised state without its decree number, a decree dated in
    the future and a photo that is not a JPG or PNG.
    """
    if not jenis.berlaku_untuk(wilayah.tingkat):
        raise ValidationError(
            _("%(j)s tidak dicatat untuk %(w)s.") % {"j": jenis.nama, "w": wilayah.jenis.lower()}
        )
    nama = {"j": jenis.singkatan, "w": wilayah}
    fasilitas = versi_lib.kunci_atau_baru(
        Fasilitas.objects.filter(wilayah=wilayah, jenis=jenis),
        lambda: Fasilitas(wilayah=wilayah, jenis=jenis),
        versi,
        pesan=PESAN_KEDALUWARSA,
        konteks=nama,
    )
    if status >= StatusFasilitas.DITETAPKAN and not nomor_sk.strip():
        raise ValidationError({"nomor_sk": _("Tuliskan nomor SK untuk status ini.")})
    if tanggal_sk:
        _periksa_tanggal_lalu(tanggal_sk, "tanggal_sk")
    # Every file is checked before any is stored: a refusal leaves nothing in storage.
    if berkas_sk is not None:
        periksa_berkas(berkas_sk)
    if foto is not None and periksa_berkas(foto).jenis not in GAMBAR:
        raise ValidationError({"foto": _("Foto harus berupa JPG atau PNG.")})
    fasilitas.status = status
    fasilitas.nomor_sk, fasilitas.tanggal_sk = nomor_sk.strip(), tanggal_sk
    fasilitas.keterangan = keterangan.strip()
    with dibuang_bila_gagal() as tersimpan:
        if berkas_sk is not None:
            simpan_berkas_kolom(fasilitas, "berkas_sk", berkas_sk, "sk-fasilitas", tersimpan)
        if foto is not None:
            simpan_berkas_kolom(fasilitas, "foto", foto, "foto-fasilitas", tersimpan)
        # a first save of the same unit and kind a moment ago is refused by the database
        versi_lib.simpan(fasilitas, by, ganda=PESAN_GANDA % nama)
    return fasilitas
