"""Production warm-up does what the first requests would otherwise pay for, the password word lists
included (about 0.3 s of CPU the first sign-up or activation in each worker waited for)."""

from __future__ import annotations

from userhub.ops import warm_up
from userhub.security import password_policy


def test_warm_up_loads_the_password_word_lists(app):
    password_policy._words.cache_clear()  # as in a freshly started worker
    assert password_policy._words.cache_info().currsize == 0
    warm_up(app)  # what create_app runs in production (USERHUB_WARM_UP)
    assert password_policy._words.cache_info().currsize == 1
    hits = password_policy._words.cache_info().hits
    password_policy.check_password("Soleil2024!", password_policy.PersonalDetails(email="a@example.com"))
    assert password_policy._words.cache_info().hits > hits  # the first check used the loaded lists
