"""REST API: see kla_portal.api for what every endpoint shares."""

RUTE: list = []
URLS: list = []
