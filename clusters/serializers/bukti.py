"""Evidence files (data dukung) of answers in the API: what is stored about each file."""

from clusters.models import Lampiran
from kla_portal.api_bukti import BuktiDasarSerializer, UnggahBuktiSerializer

__all__ = ["BuktiSerializer", "UnggahBuktiSerializer"]


class BuktiSerializer(BuktiDasarSerializer):
    """An evidence file of an answer, as the question page lists it (with its history: the
    file that replaced it, or when it was removed)."""

    URL_UNDUH = "bukti-unduh"

    class Meta:
        model = Lampiran
        fields = [*BuktiDasarSerializer.DASAR, "jawaban", "diganti_oleh", "dihapus", "unduh"]
        read_only_fields = fields
