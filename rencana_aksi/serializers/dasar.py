"""What the RAD's serializers share: number sizes (unknown fields are refused by
kla_portal.api.TanpaIsianAsing)."""

from __future__ import annotations

from rest_framework import serializers

ANGKA = {"max_digits": 14, "decimal_places": 2}
RUPIAH = {"max_digits": 18, "decimal_places": 2}


PERSEN = serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True)
