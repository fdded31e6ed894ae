"""Steps shared by the task-force and facility writes."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def _periksa_tanggal_lalu(tanggal: date, field: str) -> None:
    if tanggal > timezone.localdate():
        raise ValidationError({field: _("Tanggal tidak boleh di masa depan.")})
