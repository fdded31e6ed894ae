"""The RAD in the API (rencana_aksi.api): plan periods, actions with their yearly targets and
figures, quarterly reports, and the monitoring dashboard's figures.

Reads show what the pages show, worked out by the same code (rencana_aksi.pemantauan and
selectors); writes are checked here as the pages' forms check them (rencana_aksi.forms), then
go to rencana_aksi.services.
"""

from rencana_aksi.serializers.dasar import *  # noqa: F403
from rencana_aksi.serializers.laporan import *  # noqa: F403
from rencana_aksi.serializers.rencana import *  # noqa: F403
