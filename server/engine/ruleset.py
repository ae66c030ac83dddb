"""CompiledRuleset: a compiled ruleset (model.Ruleset) with the ways to evaluate it.

evaluate() runs the generated function (generated.py) and falls back to the step-by-step
evaluator (stepwise.py) whenever the submission has a problem, so that every problem is listed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any

from .generated import generate
from .model import Ruleset
from .stepwise import evaluate_stepwise


class CompiledRuleset(Ruleset):
    """A validated ruleset, ready to evaluate submissions (SPEC §4)."""

    def evaluate(
        self,
        inputs: Mapping[str, Any],
        period: str,
        *,
        employee_id: str | None = None,
        history: Mapping[str, str] | None = None,
        explain: bool = True,
    ) -> dict[str, Any]:
        """Evaluate one submission as SPEC §4 says; raises SubmissionRejected."""
        history = history or {}
        generated = self.generated_evaluator()
        if generated is not None:
            result = generated(inputs, period, employee_id, history, explain)
            if result is not None:
                return result
        return evaluate_stepwise(self, inputs, period, employee_id, history, explain)

    def total_and_rating(
        self, inputs: Mapping[str, Any], period: str, *, employee_id: str | None = None
    ) -> tuple[float, str]:
        """The reported total and rating key evaluate() gives, without building the rest of the
        result (impact analysis compares only these); raises SubmissionRejected the same way."""
        generated = self.generated_evaluator()
        if generated is not None:
            found = generated(inputs, period, employee_id, {}, False, True)
            if found is not None:
                return found
        result = evaluate_stepwise(self, inputs, period, employee_id, {}, False)
        return result["total"], result["rating"]["key"]

    def generated_evaluator(self) -> Callable[..., Any] | None:
        """The whole ruleset generated into one function (generated.py), built on first use;
        None when it cannot be generated (evaluation then runs step by step)."""
        return self._generated

    @cached_property
    def _generated(self) -> Callable[..., Any] | None:
        return generate(self)
