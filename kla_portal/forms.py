from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    """Every form field gets the portal's label, Bootstrap widget classes and error display."""

    field_template_name = "partials/form_field.html"
