"""Screenshots of the running product for the README (issue 13), made by the end-to-end suite.

Regenerate them (about two minutes; the server is started with the demo's data, as for the suite):

    python -m e2e.screenshots

This runs e2e/test_screenshots.py with USERHUB_E2E_SCREENSHOTS=1: a French employee with a speed dial, a
contact, an evening schedule, call forwarding when busy and a selective-reject rule, then a French
administrator, are made through the pages as people do; each main page is saved at 1366 and 390 px into
docs/screenshots/ as `<name>-<width>.png`. The names, the people and their data are fixed, so a new run
gives the same layout (only dates and times move). Each image is cut at a limited height so that the set
stays small. Without the variable the suite makes one page only, into a temporary folder, so that the
command cannot rot unnoticed.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "screenshots"
FULL_RUN = "USERHUB_E2E_SCREENSHOTS"
# (width, largest height kept): a laptop, and a phone's width (iPhone 12 to 15).
WIDTHS = ((1366, 900), (390, 1200))


@dataclass(frozen=True)
class Shot:
    name: str  # the file's stem: <name>-<width>.png
    path: str  # the page's path on the server
    anchor: str | None = None  # a selector to bring into the picture (the image starts above it if needed)


def shoot(page: Any, folder: Path, shot: Shot, widths: tuple[tuple[int, int], ...] = WIDTHS) -> list[Path]:
    """Save the page now shown at each width: resized, not reloaded, cut at the width's height."""
    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    for width, height in widths:
        page.set_viewport_size({"width": width, "height": 800})
        page.evaluate("document.activeElement && document.activeElement.blur()")  # no focus ring in pictures
        page_height = page.evaluate("document.documentElement.scrollHeight")
        top = 0
        if shot.anchor:
            anchor_top = page.evaluate(
                "s => document.querySelector(s).getBoundingClientRect().top + window.scrollY", shot.anchor)
            if anchor_top > height * 0.6:  # show the part that matters, from a little above it
                top = max(0, min(anchor_top - 80, page_height - height))
        clip = {"x": 0, "y": top, "width": width, "height": min(height, page_height - top)}
        path = folder / f"{shot.name}-{width}.png"
        page.screenshot(path=str(path), full_page=True, clip=clip, animations="disabled", caret="hide")
        saved.append(path)
    return saved


def main() -> int:
    import pytest

    os.environ[FULL_RUN] = "1"
    return int(pytest.main([str(ROOT / "e2e" / "test_screenshots.py"), "-q", "-p", "no:cacheprovider",
                            "-o", "timeout=900"]))


if __name__ == "__main__":
    sys.exit(main())
