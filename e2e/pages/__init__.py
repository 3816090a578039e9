"""Page objects: what a person does on each page, named after the guides' steps.

Elements are found by role and accessible name (the words a person reads), in the page's language,
so a test that passes also proves the page says what the guide says.
"""

from .accounts import ActivationPage, DisplayNamePage, HomePage, LinkProblemPage, SignInPage
from .wording import WORDING, Wording

__all__ = ["ActivationPage", "DisplayNamePage", "HomePage", "LinkProblemPage", "SignInPage", "WORDING", "Wording"]
