"""Static analysis in CI: bandit over userhub/ with the committed configuration, the installed dependency
set consistent (pip check), and known vulnerabilities looked up when an advisory source is reachable."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, timeout: int = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def test_bandit_finds_nothing():
    result = _run("bandit", "-c", ".bandit.yml", "-r", "userhub", "-q", "-f", "json")
    report = json.loads(result.stdout)
    issues = [f"{i['test_id']} {i['filename']}:{i['line_number']} {i['issue_text']}" for i in report["results"]]
    assert issues == [], "bandit: " + "\n".join(issues)
    assert result.returncode == 0


def test_ruff_finds_nothing():
    """The rule set is in pyproject.toml ([tool.ruff]); the tests, the end-to-end suite, the benches and the
    build script are code too."""
    result = _run("ruff", "check", "--output-format", "concise", "userhub", "tests", "e2e", "bench", "setup.py")
    assert result.returncode == 0, "ruff: " + result.stdout + result.stderr


def test_mypy_finds_nothing():
    """The settings are in pyproject.toml ([tool.mypy]); a ``type: ignore`` says why on its line."""
    result = _run("mypy", timeout=600)
    assert result.returncode == 0, "mypy: " + result.stdout + result.stderr


def test_installed_dependencies_are_consistent():
    result = _run("pip", "check", "--disable-pip-version-check")
    assert result.returncode == 0, result.stdout + result.stderr


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned_dependencies() -> list[str]:
    """userhub's dependencies with the test extra, transitively, pinned at the installed versions."""
    pinned: dict[str, str] = {}

    def walk(name: str, extras: tuple[str, ...]) -> None:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            return
        pinned[_normal(name)] = dist.version
        for line in dist.requires or []:
            requirement = Requirement(line)
            wanted = requirement.marker is None or any(
                requirement.marker.evaluate({"extra": extra}) for extra in (extras or ("",))
            )
            if wanted and _normal(requirement.name) not in pinned:
                walk(requirement.name, tuple(requirement.extras))

    walk("userhub", ("test",))
    pinned.pop("userhub", None)
    return [f"{name}=={version}" for name, version in sorted(pinned.items())]


def test_no_dependency_has_a_known_vulnerability(tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("\n".join(pinned_dependencies()) + "\n")
    result = _run("pip_audit", "-r", str(requirements), "--no-deps", "--disable-pip", "--progress-spinner", "off",
                  "-f", "json")
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.skip(f"pip-audit could not run (no advisory source reachable?): {result.stderr[-300:]}")
    audited = [d for d in report["dependencies"] if "skip_reason" not in d]
    if not audited:
        pytest.skip("no advisory data reachable: pip-audit could look up none of the dependencies")
    vulnerable = [f"{d['name']} {d['version']}: {[v['id'] for v in d['vulns']]}" for d in audited if d["vulns"]]
    assert vulnerable == []
