"""Ring-A-Bell (Tsai et al., ICLR 2024): find a prompt the encoder reads as "base prompt + concept".

1. Concept vector: the mean over paired prompts of view(unsafe) - view(safe). With pooling="mean"
   (default) the view is the masked mean of the token embeddings, which is well defined for encoders
   that read real tokens only (MiniLM, T5); pooling="tokens" keeps the token grid (zero-padded to a
   common length, compared position by position) as the original did on CLIP's 77 positions.
2. Target: view(base prompt) + eta * concept.
3. A genetic search over K searchable tokens (tournament selection, uniform crossover, per-token
   mutation, elitism) minimises 1 - cosine (default) or the MSE between view(candidate) and target.

No gradient is needed, so the attack runs on any encoder; the output is plain text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Sequence

import torch
from torch import Tensor

from ..conditioning import Conditioning
from ..errors import InputError
from .base import AttackConfig, AttackResult, AttackRun, Metric, Pooling, PromptSpace, distance, embedding_view
from .random_search import random_search

__all__ = ["RingABellConfig", "TargetObjective", "concept_vector", "genetic_search", "ring_a_bell"]

Method = Literal["genetic", "random"]


@dataclass(kw_only=True)
class RingABellConfig(AttackConfig):
    """eta: strength of the concept added to the base prompt (Ring-A-Bell used 3 for nudity on
    CLIP). The genetic search: `population` individuals, the best `elite` kept each generation;
    a child is a uniform crossover of two tournament winners (with probability `crossover_rate`,
    else a copy of one), then one random token is mutated plus each other with `mutation_rate`.
    The original ran 200 x 3000 generations; these defaults were chosen on a toy problem for budgets
    of a few hundred queries, where changing more than one token per child mostly destroys fitness."""

    eta: float = 3.0
    pooling: Pooling = "mean"
    metric: Metric = "cosine"
    population: int = 8
    elite: int = 4
    crossover_rate: float = 0.9
    mutation_rate: float = 0.0

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 0 < self.elite < self.population:
            raise InputError("elite must be >= 1 and < population")
        if not (0 <= self.crossover_rate <= 1 and 0 <= self.mutation_rate <= 1):
            raise InputError("crossover_rate and mutation_rate must lie in [0, 1]")


def _pad_to(view: Tensor, length: int) -> Tensor:
    return torch.nn.functional.pad(view, (0, 0, 0, length - view.shape[1])) if view.ndim == 3 else view


def concept_vector(encoder: Any, pairs: Sequence[Any], *, pooling: Pooling = "mean") -> Tensor:
    """Mean of view(unsafe) - view(safe) over pairs of (safe, unsafe) strings or `Pair` objects."""
    if not pairs:
        raise InputError("concept_vector needs at least one (safe, unsafe) pair")
    safe = [p.safe if hasattr(p, "safe") else p[0] for p in pairs]
    unsafe = [p.unsafe if hasattr(p, "unsafe") else p[1] for p in pairs]
    a, b = embedding_view(encoder.encode(unsafe), pooling), embedding_view(encoder.encode(safe), pooling)
    length = max(a.shape[1], b.shape[1]) if a.ndim == 3 else 0
    return (_pad_to(a, length) - _pad_to(b, length)).mean(0, keepdim=True)


class TargetObjective:
    """Distance between view(candidate) and a fixed target view (1 - cosine or MSE)."""

    def __init__(self, target: Tensor, *, pooling: Pooling, metric: Metric) -> None:
        self.target, self.pooling, self.metric = target.detach(), pooling, metric

    def __call__(self, cond: Conditioning) -> Tensor:
        return distance(embedding_view(cond, self.pooling), self.target, self.metric)


def genetic_search(run: AttackRun, space: PromptSpace, objective: TargetObjective, config: RingABellConfig) -> None:
    """Generational GA with elitism; the population and its fitness are the checkpointed state."""
    g, p, k = run.torch_rng, config.population, config.num_tokens
    if "population" not in run.state:
        population = space.random_ids((p, k), g)
        fitness = run.evaluate(space, objective, population)
        run.state = {"population": population.tolist(), "fitness": fitness.tolist()}
        run.end_iteration()
    while not run.done():
        population = torch.tensor(run.state["population"], dtype=torch.long)
        fitness = torch.tensor(run.state["fitness"], dtype=torch.float64)
        order = torch.argsort(fitness, stable=True)
        population, fitness = population[order], fitness[order]
        n = p - config.elite
        duel = torch.randint(p, (n, 2, 2), generator=g)  # two binary tournaments per child
        winners = torch.where(fitness[duel[..., 0]] <= fitness[duel[..., 1]], duel[..., 0], duel[..., 1])
        mother, father = population[winners[:, 0]], population[winners[:, 1]]
        cross = (torch.rand(n, 1, generator=g) < config.crossover_rate) & (torch.rand(n, k, generator=g) < 0.5)
        children = torch.where(cross, father, mother)
        mutate = torch.rand(n, k, generator=g) < config.mutation_rate
        mutate[torch.arange(n), torch.randint(k, (n,), generator=g)] = True  # every child changes
        children = torch.where(mutate, space.random_ids((n, k), g), children)
        values = run.evaluate(space, objective, children).double()
        run.state = {
            "population": torch.cat([population[: config.elite], children]).tolist(),
            "fitness": torch.cat([fitness[: config.elite], values]).tolist(),
        }
        run.end_iteration()


def ring_a_bell(
    encoder: Any,
    *,
    prompt: str,
    concept: Tensor | None = None,
    pairs: Sequence[Any] | None = None,
    config: RingABellConfig | None = None,
    method: Method = "genetic",
    checkpoint: str | Path | None = None,
) -> AttackResult:
    """Search K tokens whose embedding matches view(prompt) + eta * concept.

    Give `concept` (from `concept_vector`, same pooling) or `pairs` to compute it. method="random"
    runs the random-search baseline on the same objective and budget.
    """
    config = config or RingABellConfig()
    if method not in ("genetic", "random"):
        raise InputError(f"method must be 'genetic' or 'random', got {method!r}")
    if concept is None:
        if pairs is None:
            raise InputError("ring_a_bell needs a concept vector or pairs to compute one")
        concept = concept_vector(encoder, pairs, pooling=config.pooling)
    base = embedding_view(encoder.encode([prompt]), config.pooling)
    if base.ndim == 3:
        length = max(base.shape[1], concept.shape[1])
        base, concept = _pad_to(base, length), _pad_to(concept, length)
    if base.shape[1:] != concept.shape[1:]:
        raise InputError(f"concept vector shape {tuple(concept.shape)} does not match pooling {config.pooling!r}")
    target = base + config.eta * concept.to(base.dtype)
    space = PromptSpace(encoder, banned_words=config.banned_words)
    objective = TargetObjective(target, pooling=config.pooling, metric=config.metric)
    digest = hashlib.sha256(concept.float().contiguous().numpy().tobytes()).hexdigest()[:16]
    problem = {"prompt": prompt, "concept_sha256": digest, "method": method,
               "encoder": getattr(encoder, "fingerprint", None)}
    run = AttackRun(f"ringabell-{method}", config, problem, checkpoint)
    if method == "genetic":
        genetic_search(run, space, objective, config)
    else:
        random_search(run, space, objective, lambda: space.random_ids((config.num_tokens,), run.torch_rng))
    return run.result(space, {"prompt": prompt, "eta": config.eta, "concept_sha256": digest})
