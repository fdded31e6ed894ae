from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    """Forms get Bootstrap widget classes, errors beside their field, form errors in one alert."""

    form_template_name = "partials/form.html"
    field_template_name = "partials/form_field.html"
