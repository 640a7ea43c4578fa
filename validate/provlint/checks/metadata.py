"""PL4xx: page metadata printed into the text, lifted into provenance."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..dates import parse_date
from ..lines import block_span, split
from ..model import Document, Edit, Fix, Hit, Span
from ..registry import rule

_LABEL_RE = re.compile(
    r"^\s*(?P<label>publish(?:ed)?\s+(?:date|on)|date\s+published|published|first\s+published"
    r"(?:\s+on)?|posted(?:\s+on)?|last\s+updated(?:\s+on)?|updated(?:\s+on)?|last\s+modified"
    r"|modified(?:\s+on)?)\s*[:\-–]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)


@rule(code="PL401", name="dateline-label", fix="always")
def dateline_label(doc: Document, *, remove: bool = True) -> Iterator[Hit]:
    """A "Publish Date" / "Published" / "Updated" label with its date.

    Why: the page's date widget is printed as lines of its own ("Publish
    Date" then "Sat, 10 Sep 2022, 1:23pm"); it is metadata, not article
    text. The date is lifted into the provenance record (``published`` or
    ``updated``, ISO 8601) and the lines are removed (set ``remove = false``
    to keep them). Only a line that is the label and a date and nothing
    else matches; a date inside a sentence is never touched.
    Fix safety: safe, the value is kept in the provenance metadata.

    Bad: "Headline\\n\\nPublish Date\\nSat, 10 Sep 2022, 1:23pm\\n\\nBody.\\n"
    Good: "Headline\\n\\nThe report was published on 10 Sep 2022, he said.\\n"
    """
    lines = split(doc.text)
    i = 0
    while i < len(lines):
        m = _LABEL_RE.match(lines[i].text)
        if m is None:
            i += 1
            continue
        last = i
        iso = parse_date(m["rest"]) if m["rest"].strip() else None
        if iso is None and not m["rest"].strip() and i + 1 < len(lines):
            iso = parse_date(lines[i + 1].text)
            last = i + 1
        if iso is None:
            i += 1
            continue
        label = m["label"].lower()
        key = "updated" if ("updated" in label or "modified" in label) else "published"
        span = block_span(lines, i, last)
        fix = Fix("Lift the date into metadata and delete the lines", (Edit(span),))
        yield Hit(Span(lines[i].start, lines[last].stop),
                  f"dateline '{m['label']}' ({key} {iso}) lifted into metadata",
                  fix if remove else None, {key: iso})
        i = last + 1
