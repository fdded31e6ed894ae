"""REST API: see kla_portal.api for what every endpoint shares."""

from rencana_aksi import api_bukti

RUTE: list = [*api_bukti.RUTE]
URLS: list = [*api_bukti.URLS]
