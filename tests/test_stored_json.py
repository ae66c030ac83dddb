"""json_codec.loads on stored JSON text: what json.loads reads, by value and by type."""

from __future__ import annotations

import json

import pytest

from server.json_codec import loads as decoded

TEXTS = [
    '{"a":1,"b":1.0,"c":-0.0,"d":0.1,"e":1e-7,"f":5e-324,"g":1.7976931348623157e308}',
    '{"big":123456789012345678901234567890,"neg":-9223372036854775809,"max":18446744073709551615}',
    '{"edge":9223372036854775807,"low":-9223372036854775808,"id":"1234567890123456789012"}',
    '{"nan":NaN,"inf":Infinity,"minus":-Infinity}',
    '{"z":"销售额","esc":"\\u00e9\\n\\"","nested":[{"x":[1,2.5,{"y":null}]},true,false]}',
    '{"dup":1,"dup":2}',
    '{"x":12345678.901234567,"y":0.30000000000000004,"z":2.675,"w":1E+21}',
]


@pytest.mark.parametrize("text", TEXTS)
def test_decoded_is_what_json_loads_gives(text: str) -> None:
    got, want = decoded(text), json.loads(text)
    assert repr(got) == repr(want)
    assert [type(v) for v in got.values()] == [type(v) for v in want.values()]
