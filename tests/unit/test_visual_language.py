"""One visual language in the stylesheets: one focus ring, visible (3:1 at least against the page and the
cards, WCAG 1.4.11), and one definition of the danger button."""

from __future__ import annotations

import re
from pathlib import Path

CSS = Path(__file__).resolve().parents[2] / "userhub" / "static" / "css"


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _variables() -> dict[str, str]:
    found = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\b", (CSS / "app.css").read_text()))
    return {name: "#" + "".join(c * 2 for c in v[1:]) if len(v) == 4 else v for name, v in found.items()}


def test_contrast_formula() -> None:
    assert round(contrast("#ffbf47", "#ffffff"), 1) == 1.6  # the old yellow ring
    assert round(contrast("#000000", "#ffffff"), 0) == 21


def test_the_focus_ring_is_visible_on_the_page_and_on_cards() -> None:
    colours = _variables()
    for background in (colours["bg"], colours["card"]):
        assert contrast(colours["focus"], background) >= 3, (colours["focus"], background)


def test_one_focus_ring_and_one_danger_button() -> None:
    sheets = {path.name: path.read_text() for path in CSS.glob("*.css")}
    rings = [name for name, text in sheets.items() if re.search(r":focus(-visible)?[^{]*\{[^}]*outline", text)]
    assert rings == ["app.css"]
    dangers = [name for name, text in sheets.items() if re.search(r"button\.danger\s*[,{]", text)]
    assert dangers == ["app.css"]


def test_do_not_disturb_on_is_not_shown_as_success() -> None:
    colours = _variables()
    rule = re.search(r'tr\[data-feature="do-not-disturb"\] \.state-on \{ color: (#[0-9a-fA-F]{6}); \}',
                     (CSS / "calling.css").read_text())
    assert rule is not None
    assert rule.group(1).lower() != colours["ok"].lower() and contrast(rule.group(1), "#ffffff") >= 4.5
