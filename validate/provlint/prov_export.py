"""W3C PROV for a ledger, built with the ``prov`` package (imported lazily).

Each document record becomes: the raw input and the cleaned output as
entities named by content digest (``sha256:<hex>``), a derivation from one
to the other attributed to the run, the run as an activity that used the
input and generated the output, and provlint at its version as the software
agent the run was associated with, following the recorded rule set (an
entity named by the digest of the resolved configuration) as its plan.

Entities named by content must still satisfy PROV-CONSTRAINTS, so a content
is generated at most once and never "generated" when it already existed:

- a document the run left unchanged (output digest = input digest) is only
  used; a derivation of an entity from itself, generated after it was used,
  is impossible in PROV (generation-precedes-usage, derivation ordering);
- an output content several documents share (two documents cleaned to the
  same text, or to the empty text) gets one generation; each document still
  gets its derivation;
- an output content that is also some document's input (a clean copy of a
  dirty duplicate) existed before the run: it gets no timed generation at
  the run's end, after its use at the run's start.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from .provenance import file_path

NS_PROVLINT = "https://provlint.dev/ns#"
FORMATS = {"prov-json": "json", "prov-n": "provn"}


def _time(value: str | None) -> datetime | None:
    return None if not value else datetime.fromisoformat(value.replace("Z", "+00:00"))


def _hex(digest: str) -> str:
    return digest.removeprefix("sha256:")


def build_document(records: Sequence[Mapping[str, Any]]) -> Any:
    """A ``prov.model.ProvDocument`` holding one derivation per record that changed
    its document (see the module's notes on content-named entities)."""
    from prov.model import PROV_LABEL, PROV_TYPE, ProvDocument

    inputs = {f"sha256:{_hex(rec['input']['digest'])}" for rec in records}

    doc = ProvDocument()
    doc.add_namespace("provlint", NS_PROVLINT)
    doc.add_namespace("sha256", "urn:hash::sha256:")
    doc.add_namespace("run", "urn:uuid:")
    seen: set[str] = set()
    for rec in records:
        tool, run = rec["tool"], rec["run"]
        agent_id = f"provlint:provlint-{tool['version']}"
        plan_id = f"sha256:{_hex(tool['ruleset']['digest'])}"
        run_id = f"run:{run['id']}"
        if run_id not in seen:
            seen.add(run_id)
            if agent_id not in seen:
                seen.add(agent_id)
                doc.agent(agent_id, {PROV_TYPE: "prov:SoftwareAgent", PROV_LABEL: "provlint",
                                     "provlint:version": tool["version"]})
            if plan_id not in seen:
                seen.add(plan_id)
                doc.entity(plan_id, {PROV_TYPE: "prov:Plan",
                                     PROV_LABEL: f"rule set {tool['ruleset']['id']}",
                                     "provlint:ruleset": tool["ruleset"]["id"],
                                     "provlint:ruleset_version": tool["ruleset"]["version"]})
            doc.activity(run_id, _time(run.get("started")), _time(run.get("finished")),
                         {PROV_LABEL: f"provlint {run.get('mode', '')}",
                          "provlint:argv": " ".join(run.get("argv", []))})
            doc.wasAssociatedWith(run_id, agent_id, plan_id)
        raw_id = f"sha256:{_hex(rec['input']['digest'])}"
        clean_id = f"sha256:{_hex(rec['output']['digest'])}"
        source = rec.get("source", {})
        raw_attrs: dict[Any, Any] = {PROV_LABEL: str(rec["doc"]["id"]),
                                     "provlint:bytes": int(rec["input"]["bytes"] or 0),
                                     "provlint:encoding": rec["input"]["encoding"]}
        raw_attrs.update({f"provlint:{k}": str(v) for k, v in source.items()
                          if k in ("url", "publisher", "retrieved_at", "licence", "license")})
        if raw_id not in seen:
            seen.add(raw_id)
            doc.entity(raw_id, raw_attrs)
        doc.used(run_id, raw_id, _time(run.get("started")))
        if clean_id == raw_id:
            continue
        if clean_id not in seen:
            seen.add(clean_id)
            doc.entity(clean_id, {PROV_LABEL: f"cleaned {rec['doc']['id']}",
                                  "provlint:bytes": int(rec["output"]["bytes"]),
                                  "provlint:path": file_path(rec["output"]) or ""})
            if clean_id not in inputs:
                doc.wasGeneratedBy(clean_id, run_id, _time(run.get("finished")))
        doc.wasDerivedFrom(clean_id, raw_id, run_id, other_attributes={
            "provlint:doc": str(rec["doc"]["id"]), "provlint:edits": len(rec["edits"])})
    return doc


def serialize(records: Iterable[Mapping[str, Any]], fmt: str) -> str:
    """The ledger's records as PROV-JSON (``prov-json``) or PROV-N (``prov-n``)."""
    doc = build_document(list(records))
    if fmt == "prov-n":
        return str(doc.get_provn())
    return str(doc.serialize(format="json", indent=2))
