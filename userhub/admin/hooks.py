"""What other areas plug into the admin area: sections of an administrator's page of one user.

Admin knows nothing of the areas that add to its pages. An area registers here at app set-up (the routing
area: "Where will calls to <name> go?", routing/wiring.py), as they do with calling's hooks. Registering the
same function twice keeps one."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..accounts.models import User

UserPageSection = Callable[["User", Mapping[str, str]], Mapping[str, Any]]
_user_page_sections: list[UserPageSection] = []


def register_user_page_section(section: UserPageSection) -> UserPageSection:
    """``section(user, args)`` returns template variables for the page of ``user`` (``args``: the query)."""
    if section not in _user_page_sections:
        _user_page_sections.append(section)
    return section


def user_page_sections(user: User, args: Mapping[str, str]) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for section in list(_user_page_sections):
        context.update(section(user, args))
    return context
