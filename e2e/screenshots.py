"""Screenshots of the running product for the README (issue 13), made by the end-to-end suite.

Regenerate them (a few minutes; the server is started with the demo's data, as for the suite):

    python -m e2e.screenshots

This runs e2e/test_screenshots.py with USERHUB_E2E_SCREENSHOTS=1: a French employee with a speed dial, a
contact, schedules, call forwarding when busy, Do Not Disturb and a selective-reject rule, then a French
administrator who adds, imports and invites people, are made through the pages as people do; each page that
shows an item of issue 13 is saved at 1366 and 390 px into docs/screenshots/ as `<name>-<width>.png`, and the
activation email as its reader sees it (French and English). The main pages are also pictured in English
(`<name>-en-<width>.png`: sign-in, users list, wizard, the Calling overview's panel, call forwarding, voicemail, a
rules list, the week view), drawn by an English Chromium with the same session. The import's progress is pictured
half-way: for this run only, e2e/liveserver.py gives gunicorn e2e/job_gate.py, which holds an import between its
chunks while a gate file exists (never in production code). /demo-mailbox/ is pictured on this server (SMTP) and
on a second one started as the demo runs (console transport). The names, the people and their data are fixed,
so a new run gives the same layout (only dates and times move). Each image is cut at a limited height, then
reduced to a 256-colour palette by Debian's `pngquant` (`apt-get install pngquant`; without it the images stay
as Chromium saved them, about three times larger, and tests/unit/test_readme_images.py says the set is too
big). Without the variable the suite makes one page only, into a temporary folder, so that the command
cannot rot unnoticed.

The browser of these pictures runs in French (LANG, LANGUAGE and --lang for its process, with Debian's
`chromium-l10n` for its French strings): Chromium draws an empty `<input type=date>` from its own interface
language, "jj/mm/aaaa" here, where the suite's browser shows "dd/mm/yyyy" (its date fields follow the page's
lang for the order of day and month, see CHROMIUM_ARGS in e2e/conftest.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
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


FRENCH_LOCALE = "/usr/lib/chromium/locales/fr.pak"  # Debian's chromium-l10n


def launch_french_browser(browser_type: Any, executable: str, args: list[str]) -> Any:
    """Chromium whose own language is French: its date fields read "jj/mm/aaaa" (needs chromium-l10n)."""
    if not os.path.isfile(FRENCH_LOCALE):
        raise RuntimeError(f"{FRENCH_LOCALE} is missing: apt-get install -y chromium-l10n (Chromium's French "
                           "strings; without them an empty date field reads mm/dd/yyyy in French pictures)")
    env = {**os.environ, "LANG": "fr_FR.UTF-8", "LANGUAGE": "fr_FR:fr"}
    return browser_type.launch(executable_path=executable, headless=True, args=[*args, "--lang=fr-FR"], env=env)


def date_field_format(page: Any, selector: str) -> str:
    """What a date (or time) field shows, as drawn: the text of its fields and separators ("jj/mm/aaaa",
    "07/12/2026"). Read through the DevTools protocol, which also walks the browser's own shadow trees."""
    session = page.context.new_cdp_session(page)
    try:
        root = session.send("DOM.getDocument", {"depth": 0})["root"]
        node_id = session.send("DOM.querySelector", {"nodeId": root["nodeId"], "selector": selector})["nodeId"]
        if not node_id:
            raise LookupError(selector)
        node = session.send("DOM.describeNode", {"nodeId": node_id, "depth": -1, "pierce": True})["node"]
    finally:
        session.detach()
    texts: list[str] = []

    def walk(item: dict[str, Any]) -> None:
        if item.get("nodeType") == 3:
            texts.append(item.get("nodeValue", ""))
        for child in item.get("shadowRoots", []) + item.get("children", []):
            walk(child)

    walk(node)
    return "".join(texts).strip()


def optimise(paths: list[Path]) -> str:
    """Reduce the PNGs to a palette with pngquant, in place; what was done, in words."""
    tool = shutil.which("pngquant")
    if tool is None:
        return "pngquant not found (apt-get install pngquant): the PNGs are kept as Chromium saved them"
    before = sum(path.stat().st_size for path in paths)
    # --skip-if-larger keeps an image that would not shrink; exit code 99 then only means "kept".
    for path in paths:
        result = subprocess.run([tool, "--quality=70-95", "--speed=1", "--strip", "--skip-if-larger", "--force",
                                 "--ext", ".png", str(path)], capture_output=True, text=True)
        if result.returncode not in (0, 98, 99):
            raise RuntimeError(f"pngquant failed on {path}: {result.stderr}")
    after = sum(path.stat().st_size for path in paths)
    return f"pngquant: {len(paths)} images, {before // 1024} KiB -> {after // 1024} KiB"


def main() -> int:
    import pytest

    os.environ[FULL_RUN] = "1"
    for old in DOCS.glob("*.png"):  # a picture that is no longer taken must not linger
        old.unlink()
    code = int(pytest.main([str(ROOT / "e2e" / "test_screenshots.py"), "-q", "-p", "no:cacheprovider",
                            "-o", "timeout=1800"]))
    if code == 0:
        print(optimise(sorted(DOCS.glob("*.png"))))
    return code


if __name__ == "__main__":
    sys.exit(main())
