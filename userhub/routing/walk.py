"""One call's walk through the evaluator's stages: the steps so far and what later stages read (see
evaluate.py for the stages). Its own module, below evaluate.py and the stages kept elsewhere (executive.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .inputs import IncomingCall, RoutingSettings
from .route import RING_SECONDS, TERMINAL, Feature, Outcome, Reason, Step, Target, Why


@dataclass
class Walk:
    settings: RoutingSettings
    call: IncomingCall
    steps: list[Step] = field(default_factory=list)
    accepted: bool = False  # selective accept matched: DND and anonymous rejection let the call pass
    busy: Why | None = None  # set when the line is found busy
    rang: bool = False  # a ring phase took place: only no-answer handling remains
    elapsed: int = 0

    def add(self, feature: Feature, outcome: Outcome, reason: Reason, targets: tuple[Target, ...] = (),
            rings: int | None = None, seconds: int | None = None) -> bool:
        self.steps.append(Step(feature, outcome, reason, targets, rings, self.elapsed, seconds))
        if seconds is not None:
            self.elapsed += seconds
        elif rings is not None and outcome is Outcome.RINGS:
            self.elapsed += rings * RING_SECONDS
        return outcome in TERMINAL
