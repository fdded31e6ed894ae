from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """A dict's value in a template: {{ perubahan|get_item:h.history_id }}."""
    return mapping.get(key, []) if mapping else []


@register.filter
def sel(value, jenis: str):
    """A table cell by its column kind: points "1.234,5", counts "1.234", percent "45,5%"."""
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.template.defaultfilters import floatformat

    if value is None or value == "":
        return ""
    if jenis == "angka":
        return floatformat(value, "2g")
    if jenis == "jumlah":
        return intcomma(value)
    if jenis == "persen":
        return f"{floatformat(value, '-1g')}%"
    return value
