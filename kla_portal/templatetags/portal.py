from decimal import Decimal

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def get_item(mapping, key):
    """A dict's value in a template: {{ perubahan|get_item:h.history_id }}."""
    return mapping.get(key, []) if mapping else []


@register.filter
def sel(value, jenis: str):
    """A table cell by its column kind: points "1.234,50", counts "1.234", percent "45,5%",
    rupiah "1.250.000" (the column says Rp), a quantity "1.250" or "12,5" (bilangan)."""
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.template.defaultfilters import floatformat

    from kla_portal.tabel import tulis_angka

    if value is None or value == "":
        return ""
    if jenis == "angka":
        return floatformat(value, "2g")
    if jenis == "jumlah":
        return intcomma(value)
    if jenis == "rupiah":
        return floatformat(value, "0g")
    if jenis == "bilangan":  # a figure as typed: "12", "12,5", "7,25", "1.250"
        return tulis_angka(Decimal(str(value)))
    if jenis == "persen":
        return f"{floatformat(value, '1g')}%"
    return value


@register.filter
def putus_di_garis_miring(value: str):
    """Text that may wrap after each slash ("olahraga/kesenian"), for a narrow column header."""
    return mark_safe(escape(value).replace("/", "/<wbr>"))  # noqa: S308 - escaped first
