"""Tables that read as cards on a phone keep their table semantics (issue 13).

Below 48em the stylesheet sets the rows and cells of some tables to `display: block` (users, audit log, the
rules lists, the wizard's rows...). Safari before 17 and some screen readers then stop announcing a table, its
rows and its column headings. Those tables say what they are in their markup: role="table", "rowgroup",
"row", "columnheader", "rowheader" and "cell" on every part. This reads the stylesheet for the classes whose rows
become blocks, and the templates for each table of such a class."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
APP_CSS = ROOT / "userhub" / "static" / "css" / "app.css"
TABLE = re.compile(r'<table\b[^>]*\bclass="([^"]*)"[^>]*>')
PART = re.compile(r"<(table|thead|tbody|tfoot|tr|th|td)(?=[\s>{])([^>]*)>")
ROLE = {"table": ("table",), "thead": ("rowgroup",), "tbody": ("rowgroup",), "tfoot": ("rowgroup",),
        "tr": ("row",), "td": ("cell",), "th": ("columnheader", "rowheader")}


def stacking_classes(css: str) -> set[str]:
    """Classes named in a rule that sets table rows (`tr`) to display: block."""
    found: set[str] = set()
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        if not re.search(r"display:\s*block", body):
            continue
        for selector in selectors.split(","):
            if re.search(r"(^|[\s>.])tr\b", selector.strip()):
                found.update(re.findall(r"\.([\w-]+)", selector))
    return found - {"admin-main"}  # a context, not a table's class


def parts_without_role(template: str, classes: set[str]) -> list[str]:
    """The parts (`<tr>`, `<td ...>`) of a table of one of ``classes`` that do not carry their role."""
    missing = []
    for table in TABLE.finditer(template):
        if not classes & set(table.group(1).split()):
            continue
        end = template.index("</table>", table.start())
        for part in PART.finditer(template, table.start(), end):
            tag, attributes = part.group(1), part.group(2)
            role = re.search(r'\brole="([^"]+)"', attributes)
            expected = ROLE[tag]
            if tag == "th":  # a heading of its column or of its row, as its scope says
                expected = ("rowheader",) if 'scope="row"' in attributes else ("columnheader",)
            if role is None or role.group(1) not in expected:
                missing.append(part.group(0))
    return missing


def test_the_stylesheet_stacks_these_tables() -> None:
    assert stacking_classes(APP_CSS.read_text()) == {"stack", "rules-list", "wizard-rows", "wizard-added"}


def test_a_part_without_its_role_is_found() -> None:
    template = ('<table role="table" class="x stack"><thead role="rowgroup"><tr role="row">'
                '<th role="columnheader" scope="col">A</th></tr></thead><tbody role="rowgroup">'
                '{% for r in rows %}<tr role="row"><th scope="row" role="columnheader">{{ r }}</th>'
                '<td{% if r %} class="on"{% endif %}>1</td></tr>{% endfor %}</tbody></table>'
                '<table class="week"><tr><td>not stacked</td></tr></table>')
    assert parts_without_role(template, {"stack"}) == [
        '<th scope="row" role="columnheader">', '<td{% if r %} class="on"{% endif %}>']


def test_every_stacked_table_says_it_is_a_table() -> None:
    classes = stacking_classes(APP_CSS.read_text())
    tables = 0
    missing = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        tables += sum(bool(classes & set(m.group(1).split())) for m in TABLE.finditer(text))
        if found := parts_without_role(text, classes):
            missing[str(path.relative_to(ROOT))] = found
    assert tables >= 14, tables  # users, audit, billing, a location, history, overview, rules, wizard ×3, ...
    assert missing == {}, missing
