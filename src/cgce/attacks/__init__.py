"""Attacks that need only the text encoder, so they run on every model cgce supports and their
discrete prompts transfer to any generator reading that encoder:

- `ring_a_bell`: concept vector from paired prompts + genetic token search (Ring-A-Bell);
- `mma_attack`: gradient-guided token substitution toward an unsafe target with the concept's
  obvious words banned (MMA-Diffusion's text attack);
- `adaptive_attack`: white-box token search that lowers CGCE's own score while staying close to the
  unsafe target;
- each takes method="random" for the random-search baseline on the same objective and budget.

All are seeded, bounded by a query budget and a wall-time limit, resumable from a JSON checkpoint,
and return an `AttackResult`. Importing this package loads no model.
"""

from pathlib import Path
from typing import Any, Literal

from torch import Tensor

from .adaptive import AdaptiveConfig, GuardObjective, adaptive_attack
from .base import AttackConfig, AttackResult, PromptSpace, distance, embedding_view
from .mma import BANNED_WORDS, MMAConfig, SimilarityObjective, mma_attack
from .random_search import random_search
from .ringabell import RingABellConfig, TargetObjective, concept_vector, ring_a_bell

__all__ = [
    "AdaptiveConfig",
    "ATTACKS",
    "AttackConfig",
    "AttackName",
    "AttackResult",
    "BANNED_WORDS",
    "GuardObjective",
    "MMAConfig",
    "PromptSpace",
    "RingABellConfig",
    "SimilarityObjective",
    "TargetObjective",
    "adaptive_attack",
    "concept_vector",
    "distance",
    "embedding_view",
    "mma_attack",
    "random_search",
    "ring_a_bell",
    "run_attack",
]

AttackName = Literal["ringabell", "mma", "adaptive"]
ATTACKS: tuple[str, ...] = ("ringabell", "mma", "adaptive")
_CONFIGS = {"ringabell": RingABellConfig, "mma": MMAConfig, "adaptive": AdaptiveConfig}


def run_attack(
    name: AttackName,
    encoder: Any,
    *,
    target: str,
    guard: Any = None,
    concept: Tensor | None = None,
    config: AttackConfig | None = None,
    baseline: bool = False,
    checkpoint: str | Path | None = None,
) -> AttackResult:
    """One entry point for harnesses: attack `target` with `name` (or, with baseline=True, run the
    random-search baseline on that attack's objective). Ring-A-Bell aims at target + eta * `concept`
    (from `concept_vector`); the adaptive attack needs `guard`. `config` defaults to the attack's own."""
    if name not in _CONFIGS:
        from ..errors import InputError

        raise InputError(f"unknown attack {name!r}; choose from {list(ATTACKS)}")
    config = config or _CONFIGS[name]()
    if name == "ringabell":
        method = "random" if baseline else "genetic"
        return ring_a_bell(encoder, prompt=target, concept=concept, config=config, method=method, checkpoint=checkpoint)  # type: ignore[arg-type]
    method = "random" if baseline else "gcg"
    if name == "mma":
        return mma_attack(encoder, target=target, config=config, method=method, checkpoint=checkpoint)  # type: ignore[arg-type]
    return adaptive_attack(encoder, guard, target=target, config=config, method=method, checkpoint=checkpoint)  # type: ignore[arg-type]
