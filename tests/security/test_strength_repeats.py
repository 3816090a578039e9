"""The bounded strength estimate finds the repeats zxcvbn finds, even when shorter repeats come first."""

from __future__ import annotations

import pytest
from zxcvbn import zxcvbn

from userhub.security.password_policy import strength_score


@pytest.mark.parametrize("text", ["000100000100", "001001001001", "110110110110", "aabaabaabaab", "0001000001000"])
def test_a_short_base_repeated_is_never_stronger_than_zxcvbn_says(text):
    # Found by hypothesis: "000100" twice scored 3 (accepted strength) where zxcvbn says 1.
    assert strength_score(text, []) <= zxcvbn(text)["score"] < 3
