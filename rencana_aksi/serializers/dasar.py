"""What the RAD's serializers share: number sizes, and refusing unknown fields."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

ANGKA = {"max_digits": 14, "decimal_places": 2}
ID_TERBESAR = 2**31 - 1  # what an id column holds in every database
RUPIAH = {"max_digits": 18, "decimal_places": 2}


class TanpaKolomAsing:
    """A write serializer that refuses fields it does not know (a typo would otherwise be
    silently ignored and the client would think it was saved)."""

    # What a read gives besides the fields written, let through when a record read is sent
    # back whole.
    ABAIKAN: frozenset = frozenset()

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            asing = sorted(set(data.keys()) - set(self.fields) - self.ABAIKAN)
            if asing:
                raise serializers.ValidationError(
                    {k: [_("Kolom ini tidak dikenal; periksa ejaannya.")] for k in asing}
                )
        return super().to_internal_value(data)


PERSEN = serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True)
