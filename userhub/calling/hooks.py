"""What other areas plug into calling: checks before a save, work after it, and sections of the overview.

Calling knows nothing of the areas that use its settings. An area registers here at app set-up (the
routing area: the loop check as a save guard, the forwarding graph as an after-save hook, the "Where
will my call go?" panel as an overview section), the way calling registers its schedule uses with the
schedules area. Registering the same function twice keeps one.

The save flow (``services.save``): access and version checks, then every guard (each may raise
``SaveRefused``: nothing is written), then the setting, its criteria and the feature's own rows, then
every after-save hook, then the history entry, all in the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import DomainError

if TYPE_CHECKING:
    from ..accounts.models import User
    from .saved_criteria import Criterion
    from .feature import Feature

T = TypeVar("T")


@dataclass
class PendingSave:
    """One save of one feature, as the guards and hooks see it. ``computed``: what a guard worked out
    and a later hook reuses (e.g. the destinations the values send calls to, computed once per save)."""

    owner: User
    feature: Feature
    values: Any
    criteria: list[Criterion]
    computed: dict[str, Any] = field(default_factory=dict)

    def once(self, key: str, compute: Callable[[], T]) -> T:
        if key not in self.computed:
            self.computed[key] = compute()
        return self.computed[key]


class SaveRefused(DomainError):
    """A guard refuses the save; ``errors.show_on(form, refused)`` puts the reason on the form's field it is
    about (a guard whose field depends on the form overrides ``placed_on``)."""

    @property
    def message(self) -> str:
        return str(self)


SaveHook = Callable[[PendingSave], None]
PageSection = Callable[..., Mapping[str, Any]]
_guards: list[SaveHook] = []
_after_save: list[SaveHook] = []
_overview_sections: list[PageSection] = []


def _add(hooks: list[Any], hook: Any) -> Any:
    if hook not in hooks:
        hooks.append(hook)
    return hook


def register_save_guard(guard: SaveHook) -> SaveHook:
    """``guard(pending)`` runs before anything is written and raises ``SaveRefused`` to refuse."""
    return _add(_guards, guard)


def register_after_save(hook: SaveHook) -> SaveHook:
    """``hook(pending)`` runs once the setting is written, in the same transaction."""
    return _add(_after_save, hook)


def register_overview_section(section: PageSection) -> PageSection:
    """``section(owner, args, snapshot=...)`` returns template variables for the Calling overview."""
    return _add(_overview_sections, section)


def run_guards(pending: PendingSave) -> None:
    for guard in list(_guards):
        guard(pending)


def run_after_save(pending: PendingSave) -> None:
    for hook in list(_after_save):
        hook(pending)


def overview_sections(owner: User, args: Mapping[str, str], snapshot: Any) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for section in list(_overview_sections):
        context.update(section(owner, args, snapshot=snapshot))
    return context
