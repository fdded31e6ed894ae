"""Login throttling with two limits: a username from one address, and one address alone.

django-axes compares every lockout parameter with one failure limit. The portal wants the pair
(username, address) locked after AXES_FAILURE_LIMIT failures, so nobody elsewhere can lock a
person out, and an address alone after the higher AXES_IP_FAILURE_LIMIT, so one machine cannot
try a password on every account. AXES_LOCKOUT_PARAMETERS lists the pair first, the address
second.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


def _jumlah(attempts) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class KunciMasukHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """Failures of the pair; once the address passes its own limit, a count that locks."""
        pasangan, alamat = (_jumlah(q) for q in self.get_user_attempts(request, credentials))
        request.kla_alamat_terkunci = alamat >= settings.AXES_IP_FAILURE_LIMIT
        if request.kla_alamat_terkunci:
            return max(pasangan, settings.AXES_FAILURE_LIMIT)
        return pasangan

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A correct login clears its own pair only: logging into one's own account must not
        wipe the failures the same address made on other accounts."""
        count, _ = self.filter_user_attempts(request, credentials)[0].delete()
        return count
