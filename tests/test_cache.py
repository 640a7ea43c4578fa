"""The start-up cache (provlint.cache): parsed rule, rule-set and configuration
tables in .provlint_cache/<version>/, reused until a source file changes."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from provlint import __version__, cache

ENTRIES = ["packs", "phrase", "phrases", "pyproject", "regex", "ruleset"]  # what one check stores
STORY = ("Live now\nStart time\nPlaying for\n\nHeadline  \n\n"
         "The council met on Monday to discuss the budget for next year.\n")


def provlint(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    e = {k: v for k, v in os.environ.items()
         if k not in ("PROVLINT_NO_CACHE", "PROVLINT_CACHE_DIR", "PROVLINT_OUTPUT_FORMAT")}
    return subprocess.run([sys.executable, "-m", "provlint", *args], cwd=cwd, env={**e, **env},
                          capture_output=True, text=True, check=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "story.txt").write_text(STORY)
    (tmp_path / "pyproject.toml").write_text('[tool.provlint]\nignore = ["PL002"]\n')
    return tmp_path


def entries(folder: Path) -> list[str]:
    return sorted(p.name.split("-")[0] for p in (folder / __version__).glob("*.marshal"))


def test_second_run_reads_the_cache_and_reports_the_same(project: Path) -> None:
    uncached = provlint(project, "check", "-n", "story.txt")
    assert not (project / ".provlint_cache").exists()
    first = provlint(project, "check", "story.txt")
    root = project / ".provlint_cache"
    assert entries(root) == ENTRIES
    assert (root / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172")
    assert (root / ".gitignore").read_text().splitlines()[-1] == "*"
    stamps = {p: p.stat().st_mtime_ns for p in (root / __version__).iterdir()}
    second = provlint(project, "check", "story.txt")
    assert {p: p.stat().st_mtime_ns for p in (root / __version__).iterdir()} == stamps
    assert uncached.stdout == first.stdout == second.stdout and "PL201" in second.stdout
    assert "PL002" not in second.stdout  # the cached [tool.provlint] table is applied
    assert uncached.returncode == first.returncode == second.returncode == 1


def test_an_edited_file_is_parsed_again_and_its_old_entry_dropped(project: Path) -> None:
    provlint(project, "check", "story.txt")
    pyproject = project / "pyproject.toml"
    pyproject.write_text('[tool.provlint]\nignore = ["PL002", "PL201"]\n')
    os.utime(pyproject, ns=(1, 1))  # a different mtime even on a coarse clock
    res = provlint(project, "check", "story.txt")
    assert "PL201" not in res.stdout and "PL210" in res.stdout
    assert entries(project / ".provlint_cache") == ENTRIES


def test_cache_dir_option_and_environment_move_it(project: Path, tmp_path: Path) -> None:
    provlint(project, "check", "--cache-dir", str(tmp_path / "c1"), "story.txt")
    provlint(project, "check", "story.txt", PROVLINT_CACHE_DIR=str(tmp_path / "c2"))
    provlint(project, "fix", "story.txt", PROVLINT_NO_CACHE="1")
    assert entries(tmp_path / "c1") == entries(tmp_path / "c2") == ENTRIES
    assert not (project / ".provlint_cache").exists()


def test_a_damaged_entry_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "table.toml"
    src.write_text("x = 1\n")
    monkeypatch.delenv("PROVLINT_NO_CACHE", raising=False)
    cache.configure(str(tmp_path / "cache"))
    try:
        calls: list[int] = []

        def build() -> dict[str, int]:
            calls.append(1)
            return {"x": 1}

        assert cache.cached("t", [src], build) == {"x": 1}
        assert cache.cached("t", [src], build) == {"x": 1}
        assert len(calls) == 1
        (entry,) = (tmp_path / "cache" / __version__).glob("t-*.marshal")
        entry.write_bytes(marshal.dumps({"x": 1})[:-2])  # truncated
        assert cache.cached("t", [src], build) == {"x": 1}
        assert len(calls) == 2
        assert marshal.loads(entry.read_bytes()) == {"x": 1}  # rewritten whole
        assert cache.cached("t", [tmp_path / "missing.toml"], lambda: "built") == "built"
    finally:
        cache.configure(enabled=False)


def test_library_use_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    src = tmp_path / "table.toml"
    src.write_text("x = 1\n")
    assert cache.folder() is None
    assert cache.cached("t", [src], lambda: 5) == 5
    assert list(tmp_path.iterdir()) == [src]


def test_an_installed_rule_pack_is_seen_although_the_cache_said_none(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rule-pack answer is cached per sys.path folder state: installing a distribution
    (a new ``*.dist-info`` folder) changes the folder's mtime, so the next run scans again."""
    from provlint import registry

    site = tmp_path / "site"
    (site / "other-1.0.dist-info").mkdir(parents=True)
    (site / "other-1.0.dist-info" / "entry_points.txt").write_text("[console_scripts]\nx = y\n")
    monkeypatch.setattr(sys, "path", [str(site), str(tmp_path / "missing")])
    monkeypatch.delenv("PROVLINT_NO_CACHE", raising=False)
    scans: list[bool] = []
    scan = registry._scan_for_packs

    def counted() -> bool:
        scans.append(scan())
        return scans[-1]

    monkeypatch.setattr(registry, "_scan_for_packs", counted)
    cache.configure(str(tmp_path / "cache"))
    try:
        assert registry._packs_installed() is False
        assert registry._packs_installed() is False and scans == [False]  # from the cache
        pack = site / "my_pack-0.1.dist-info"
        pack.mkdir()
        (pack / "entry_points.txt").write_text("[provlint.checks]\nmine = my_pack.rules\n")
        os.utime(site, ns=(1, 1))  # a different mtime even on a coarse clock
        assert registry._packs_installed() is True and scans == [False, True]
        (tmp_path / "lib.zip").write_bytes(b"PK")  # a zip on sys.path: only "maybe"
        monkeypatch.setattr(sys, "path", [str(tmp_path / "lib.zip")])
        assert registry._packs_installed() is True
    finally:
        cache.configure(enabled=False)


def test_phrase_keys_come_from_the_cache_and_follow_the_code(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from provlint import registry
    from provlint.checks import patterns, phrase_index

    monkeypatch.delenv("PROVLINT_NO_CACHE", raising=False)
    cache.configure(str(tmp_path / "cache"))
    try:
        registry._load.cache_clear()
        rules = registry.load()
        phrases = [t for r in rules.values() for t in r.options.get("tokens", ())]
        assert len(phrases) > 500
        [entry] = (tmp_path / "cache" / __version__).glob("phrase-keys-*.marshal")
        def pairs(entries: list[list[str]]) -> dict[str, tuple[str, str]]:
            phrases, keys, firsts = entries  # three lists in step
            return dict(zip(phrases, zip(keys, firsts, strict=True), strict=True))

        stored = pairs(marshal.loads(entry.read_bytes()))
        assert stored == pairs(patterns.phrase_entries(phrases))  # what the code computes now
        assert set(stored) == set(phrases)
        assert all(phrase_index._entry_of(p) == stored[p] for p in phrases)
        assert {Path(s).name for s in patterns.KEY_SOURCES} == {"phrase_index.py", "lines.py"}
    finally:
        cache.configure(enabled=False)
        registry._load.cache_clear()


@pytest.mark.parametrize(("argv", "early"), [
    (["story.txt"], True),
    (["--isolated", "--select", "PL2", "story.txt"], True),
    (["-j2", "story.txt"], True),
    (["-n", "story.txt"], False),
    (["-jn", "story.txt"], False),  # a cluster that may hold -n
    (["--no-cache", "story.txt"], False),
    (["--cache-dir", "elsewhere", "story.txt"], False),
    (["--cache-dir=elsewhere", "story.txt"], False),
    (["--", "-n"], True),  # a file named -n
])
def test_the_console_script_configures_early_only_when_no_flag_may_move_it(
        argv: list[str], early: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROVLINT_NO_CACHE", raising=False)
    monkeypatch.delenv("PROVLINT_CACHE_DIR", raising=False)
    cache.configure(enabled=False)
    try:
        cache.configure_early(argv)
        assert (cache.folder() is not None) == early
    finally:
        cache.configure(enabled=False)


def test_no_cache_flag_through_the_console_script_leaves_no_folder(project: Path) -> None:
    res = provlint(project, "check", "-n", "story.txt")
    assert res.returncode == 1 and "PL201" in res.stdout
    assert not (project / ".provlint_cache").exists()
    res = provlint(project, "fix", "--no-cache", "--diff", "story.txt")
    assert not (project / ".provlint_cache").exists()
