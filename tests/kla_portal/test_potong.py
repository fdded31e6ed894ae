"""kla_portal.ekspor.potong cuts as the truncatechars filter does, skipping its walk over
every character only when the text is short enough to show whole."""

import pytest
from django.template.defaultfilters import truncatechars
from django.utils.safestring import SafeString

from kla_portal.ekspor import potong


@pytest.mark.parametrize(
    "teks",
    [
        "",
        "Dinkes",
        "x" * 10,
        "x" * 11,
        "e\u0301" * 10,  # combining accents: NFC makes them one character each
        "e\u0301" * 11,
        "<b>tebal</b>",
        SafeString("<b>aman</b>" * 3),
        1234567890123,
        None,
    ],
)
def test_cuts_as_truncatechars(teks):
    assert potong(teks, 10) == truncatechars(teks, 10)
    assert isinstance(potong(teks, 10), SafeString) == isinstance(
        truncatechars(teks, 10), SafeString
    )
