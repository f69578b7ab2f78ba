"""The baseline every attack is measured against: random single-token substitutions, keep improvements.

It runs the same greedy loop, the same objective, the same start and the same query budget as the
gradient-guided search; only the proposals differ (a uniformly random searchable token at a uniformly
random position). An attack that cannot beat this is not using its extra information.
"""

from __future__ import annotations

from typing import Callable

import torch
from torch import Tensor

from .base import AttackRun, Objective, PromptSpace, Propose, local_search

__all__ = ["random_proposals", "random_search"]


def random_proposals(run: AttackRun, space: PromptSpace) -> Propose:
    """n copies of `current`, each with one random position set to a random searchable token."""

    def propose(current: Tensor, n: int) -> Tensor:
        positions = torch.randint(current.shape[0], (n,), generator=run.torch_rng)
        tokens = space.random_ids((n,), run.torch_rng)
        candidates = current.repeat(n, 1)
        candidates[torch.arange(n), positions] = tokens
        return candidates

    return propose


def random_search(run: AttackRun, space: PromptSpace, objective: Objective, init: Callable[[], Tensor]) -> None:
    """Greedy random search on `objective` from `init()` until the run's budget or time is spent."""
    local_search(run, space, objective, init, random_proposals(run, space))
