"""Small pieces the coordination views share."""

import mimetypes
from types import SimpleNamespace

from kla_portal import berkas as berkas_check
from rencana_aksi.forms import tambah_galat  # a refusal onto its form, as the RAD pages do

__all__ = ["berkas_respons", "tambah_galat"]


def berkas_respons(berkas, nama: str):
    """A stored file (decree, certificate, minutes, photo), to be returned only after the
    permission check, like answers' evidence."""
    return berkas_check.respons_unduh(
        SimpleNamespace(
            berkas=berkas,
            jenis=mimetypes.guess_type(berkas.name)[0] or "application/octet-stream",
            nama_asli=nama or berkas.name.rsplit("/", 1)[-1],
        )
    )
