"""db.json_loads decodes what PostgreSQL sends exactly as json.loads does."""

from __future__ import annotations

import json

import pytest

from capmatch.db import json_loads

CASES = [
    b'{"cost": 0.5229, "skills": 1.0, "south_south": 1, "note": "caf\xc3\xa9 \\u00e9"}',
    b'[1, 2.5, null, true, "x"]', b'"text"', b"1", b"null", b'{"a": NaN}',
    b' {"a": 1} ',  # the json type keeps the whitespace it was given
    "{\"already\": \"text\"}",
]


@pytest.mark.parametrize("data", CASES)
def test_json_loads_gives_what_json_loads_gives(data):
    value = json_loads(data)
    assert value == json.loads(data) or (value != value)  # NaN aside
    assert type(value) is type(json.loads(data))


@pytest.mark.parametrize("data", [b'{"a": 1} {"b": 2}', b"", b"  ", b'{"a": '])
def test_json_loads_refuses_what_json_loads_refuses(data):
    with pytest.raises(json.JSONDecodeError):
        json_loads(data)
