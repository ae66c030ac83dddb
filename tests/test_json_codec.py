"""server/json_codec.py: orjson where it gives what `json` gives, `json` where they differ."""

from __future__ import annotations

import json
import random
import re

import pytest

from server import json_codec


def _random_value(rng: random.Random, depth: int = 0):
    kind = rng.randrange(8 if depth < 4 else 5)
    if kind == 0:
        return rng.choice([0.0, -0.0, 1e-7, 1e16, 2.845, 1.7976931348623157e308, 5e-324])
    if kind == 1:
        return rng.uniform(-1e9, 1e9) * rng.choice([1, 1e-12, 1e12])
    if kind == 2:
        return rng.randrange(-(2**63), 2**63)
    if kind == 3:
        return rng.choice(["", "销售额达成率", 'a"b\\c\n\t\u0001', "😀", "\u2028"])
    if kind == 4:
        return rng.choice([True, False, None])
    if kind in (5, 6):
        return {f"k{i}·{rng.random()}": _random_value(rng, depth + 1) for i in range(3)}
    return [_random_value(rng, depth + 1) for _ in range(3)]


def test_round_trips_read_back_exactly_what_json_reads():
    rng = random.Random(16)
    for _ in range(2000):
        value = _random_value(rng)
        text = json_codec.dumps(value)
        # repr compares -0.0 with 0.0 and 1 with 1.0 too
        assert repr(json.loads(text)) == repr(value)
        assert repr(json_codec.loads(text)) == repr(json.loads(text))
        assert repr(json_codec.loads(json.dumps(value))) == repr(value)


@pytest.mark.parametrize(
    "value",
    [
        {"big": 2**70},  # orjson writes no integer beyond 64 bits
        {"nested": json.loads("[" * 300 + "]" * 300)},  # nor nests deeper than 254
        {1: "a non-string key"},
    ],
)
def test_what_orjson_does_not_write_json_writes(value):
    assert json_codec.dumps(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def test_long_integers_are_read_whole():
    text = '{"a": 18446744073709551616, "b": -92233720368547758090, "c": 12}'
    assert json_codec.loads(text) == {"a": 2**64, "b": -92233720368547758090, "c": 12}
    assert type(json_codec.loads(text)["a"]) is int
    with pytest.raises(ValueError):
        json_codec.fast_loads(text)  # orjson would read a double: json decides


def test_text_orjson_refuses_json_reads():
    # a byte-order mark and UTF-16: the standard library reads them, orjson does not
    assert json_codec.loads(b'\xef\xbb\xbf{"a": 1}') == {"a": 1}
    assert json_codec.loads('{"a": 1}'.encode("utf-16")) == {"a": 1}


def test_a_run_of_nineteen_digits_is_found_wherever_it_is():
    rng = random.Random(19)
    pattern = re.compile(rb"\d{19}")  # the definition: ASCII digits, nineteen in a row
    for _ in range(20000):
        text = bytes(rng.choice(b'0123456789 .,-e"a\xe4') for _ in range(rng.randrange(60)))
        assert json_codec.has_long_digits(text) == (pattern.search(text) is not None), text
    assert json_codec.has_long_digits(b'{"a": 0.1234567890123456789}')  # a fraction too
    assert not json_codec.has_long_digits(b'{"a": 123456789012345678, "b": 1}')  # 18 digits
    with pytest.raises(ValueError):
        json_codec.fast_loads('{"x": 1234567890123456789}')
