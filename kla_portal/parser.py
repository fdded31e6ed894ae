"""The API's parsers, apart from kla_portal.api: DRF reads this setting while defining its views."""

from rest_framework import exceptions
from rest_framework.parsers import JSONParser


class JsonParser(JSONParser):
    """DRF's JSON parser; a body nested too deep for Python is a 400, not a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError() from None
