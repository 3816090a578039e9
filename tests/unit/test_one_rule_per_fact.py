"""Rules written once (userhub/phones.py) and read by every area: what an extension is, and which
country a person reads numbers in."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from userhub.phones import is_extension, region_of
from userhub.routing.loops import Directory


@pytest.mark.parametrize(("text", "expected"), [
    ("32", True), ("3200", True), ("0123456789", True),
    ("3", False), ("01234567890", False), ("", False), ("32a", False), ("+3200", False),
    ("٣٢٠٠", False),  # Arabic-Indic digits: str.isdigit() says yes, no extension is stored so
])
def test_an_extension_is_2_to_10_ascii_digits(text: str, expected: bool) -> None:
    assert is_extension(text) is expected


def test_the_routing_directory_reads_extensions_by_the_same_rule() -> None:
    directory = Directory({})
    assert directory.is_dead_end("3299")  # an extension nobody has
    assert not directory.is_dead_end("٣٢٩٩")  # not an extension: not a dead end of the organization


def test_a_person_reads_numbers_in_their_locations_country() -> None:
    assert region_of(SimpleNamespace(location=SimpleNamespace(country="FR"))) == "FR"
    assert region_of(SimpleNamespace(location=None)) is None
