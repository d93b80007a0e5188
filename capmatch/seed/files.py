"""Reading the seed/ data files: CSV with '#' comment lines, and JSON."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file whose leading '#' lines document its source."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return [{key: (value or "").strip() for key, value in row.items()} for row in csv.DictReader(lines)]


def organization_key(entry: dict[str, Any]) -> str:
    """How the demo files name an organization (users.json, needs.json, offers.json...): its acronym, or its
    "key" where the acronym cannot serve (none, or a short name with a space that is no acronym)."""
    return entry.get("key") or entry["acronym"]


def read_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)
