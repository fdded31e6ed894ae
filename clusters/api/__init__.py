"""The evaluation's REST API: years, instrument and assignments (evaluasi), answers with their
workflow (jawaban), their evidence files (bukti), scores (skor). kla_portal.api says what
they share."""

from clusters.api import bukti, evaluasi, jawaban, skor

RUTE = [*evaluasi.RUTE, *jawaban.RUTE, *skor.RUTE, *bukti.RUTE]
URLS = [*evaluasi.URLS, *jawaban.URLS, *skor.URLS, *bukti.URLS]
