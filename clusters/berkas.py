"""Moved to kla_portal.berkas (every app checks uploads the same way, agencies included).

Kept so that branches written before the move still import; new code imports kla_portal.berkas.
"""

from kla_portal.berkas import *  # noqa: F403
from kla_portal.berkas import DITERIMA, BerkasDiperiksa  # noqa: F401
