from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """A dict's value in a template: {{ perubahan|get_item:h.history_id }}."""
    return mapping.get(key, []) if mapping else []
