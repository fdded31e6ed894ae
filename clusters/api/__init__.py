"""The evaluation's REST API: years, instrument and assignments (evaluasi), answers with their
workflow and evidence (jawaban), scores (skor). kla_portal.api says what they share."""

from clusters.api import evaluasi, jawaban, skor

RUTE = [*evaluasi.RUTE, *jawaban.RUTE, *skor.RUTE]
URLS = [*evaluasi.URLS, *jawaban.URLS, *skor.URLS]
