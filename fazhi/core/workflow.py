"""Transitions as data (STYLE.md: "Transitions are data").

A workflow is a table: action -> (allowed source states, target state,
guards). ``check`` raises ``TransitionRefused`` naming the rule of the first
guard that fails; ``available`` tells templates and the API what can be done.
Pure: no database access here — guards receive the object and a context.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from fazhi.core.errors import TransitionRefused


def fact(key: str) -> Callable[[Any, dict], bool]:
    """A guard test that holds when the fact ``key`` is true.

    Fails closed: a fact the caller did not put into ``ctx`` refuses the step,
    so a page, API or service that forgets a fact cannot let the step through.
    """
    return lambda obj, ctx: bool(ctx.get(key, False))


def nothing(key: str) -> Callable[[Any, dict], bool]:
    """A guard test that holds when the fact ``key`` was given and is empty or
    false (no open consultation, no missing material). Fails closed like ``fact``:
    a fact the caller did not give refuses."""
    return lambda obj, ctx: key in ctx and not ctx[key]


@dataclass(frozen=True)
class Guard:
    """A legal precondition. ``test(obj, ctx)`` returns True when it holds."""

    rule: str  # e.g. "MDEC-09"; "" for a step of internal procedure that no rule ID names
    message: str  # Chinese, says which step is missing
    test: Callable[[Any, dict], bool]
    # The step that lifts the refusal, as the action panel says it ("需先：通知听证");
    # "" where nothing done in the system lifts it (e.g. the procedure does not apply).
    unlock: str = ""
    # True when a failing test means the step does not apply to this record at
    # all (a procedure the catalogue does not require), not that something is
    # missing: action panels leave such a step out instead of listing it as blocked.
    scope: bool = False


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    guards: tuple[Guard, ...] = ()
    rule: str | None = None  # the rule that fixes the order of this step


@dataclass
class Workflow:
    name: str
    transitions: Iterable[Transition]
    state_field: str = "status"
    state_labels: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        self.transitions = tuple(self.transitions)
        self._by_action = {t.action: t for t in self.transitions}
        if len(self._by_action) != len(self.transitions):
            raise ValueError(f"workflow {self.name}: duplicate action")

    def get(self, action: str) -> Transition:
        try:
            return self._by_action[action]
        except KeyError:
            raise TransitionRefused(f"未知的操作：{action}")

    def _state(self, obj) -> str:
        return getattr(obj, self.state_field)

    def refusal(self, obj, action: str, ctx: dict | None = None) -> TransitionRefused | None:
        t = self.get(action)
        state = self._state(obj)
        if state not in t.sources:
            here = self.state_labels.get(state, state)
            need = "、".join(self.state_labels.get(s, s) for s in t.sources)
            refused = TransitionRefused(
                f"当前状态为“{here}”，不能执行“{t.label}”；该操作只能在“{need}”状态下进行",
                rule=t.rule,
            )
            refused.unlock = f"办理至“{need}”"
            return refused
        for guard in t.guards:
            if not guard.test(obj, ctx or {}):
                refused = TransitionRefused(guard.message, rule=guard.rule or None)
                refused.unlock = guard.unlock
                return refused
        return None

    def check(self, obj, action: str, ctx: dict | None = None) -> Transition:
        refused = self.refusal(obj, action, ctx)
        if refused:
            raise refused
        return self.get(action)

    def available(self, obj, ctx: dict | None = None) -> list[Transition]:
        return [t for t in self.transitions if self.refusal(obj, t.action, ctx) is None]

    def apply(self, obj, action: str, ctx: dict | None = None) -> Transition:
        """Check, then set the target state on ``obj`` (the caller saves)."""
        t = self.check(obj, action, ctx)
        setattr(obj, self.state_field, t.target)
        return t
