"""Where the app's data files are: templates, translations, migrations.

They live at the top of the repository, where people look for them. A wheel holds only packages, so the
build (setup.py) copies them into ``userhub/_data/`` (translations with their compiled .mo). The app
reads the copy when it is there (installed) and the repository's folders otherwise (development)."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
INSTALLED = PACKAGE / "_data"  # written by the wheel's build only, never in the source tree
SOURCE_ROOT = PACKAGE.parent


def installed() -> bool:
    return INSTALLED.is_dir()


def data_path(name: str) -> Path:
    """``templates``, ``translations`` or ``migrations``: inside the installed package, else the repository's."""
    return (INSTALLED if installed() else SOURCE_ROOT) / name
