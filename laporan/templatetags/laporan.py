from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def teks_css(value) -> str:
    """A value as a CSS string ("Kota Serang"), for the page margins of the PDF stylesheet."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    text = " ".join(text.split())  # a line break would end the CSS string
    return mark_safe(f'"{text}"')  # noqa: S308 - escaped for a CSS string above
