"""JSON written and read with orjson, for a ``JSONField`` whose values are large.

A score snapshot's detail (``SkorSnapshot.rincian``) is some 120 KB, written by every
recompute and read by every score page; the standard library's ``json`` takes several times
as long as orjson on it. Django lets a ``JSONField`` choose its ``encoder`` and ``decoder``
(classes ``json.dumps`` and ``json.loads`` are called with), so these two hand the work to
orjson. The values stored are the same; the text is written compactly (no space after "," and
":"), non-ASCII characters as UTF-8 rather than escaped. orjson takes only text keys and
integers within 64 bits, and writes NaN as null: every stored detail has text keys and its
figures as Decimal strings.
"""

from __future__ import annotations

import json

import orjson


class OrjsonEncoder(json.JSONEncoder):
    def encode(self, o) -> str:
        return orjson.dumps(o).decode()


class OrjsonDecoder(json.JSONDecoder):
    def decode(self, s, _w=None):
        return orjson.loads(s)
