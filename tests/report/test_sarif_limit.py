"""SARIF logs stay within GitHub's 25,000 results per run (``sarif-max-results``):
the most severe results are kept, in their own order, and the log and stderr say
how many were left out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from provlint.report.sarif import GITHUB_MAX_RESULTS, kept_rows

from .conftest import DATA, Run

SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
ERRORS = 'severity = {PL301 = "error"}'  # the noisy document's repeated line


def _check(run: Run, corpus: Path, *config: str) -> tuple[dict[str, Any], str]:
    args = [a for c in config for a in ("--config", c)]
    result = run("check", str(corpus), *args, "--output-format", "sarif", "-o", "out.sarif")
    assert result.exit_code == 1, result.output
    return json.loads(Path("out.sarif").read_text(encoding="utf-8")), result.stderr


def _key(res: dict[str, Any]) -> str:
    return json.dumps(res, sort_keys=True)


def test_a_capped_log_keeps_the_most_severe_results_in_order(run: Run, corpus: Path) -> None:
    full, note = _check(run, corpus, ERRORS, "sarif-max-results = 0")
    assert note == ""
    everything = full["runs"][0]["results"]
    errors = [r for r in everything if r["level"] == "error"]
    limit = len(errors) + 2
    assert errors and len(everything) > limit + 3
    capped, note = _check(run, corpus, ERRORS, f"sarif-max-results = {limit}")
    jsonschema.Draft4Validator(SCHEMA).validate(capped)
    (sarif_run,) = capped["runs"]
    kept = sarif_run["results"]
    assert len(kept) == limit
    ids = [r["id"] for r in sarif_run["tool"]["driver"]["rules"]]
    assert [ids[r["ruleIndex"]] for r in kept] == [r["ruleId"] for r in kept]
    strip = [{k: v for k, v in r.items() if k != "ruleIndex"} for r in kept]
    order = [_key({k: v for k, v in r.items() if k != "ruleIndex"}) for r in everything]
    positions = [order.index(_key(r)) for r in strip]
    assert positions == sorted(positions)  # the results' own order
    assert sum(r["level"] == "error" for r in kept) == len(errors)  # every error kept
    omitted = len(everything) - limit
    assert sarif_run["properties"] == {"totalResults": len(everything),
                                       "omittedResults": omitted}
    (invocation,) = sarif_run["invocations"]
    assert invocation["executionSuccessful"] is True
    assert f"{omitted} of {len(everything)}" in \
        invocation["toolExecutionNotifications"][0]["message"]["text"]
    assert f"leaves out {omitted}" in note and "out.sarif" in note


def test_a_log_under_the_limit_is_the_whole_log(run: Run, corpus: Path) -> None:
    run("check", str(corpus), "--output-format", "sarif", "-o", "default.sarif")
    run("check", str(corpus), "--config", "sarif-max-results = 0",
        "--output-format", "sarif", "-o", "all.sarif")
    assert Path("default.sarif").read_bytes() == Path("all.sarif").read_bytes()
    assert "invocations" not in json.loads(Path("all.sarif").read_text())["runs"][0]


def test_the_report_command_caps_its_sarif_too(run: Run, corpus: Path) -> None:
    result = run("report", str(corpus), "--out", "r", "--no-html", "--report",
                 "sarif=r.sarif", "--config", "sarif-max-results = 3")
    log = json.loads(Path("r.sarif").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    assert len(log["runs"][0]["results"]) == 3
    assert log["runs"][0]["properties"]["omittedResults"] > 0
    assert "leaves out" in result.stderr


def test_a_bad_limit_stops_the_run_before_anything_is_written(run: Run, corpus: Path) -> None:
    for bad in ("-1", '"many"', "true", "2.5"):
        result = run("check", str(corpus), "--config", f"sarif-max-results = {bad}",
                     "--output-format", "sarif", "-o", "bad.sarif")
        assert result.exit_code == 2, (bad, result.output)
        assert "sarif-max-results" in result.stderr
        assert not Path("bad.sarif").exists()


def test_kept_rows_prefers_errors_then_warnings_then_notes() -> None:
    rows: list[Any] = [{"severity": s, "n": i} for i, s in
                       enumerate(["info", "warning", "error", "info", "error", "warning"])]
    assert [r["n"] for r in kept_rows(rows, 3)] == [1, 2, 4]
    assert [r["n"] for r in kept_rows(rows, 4)] == [1, 2, 4, 5]
    assert kept_rows(rows, 0) is rows and kept_rows(rows, 6) is rows
    assert GITHUB_MAX_RESULTS == 25_000
