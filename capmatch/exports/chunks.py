"""Pieces of text gathered into chunks of about CHUNK bytes, the size an export sends at a time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

CHUNK = 64 * 1024  # bytes gathered before a chunk is sent


def gathered(pieces: Iterable[str]) -> Iterator[bytes]:
    """The pieces, joined and encoded as UTF-8, a chunk each time about CHUNK characters are in hand."""
    parts: list[str] = []
    size = 0
    for piece in pieces:
        parts.append(piece)
        size += len(piece)
        if size >= CHUNK:
            yield "".join(parts).encode()
            parts, size = [], 0
    if parts:
        yield "".join(parts).encode()
