"""The API's pages, apart from kla_portal.api: DRF reads this setting while defining its views."""

from django.utils.translation import gettext_lazy
from rest_framework import pagination


class Halaman(pagination.PageNumberPagination):
    """Every list of the API: ``?page=`` and ``?page_size=`` (up to 200)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = gettext_lazy("Halaman ini tidak ada di daftar.")
