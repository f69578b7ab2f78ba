"""Peer baselines that run in the same evaluation as CGCE, on the same embeddings.

Each baseline is fitted on the concept's built-in pairs (the data the guard was trained on, so no
baseline sees more than CGCE did) and then calibrated to the same false-positive rate on the same
benign calibration prompts as every other method, so a table row differs only in the method:

- keyword:      a regex blocklist of the concept's obvious words; score = distinct words matched.
- latent_guard: Latent-Guard-style: mean of the top-k cosines between the prompt's mean-pooled
                embedding and the concept prototypes (the mean-pooled unsafe sides of the pairs).
- safree:       SAFREE-style: a toxic token subspace from the SVD of the concept's unsafe tokens
                (per pair, the unsafe-side tokens least matched by any token of the safe side);
                score = the largest share of a prompt token's (centred) norm inside that subspace.
- probe:        logistic regression on mean-pooled embeddings (pairs' unsafe sides vs safe sides
                and the concept's hard negatives), trained in torch with L-BFGS.

No PyPI prompt-NSFW classifier is included: none installs offline with weights here; the report
says so. All scorers are deterministic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Protocol, Sequence

import numpy as np
import torch

from ..bundled import mean_pool
from ..cache import Row, collate
from ..metrics import threshold_at_fpr

__all__ = [
    "KEYWORDS",
    "Baseline",
    "FitData",
    "KeywordBlocklist",
    "LatentGuardLike",
    "SafreeLike",
    "LogisticProbe",
    "ProbeBaseline",
    "CalibratedBaseline",
    "pooled_features",
    "build_baselines",
    "BASELINE_NAMES",
    "calibrate_threshold",
    "UNAVAILABLE_NOTE",
]

RowsOf = Callable[[Sequence[str]], list[Row]]

# The obvious words of each built-in concept (what a blocklist deployment would list).
KEYWORDS: dict[str, tuple[str, ...]] = {
    "nudity": (
        "nude", "nudes", "nudity", "naked", "topless", "bottomless", "undressed", "unclothed", "nsfw", "erotic",
        "porn", "pornographic", "sex", "sexual", "breasts", "breast", "nipples", "nipple", "genitals", "lingerie",
        "boudoir", "lewd", "explicit",
    ),
    "violence": (
        "blood", "bloody", "gore", "gory", "kill", "killing", "killed", "murder", "corpse", "dead body", "stab",
        "stabbed", "shoot", "shooting", "massacre", "torture", "decapitated", "violence", "violent", "wounded",
    ),
    "vangogh": ("van gogh", "vangogh", "gogh", "vincent"),
    "church": ("church", "churches", "chapel", "cathedral", "steeple", "basilica"),
}

BASELINE_NAMES = ("keyword", "latent_guard", "safree", "probe")
UNAVAILABLE_NOTE = "pypi prompt-NSFW classifier: skipped (no package installs offline with its weights)"


def pooled_features(rows: Sequence[Row], *, batch_size: int = 256) -> torch.Tensor:
    """(N, D) L2-normalised mean-pooled embeddings of per-prompt rows."""
    if not rows:
        return torch.zeros(0, 0)
    return torch.cat([mean_pool(collate(rows[i : i + batch_size])) for i in range(0, len(rows), batch_size)])


@dataclass
class FitData:
    """What a baseline may learn from: the concept's pairs and hard negatives, plus a way to get
    the encoder rows of any prompts (through the embedding cache)."""

    concept: str
    unsafe: list[str]
    safe: list[str]
    negatives: list[str]
    rows_of: RowsOf


class Baseline(Protocol):
    name: str

    def fit(self, data: FitData) -> None: ...

    def score(self, prompts: Sequence[str], rows: Sequence[Row]) -> np.ndarray: ...


class KeywordBlocklist:
    name = "keyword"

    def __init__(self, words: Sequence[str] | None = None) -> None:
        self.words = tuple(words or ())
        self._pattern: re.Pattern[str] | None = None

    def fit(self, data: FitData) -> None:
        if not self.words:
            self.words = KEYWORDS.get(data.concept, (data.concept,))
        self._pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in self.words) + r")\b", re.I)

    def score(self, prompts: Sequence[str], rows: Sequence[Row] = ()) -> np.ndarray:
        assert self._pattern is not None, "fit first"
        return np.array([len({m.lower() for m in self._pattern.findall(p)}) for p in prompts], dtype=np.float64)


class LatentGuardLike:
    name = "latent_guard"

    def __init__(self, *, top_k: int = 10) -> None:
        self.top_k = top_k
        self.prototypes: torch.Tensor | None = None

    def fit(self, data: FitData) -> None:
        self.prototypes = pooled_features(data.rows_of(data.unsafe))

    def score(self, prompts: Sequence[str], rows: Sequence[Row]) -> np.ndarray:
        assert self.prototypes is not None, "fit first"
        sims = pooled_features(rows) @ self.prototypes.T
        k = min(self.top_k, sims.shape[1])
        return sims.topk(k, dim=1).values.mean(dim=1).double().numpy()


class SafreeLike:
    name = "safree"

    def __init__(self, *, rank: int = 16, tokens_per_pair: int = 2) -> None:
        self.rank, self.tokens_per_pair = rank, tokens_per_pair
        self.basis: torch.Tensor | None = None  # (r, D) orthonormal rows
        self.center: torch.Tensor | None = None  # (D,)

    @staticmethod
    def _tokens(row: Row) -> torch.Tensor:
        embeds, mask, _ = row
        return embeds[mask].float()

    def fit(self, data: FitData) -> None:
        unsafe_rows, safe_rows = data.rows_of(data.unsafe), data.rows_of(data.safe)
        safe_tokens = [self._tokens(r) for r in safe_rows]
        self.center = torch.cat(safe_tokens).mean(dim=0)
        toxic = []
        for u_row, s_tok in zip(unsafe_rows, safe_tokens):
            u_tok = self._tokens(u_row)
            match = (torch.nn.functional.normalize(u_tok, dim=-1) @ torch.nn.functional.normalize(s_tok, dim=-1).T).max(dim=1).values
            take = match.argsort()[: self.tokens_per_pair]
            toxic.append(u_tok[take])
        x = torch.cat(toxic) - self.center
        _, _, vh = torch.linalg.svd(x.double(), full_matrices=False)
        self.basis = vh[: min(self.rank, vh.shape[0])].float()

    def score(self, prompts: Sequence[str], rows: Sequence[Row]) -> np.ndarray:
        assert self.basis is not None and self.center is not None, "fit first"
        out = []
        for row in rows:
            t = self._tokens(row) - self.center
            share = (t @ self.basis.T).norm(dim=1) / t.norm(dim=1).clamp(min=1e-8)
            out.append(float(share.max()))
        return np.asarray(out, dtype=np.float64)


class LogisticProbe:
    """L2-regularised logistic regression on (N, D) features, fitted with L-BFGS (deterministic)."""

    def __init__(self, *, l2: float = 1e-3, max_iter: int = 200) -> None:
        self.l2, self.max_iter = l2, max_iter
        self.w: torch.Tensor | None = None
        self.b: torch.Tensor | None = None

    def fit_features(self, x: torch.Tensor, y: torch.Tensor) -> "LogisticProbe":
        x, y = x.double(), y.double()
        w = torch.zeros(x.shape[1], dtype=torch.float64, requires_grad=True)
        b = torch.zeros(1, dtype=torch.float64, requires_grad=True)
        opt = torch.optim.LBFGS([w, b], max_iter=self.max_iter, line_search_fn="strong_wolfe")
        pos_weight = (y == 0).sum() / (y == 1).sum().clamp(min=1)

        def closure() -> torch.Tensor:
            opt.zero_grad()
            loss = torch.nn.functional.binary_cross_entropy_with_logits(x @ w + b, y, pos_weight=pos_weight) + self.l2 * w.square().sum()
            loss.backward()
            return loss

        with torch.enable_grad():
            opt.step(closure)
        self.w, self.b = w.detach(), b.detach()
        return self

    def predict(self, x: torch.Tensor) -> np.ndarray:
        assert self.w is not None and self.b is not None, "fit first"
        return torch.sigmoid(x.double() @ self.w + self.b).numpy()


class ProbeBaseline:
    name = "probe"

    def __init__(self, **probe_options: float) -> None:
        self.probe = LogisticProbe(**probe_options)  # type: ignore[arg-type]

    def fit(self, data: FitData) -> None:
        pos = pooled_features(data.rows_of(data.unsafe))
        neg = pooled_features(data.rows_of([*data.safe, *data.negatives]))
        x = torch.cat([pos, neg])
        y = torch.cat([torch.ones(len(pos)), torch.zeros(len(neg))])
        self.probe.fit_features(x, y)

    def score(self, prompts: Sequence[str], rows: Sequence[Row]) -> np.ndarray:
        return self.probe.predict(pooled_features(rows))


@dataclass
class CalibratedBaseline:
    """A fitted baseline and its threshold at `target_fpr` on the calibration prompts."""

    baseline: Baseline
    concept: str
    threshold: float
    target_fpr: float
    calibration_fpr: float
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.baseline.name

    def score(self, prompts: Sequence[str], rows: Sequence[Row]) -> np.ndarray:
        return self.baseline.score(prompts, rows)

    @classmethod
    def calibrate(
        cls, baseline: Baseline, concept: str, prompts: Sequence[str], rows: Sequence[Row], *, target_fpr: float
    ) -> "CalibratedBaseline":
        scores = baseline.score(prompts, rows)
        t = calibrate_threshold(scores, target_fpr)
        return cls(baseline, concept, t, target_fpr, float((scores >= t).mean()))


def calibrate_threshold(scores: np.ndarray, target_fpr: float) -> float:
    """`threshold_at_fpr`, made safe for tied scores (a keyword count is mostly zeros): when ties
    would push the calibration FPR above the target, the threshold moves up to the midpoint above
    the smallest tied value that keeps the FPR at or below the target."""
    scores = np.asarray(scores, dtype=np.float64)
    t = threshold_at_fpr(scores, target_fpr)
    if len(scores) == 0 or float((scores >= t).mean()) <= target_fpr:
        return t
    uniq = np.unique(scores)
    for i, u in enumerate(uniq):
        if float((scores > u).mean()) <= target_fpr:
            return float((u + uniq[i + 1]) / 2) if i + 1 < len(uniq) else float(np.nextafter(u, np.inf))
    return float(np.nextafter(uniq[-1], np.inf))


def build_baselines(names: Sequence[str] = BASELINE_NAMES) -> list[Baseline]:
    makers: dict[str, Callable[[], Baseline]] = {
        "keyword": KeywordBlocklist,
        "latent_guard": LatentGuardLike,
        "safree": SafreeLike,
        "probe": ProbeBaseline,
    }
    unknown = [n for n in names if n not in makers]
    if unknown:
        from ..errors import InputError

        raise InputError(f"unknown baselines {unknown}; known: {list(makers)}")
    return [makers[n]() for n in names]
