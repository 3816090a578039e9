"""The wheel carries what the app reads at run time: the top-level templates/, translations/ (with the
catalogues compiled here) and migrations/ are copied into userhub/_data/ of the build, never into the
source tree (userhub/data.py finds either). Everything else is in pyproject.toml."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DATA = ("templates", "translations", "migrations")


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "userhub" / "_data"
        for name in DATA:
            shutil.rmtree(target / name, ignore_errors=True)
            shutil.copytree(ROOT / name, target / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "*.pot", "*.tmp"))
        sys.path.insert(0, str(ROOT))  # userhub/catalogues.py needs Babel only (a build requirement)
        from userhub.catalogues import compile_catalogues

        compile_catalogues(target / "translations", target / "translations")


setup(cmdclass={"build_py": BuildWithData})
