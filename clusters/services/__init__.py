"""Every write of the evaluation goes through these functions (see persiapan and jawaban)."""

from clusters.services.batas_waktu import *  # noqa: F403
from clusters.services.impor import *  # noqa: F403
from clusters.services.jawaban import *  # noqa: F403
from clusters.services.kelana_dekela import *  # noqa: F403
from clusters.services.kirim_semua import *  # noqa: F403
from clusters.services.persiapan import *  # noqa: F403
from clusters.services.skor import *  # noqa: F403
