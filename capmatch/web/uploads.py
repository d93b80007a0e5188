"""Carrying an uploaded roster from the preview page to the Confirm button without server state.

The preview page embeds the file in hidden fields, compressed and signed with the app's secret
key (itsdangerous, timestamped). Confirming re-reads and re-checks those exact bytes, so nothing
is kept on the server between the two steps and any web worker can take the second request.
The signature binds the file to the user and the organization it was previewed for, and it
expires: an old or edited page cannot be replayed.

The value is split into chunks below Starlette's 1 MB limit on a single form field.
"""

from __future__ import annotations

import base64
import json
import zlib
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner

from capmatch.config import get_settings
from capmatch.i18n import _

SALT = "capmatch.roster-upload"
MAX_AGE_SECONDS = 3600
CHUNK = 512 * 1024


class UploadExpired(ValueError):
    pass


@dataclass(frozen=True)
class Upload:
    filename: str
    content: bytes


def _signer() -> TimestampSigner:
    return TimestampSigner(get_settings().secret_key, salt=SALT)


def seal(*, filename: str, content: bytes, organization_id: int, user_id: int) -> list[str]:
    head = base64.urlsafe_b64encode(
        json.dumps({"f": filename, "o": organization_id, "u": user_id}).encode()
    ).decode()
    body = base64.urlsafe_b64encode(zlib.compress(content, 6)).decode()
    token = _signer().sign(f"{head}.{body}").decode()
    return [token[i:i + CHUNK] for i in range(0, len(token), CHUNK)]


def unseal(chunks: list[str], *, organization_id: int, user_id: int, max_bytes: int) -> Upload:
    try:
        value = _signer().unsign("".join(chunks), max_age=MAX_AGE_SECONDS).decode()
    except SignatureExpired:
        raise UploadExpired(_("This preview is more than an hour old: upload the file again.")) from None
    except BadSignature:
        raise UploadExpired(_("The upload could not be verified: upload the file again.")) from None
    head, _dot, body = value.partition(".")
    meta = json.loads(base64.urlsafe_b64decode(head))
    if meta.get("o") != organization_id or meta.get("u") != user_id:
        raise UploadExpired(_("This preview was made for another roster: upload the file again."))
    inflater = zlib.decompressobj()
    # Bounded: a signed value is ours, but a size cap keeps a bug from inflating without limit.
    content = inflater.decompress(base64.urlsafe_b64decode(body), max_bytes + 1)
    return Upload(str(meta.get("f", "roster.csv")), content)
