"""The built package serves pages: the wheel carries its templates, catalogues (compiled at build time),
migrations and static files. Built from a copy of the sources, installed into a fresh virtual
environment, migrated with the installed command line, then asked for the sign-in page and a French
calling page. It takes about a minute."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP = shutil.ignore_patterns(".git", "build", "dist", "*.egg-info", "__pycache__", ".hypothesis", ".pytest_cache",
                              "instance", "test-results", "artifacts", "*.mo", ".venv", "venv")

# Run by the virtual environment's Python, in a folder outside the sources.
PAGES = r"""
import sys
import userhub
from userhub import create_app
from userhub.demo import prepare_access

print("userhub from", userhub.__file__)
app = create_app({"RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False})  # the test client posts no token
with app.app_context():
    access = prepare_access()
client = app.test_client()
sign_in = client.get("/sign-in", headers={"Accept-Language": "en"})
assert sign_in.status_code == 200, sign_in.status_code
assert "Sign in" in sign_in.get_data(as_text=True)
client.post("/sign-in", data={"email": access.admin_email})
signed_in = client.post("/sign-in/password", data={"password": access.admin_password})
assert signed_in.status_code == 302, signed_in.status_code
calling = client.get("/settings/calling")
page = calling.get_data(as_text=True)
assert calling.status_code == 200, calling.status_code
assert "Paramètres d’appel" in page, page[:2000]
assert client.get("/static/css/app.css").status_code == 200
print("pages served")
"""


def _run(*command: str | Path, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=240)
    assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_the_installed_wheel_migrates_and_serves_the_sign_in_page_and_a_french_calling_page(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(ROOT, sources, ignore=SKIP)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "USERHUB_"))}
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", tmp_path / "dist",
         sources, cwd=tmp_path, env=env)
    [wheel] = (tmp_path / "dist").glob("userhub-*.whl")
    # The venv reuses the installed dependencies; the userhub it imports must be the wheel's.
    _run(sys.executable, "-m", "venv", "--system-site-packages", tmp_path / "venv", cwd=tmp_path, env=env)
    python = tmp_path / "venv" / "bin" / "python"
    _run(python, "-m", "pip", "install", "--no-deps", "--no-index", "-q", wheel, cwd=tmp_path, env=env)
    site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                     cwd=tmp_path, env=env).strip())
    installed = site / "userhub"
    assert (installed / "_data" / "translations" / "fr" / "LC_MESSAGES" / "messages.mo").is_file()
    work = tmp_path / "run"
    work.mkdir()
    env.update(USERHUB_DATABASE_URL=f"sqlite:///{work / 'userhub.db'}", USERHUB_SECRET_KEY="x" * 40)
    _run(python, "-m", "flask", "--app", "userhub", "db", "upgrade", cwd=work, env=env)
    before = sorted(p.relative_to(installed) for p in installed.rglob("*") if "__pycache__" not in p.parts)
    output = _run(python, "-c", PAGES, cwd=work, env=env)
    assert f"userhub from {installed / '__init__.py'}" in output
    assert "pages served" in output
    after = sorted(p.relative_to(installed) for p in installed.rglob("*") if "__pycache__" not in p.parts)
    assert after == before  # the app wrote nothing into the installed package
