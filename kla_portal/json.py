"""JSON written and read with orjson, for a ``JSONField`` whose values are large.

A score snapshot's detail (``SkorSnapshot.rincian``) is some 120 KB, written by every
recompute and read by every score page; the standard library's ``json`` takes several times
as long as orjson on it. Django lets a ``JSONField`` choose its ``encoder`` and ``decoder``
(classes ``json.dumps`` and ``json.loads`` are called with), so these two hand the work to
orjson. The text stored is the same JSON; only its non-ASCII characters are written as they
are rather than escaped. orjson takes only text keys, as every stored detail has.
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
