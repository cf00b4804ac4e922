"""The data dictionary, the descriptor and the environment files stay in step."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib

import yaml
from conftest import DATA, REPO
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from kzlib.descriptor import read_package
from kzlib.docs import render, write_docs


def test_data_dictionary_is_current() -> None:
    assert write_docs(DATA, check=True), "data/README.md is stale: run `kzlib docs`"


def test_data_dictionary_lists_every_column_and_value() -> None:
    text = render(read_package(DATA))
    for res in read_package(DATA).resources:
        assert f"### {res.name}" in text
        for f in res.fields:
            assert f"| `{f.name}` |" in text
            for v in f.enum or ():
                assert f"`{v}`" in text


def test_docs_check_fails_when_stale(data_copy) -> None:  # type: ignore[no-untyped-def]
    (data_copy / "README.md").write_text("old\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "kzlib", "docs", "--check", "--data", str(data_copy)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and "stale" in done.stderr


def test_descriptor_is_v1_and_versioned() -> None:
    raw = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    assert raw["profile"] == "tabular-data-package"
    assert re.fullmatch(r"\d+\.\d+\.\d+", raw["version"])
    for res in raw["resources"]:
        assert res["profile"] == "tabular-data-resource"
        for f in res["schema"]["fields"]:
            assert "categories" not in f  # v1: enums live in constraints.enum


def test_frictionless_agrees() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", str(DATA / "datapackage.json")],
        capture_output=True,
        text=True,
    )
    report = json.loads(done.stdout)
    assert report["valid"], json.dumps(report["tasks"], indent=1)[:3000]
    assert len(report["tasks"]) == len(read_package(DATA).resources)


def _env() -> dict[str, str]:
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    pins: dict[str, str] = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and dep not in ("pip",) and not dep.startswith("python"):
            name, _, version = dep.partition("=")
            pins[canonicalize_name(name)] = version
    return pins


def _project() -> dict[str, Requirement]:
    meta = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = meta["dependencies"] + meta["optional-dependencies"]["dev"]
    return {canonicalize_name(Requirement(r).name): Requirement(r) for r in reqs}


def _lock() -> dict[str, str]:
    pins = {}
    for line in (REPO / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith((" ", "#")):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version.strip()
    return pins


def test_environment_names_the_same_libraries_as_pyproject() -> None:
    assert set(_env()) == set(_project())


def test_environment_and_lock_pin_the_same_versions_within_bounds() -> None:
    env, lock, project = _env(), _lock(), _project()
    for name, req in project.items():
        assert env[name] == lock[name], f"{name}: environment.yml {env[name]} vs lock {lock[name]}"
        assert req.specifier.contains(Version(lock[name])), f"{name} {lock[name]} outside {req.specifier}"


def test_environment_python_matches_pyproject() -> None:
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))
    meta = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert Requirement("python" + meta["requires-python"]).specifier.contains(python.split("=")[1] + ".0")
    assert {"pip": ["-e ."]} in env["dependencies"]


def test_citation_names_the_data_version() -> None:
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["type"] == "dataset"
    assert cff["version"] == read_package(DATA).version
