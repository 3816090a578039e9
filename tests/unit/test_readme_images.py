"""The README's screenshots exist, show every item of issue 13, and stay small: `python -m e2e.screenshots`
makes them into docs/screenshots/ (e2e/screenshots.py); this only reads the files, so it runs in a blink."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
IMAGE = re.compile(r'!\[[^\]]*\]\(([^)\s]+)|<img\b[^>]*\bsrc="([^"]+)"')
MAX_TOTAL_BYTES = 2 * 1024 * 1024
WIDTHS = (1366, 390)
# One picture (at each width) for each item of issue 13 that a screen shows; e2e/test_screenshots.py takes them.
ITEMS = (
    "sign-in", "email-activation", "email-activation-en", "home", "calling-overview", "calling-overview-route",
    "call-forwarding", "call-forwarding-errors", "rules-list", "rule-editor", "voicemail", "schedule-new",
    "schedules", "schedule-next-occurrence", "contacts", "confirm-delete-contact", "wizard-step-2-duplicate",
    "wizard-step-3", "import-problems", "import-progress", "users", "users-pagination", "users-bulk-resend",
    "audit-log", "billing", "favicon", "import-finished", "demo-mailbox-smtp", "demo-mailbox-demo", "location-new",
    # The main pages in English too (issue 13: "in French and English"), desktop and phone.
    "sign-in-en", "users-en", "wizard-en", "calling-overview-route-en", "call-forwarding-en", "voicemail-en",
    "rules-list-en", "schedules-en",
)
PALETTE = 3  # PNG colour type of an indexed image: what pngquant writes


def readme_images(text: str) -> list[str]:
    """Local image paths of a Markdown text: ![alt](path) and <img src="path">, not http(s) ones."""
    found = [markdown or html for markdown, html in IMAGE.findall(text)]
    return [path for path in found if not re.match(r"[a-z]+://", path)]


def test_images_are_found_in_markdown_and_html() -> None:
    text = '![Accueil](docs/a.png) <img alt="x" src="docs/b.png" width="200"> ![](https://e.org/c.png)'
    assert readme_images(text) == ["docs/a.png", "docs/b.png"]


def test_every_image_the_readme_shows_exists() -> None:
    images = readme_images((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(images) >= 2 * len(ITEMS), images  # the gallery: laptop and phone of each item
    missing = [path for path in images if not (ROOT / path).is_file()]
    assert missing == [], f"the README shows images that are not in the repository: {missing}"


def test_the_screenshots_are_shown_and_small() -> None:
    shown = {Path(path).name for path in readme_images((ROOT / "README.md").read_text(encoding="utf-8"))}
    files = sorted(SCREENSHOTS.glob("*.png"))
    assert files, "no screenshot in docs/screenshots/: run python -m e2e.screenshots"
    total = sum(path.stat().st_size for path in files)
    assert total <= MAX_TOTAL_BYTES, f"docs/screenshots/ holds {total} bytes (more than {MAX_TOTAL_BYTES})"
    unused = [path.name for path in files if path.name not in shown]
    assert unused == [], f"screenshots the README does not show (remove them or show them): {unused}"


def test_every_item_of_the_issue_is_shown_at_each_width() -> None:
    shown = {Path(path).name for path in readme_images((ROOT / "README.md").read_text(encoding="utf-8"))}
    missing = [f"{item}-{width}.png" for item in ITEMS for width in WIDTHS if f"{item}-{width}.png" not in shown]
    assert missing == [], f"items of issue 13 the README does not show: {missing}"


def test_the_screenshots_were_reduced_to_a_palette() -> None:
    """`python -m e2e.screenshots` runs pngquant; without it a new set is about three times larger."""
    full_colour = [path.name for path in sorted(SCREENSHOTS.glob("*.png")) if path.read_bytes()[25] != PALETTE]
    assert full_colour == [], f"not reduced by pngquant (apt-get install pngquant, then run it again): {full_colour}"
