"""provlint.dists reads installed distributions without importlib.metadata and must
agree with it (the ftfy version goes into every provenance record)."""

from __future__ import annotations

import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from provlint.dists import installed_version, metadata_dirs, normalise


@pytest.mark.parametrize("name", ["ftfy", "click", "pytest", "Click", "typing_extensions",
                                  "typing-extensions"])
def test_installed_version_matches_importlib_metadata(name: str) -> None:
    assert installed_version(name) == metadata.version(name)


def test_missing_distribution_is_none() -> None:
    with pytest.raises(metadata.PackageNotFoundError):
        metadata.version("no-such-provlint-dist")
    assert installed_version("no-such-provlint-dist") is None


def test_normalise_like_importlib_metadata() -> None:
    assert normalise("Foo.Bar--baz_Qux") == "foo_bar_baz_qux"


def _fake_dist(folder: Path, dist: str, version: str) -> None:
    info = folder / f"{dist}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n\n"
                                   "Version: not-a-header\n")


def test_first_folder_on_sys_path_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_dist(tmp_path / "a", "Fake_Dist", "1.0")
    _fake_dist(tmp_path / "b", "fake.dist", "2.0")
    monkeypatch.setattr(sys, "path", [str(tmp_path / "a"), str(tmp_path / "b"), *sys.path])
    assert installed_version("fake-dist") == metadata.version("fake-dist") == "1.0"
    assert ("fake_dist", str(tmp_path / "a" / "Fake_Dist-1.0.dist-info")) in list(metadata_dirs())


def test_a_zip_on_sys_path_falls_back_to_importlib_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "packs.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("zipped_dist-3.1.dist-info/METADATA",
                    "Metadata-Version: 2.1\nName: zipped-dist\nVersion: 3.1\n")
    monkeypatch.setattr(sys, "path", [str(archive), *sys.path])
    assert None in list(metadata_dirs())
    assert installed_version("zipped-dist") == "3.1"
