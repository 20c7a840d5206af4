"""What besides the data decides a publication's figures, as one checksum.

A publication (``indicators.services.publish``) is only valid for the rules it was made
under: the disclosure rules, the indicator registry and the state-list rules. Readers
compare this checksum with the one stored on the publication and compute instead of
serving figures made under other rules.
"""

from __future__ import annotations

import hashlib

from indicators import disclosure, registry, state_lists

#: Bump when what a publication holds changes shape, so ``keob publish --if-needed``
#: publishes again.
PUBLICATION_FORMAT = "1"
#: The published frames kept whole (``db.models_publication.PublishedFrame``).
STATE_LISTS_FRAME = "state_lists"


def rules_checksum() -> str:
    """SHA-256 over the publication format and the rule files' bytes."""
    digest = hashlib.sha256(PUBLICATION_FORMAT.encode())
    for path in (disclosure.RULES_PATH, registry.REGISTRY_PATH, state_lists.RULES_PATH):
        digest.update(path.read_bytes())
    return digest.hexdigest()
