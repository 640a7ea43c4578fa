"""W3C PROV for a ledger, built with the ``prov`` package (imported lazily).

Each document record becomes: the raw input and the cleaned output as
entities named by content digest (``sha256:<hex>``), a derivation from one
to the other attributed to the run, the run as an activity that used the
input and generated the output, and provlint at its version as the software
agent the run was associated with, following the recorded rule set (an
entity named by the digest of the resolved configuration) as its plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from .provenance import file_path

NS_PROVLINT = "https://provlint.dev/ns#"
FORMATS = {"prov-json": "json", "prov-n": "provn"}


def _time(value: str | None) -> datetime | None:
    return None if not value else datetime.fromisoformat(value.replace("Z", "+00:00"))


def _hex(digest: str) -> str:
    return digest.removeprefix("sha256:")


def build_document(records: Iterable[Mapping[str, Any]]) -> Any:
    """A ``prov.model.ProvDocument`` holding one derivation per record."""
    from prov.model import PROV_LABEL, PROV_TYPE, ProvDocument

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
        if clean_id not in seen:
            seen.add(clean_id)
            doc.entity(clean_id, {PROV_LABEL: f"cleaned {rec['doc']['id']}",
                                  "provlint:bytes": int(rec["output"]["bytes"]),
                                  "provlint:path": file_path(rec["output"]) or ""})
        finished = _time(run.get("finished"))
        doc.used(run_id, raw_id, _time(run.get("started")))
        doc.wasGeneratedBy(clean_id, run_id, finished)
        doc.wasDerivedFrom(clean_id, raw_id, run_id, other_attributes={
            "provlint:doc": str(rec["doc"]["id"]), "provlint:edits": len(rec["edits"])})
    return doc


def serialize(records: Iterable[Mapping[str, Any]], fmt: str) -> str:
    """The ledger's records as PROV-JSON (``prov-json``) or PROV-N (``prov-n``)."""
    doc = build_document(records)
    if fmt == "prov-n":
        return str(doc.get_provn())
    return str(doc.serialize(format="json", indent=2))
