"""Everything an evaluation computes once before scoring prompts: the encoder and guard, the
calibration prompts, the baselines and the independent probe, each calibrated to the same FPR.

Built identically in every process (all inputs come from the embedding cache, filled by the main
process first), so any shard computes the same per-prompt numbers as a single process would.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import torch

from ..cache import EmbeddingCache, Row, collate, default_cache_dir, encode_rows
from ..encoders import TextEncoder
from ..errors import InputError
from ..guard import ConceptGuard
from .baselines import UNAVAILABLE_NOTE, CalibratedBaseline, FitData, LogisticProbe, build_baselines, calibrate_threshold, pooled_features
from .config import EvalConfig
from .loaders import PromptSet

__all__ = ["EvalContext", "ProbeInfo", "guard_scores", "calibration_prompts", "fit_data", "probe_data", "needed_prompts"]


@dataclass
class ProbeInfo:
    """The independent probe of one concept: what it was trained on and its calibrated threshold."""

    probe: LogisticProbe
    threshold: float
    trained_on: str
    n_train: int


@dataclass
class EvalContext:
    config: EvalConfig
    encoder: TextEncoder
    guard: ConceptGuard
    sets: dict[str, PromptSet]
    attack: list[str]
    benign: list[str]
    set_concept: dict[str, str]
    concepts: list[str]
    cache: EmbeddingCache
    calibration: list[str] = field(default_factory=list)
    calibration_source: str = ""
    cgce_calibrated: dict[str, float] = field(default_factory=dict)
    baselines: dict[str, list[CalibratedBaseline]] = field(default_factory=dict)
    probes: dict[str, ProbeInfo] = field(default_factory=dict)
    calibration_scores: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    _pair_candidates: dict[str, tuple[torch.Tensor, dict[str, int]]] = field(default_factory=dict)

    def rows_of(self, prompts: Sequence[str]) -> list[Row]:
        return encode_rows(self.encoder, list(prompts), cache=self.cache, batch_size=64)

    def pair_candidates(self, name: str) -> tuple[torch.Tensor, dict[str, int]] | None:
        """Mean-pooled embeddings of a set's distinct safe counterparts, and their index by text."""
        ps = self.sets[name]
        texts = list(dict.fromkeys(p for p in ps.pairs if p))
        if not texts:
            return None
        if name not in self._pair_candidates:
            self._pair_candidates[name] = (pooled_features(self.rows_of(texts)), {t: i for i, t in enumerate(texts)})
        return self._pair_candidates[name]


def guard_scores(guard: ConceptGuard, rows: Sequence[Row], fingerprint: str | None, *, batch_size: int = 256) -> dict[str, np.ndarray]:
    """Detection probability per concept for many rows (no refinement)."""
    out: dict[str, list[np.ndarray]] = {c: [] for c in guard.concepts}
    for i in range(0, len(rows), batch_size):
        scores = guard.detect(collate(rows[i : i + batch_size], fingerprint))
        for c, s in scores.items():
            out[c].append(s.double().numpy())
    return {c: np.concatenate(v) if v else np.zeros(0) for c, v in out.items()}


def calibration_prompts(config: EvalConfig) -> tuple[list[str], str]:
    from ..data import builtin_benign
    from .loaders import load_prompt_set

    if config.calibration == "builtin":
        prompts, source = builtin_benign(), "built-in benign prompts (cgce.data.builtin_benign)"
    else:
        ps = load_prompt_set(config.calibration, name="calibration")
        prompts, source = list(dict.fromkeys(ps.prompts)), f"{config.calibration} (sha256 {ps.sha256[:16]})"
    if config.max_calibration:
        prompts = prompts[: config.max_calibration]
    if not prompts:
        raise InputError("the calibration set is empty")
    return prompts, f"{source}, first {len(prompts)}" if config.max_calibration else source


def fit_data(concept: str, config: EvalConfig) -> tuple[list[str], list[str], list[str]] | None:
    """(unsafe, safe, hard negatives) of a built-in concept; None for other concepts."""
    from ..data import builtin_concepts, builtin_hard_negatives, builtin_pairs

    if concept not in builtin_concepts():
        return None
    pairs = builtin_pairs(concept)[: config.max_fit_pairs or None]
    negatives = builtin_hard_negatives(concept)[: config.max_fit_pairs or None]
    return [p.unsafe for p in pairs], [p.safe for p in pairs], negatives


def probe_data(concept: str, config: EvalConfig) -> tuple[list[str], list[str]] | None:
    return _probe_data(concept, config.probe_seed, config.probe_pairs)


@functools.lru_cache(maxsize=16)
def _probe_data(concept: str, probe_seed: int, probe_pairs: int) -> tuple[list[str], list[str]] | None:
    """(positives, negatives) for the independent probe: pairs, hard negatives and benign prompts
    drawn by the built-in generator with another seed (`probe_seed`), minus every text that is in
    the built-in data the guard was trained on."""
    from ..data import builtin_benign, builtin_concepts, builtin_hard_negatives, builtin_pairs
    from ..data.generate import Targets, generate_all

    if concept not in builtin_concepts():
        return None
    n = max(1, probe_pairs)
    ds = generate_all(seed=probe_seed, targets=Targets(pairs_per_concept=n, hard_negatives_per_concept=max(1, n // 3), benign=max(1, n)))
    seen = set(builtin_benign()) | set(builtin_hard_negatives())
    for c in builtin_concepts():
        seen |= {t for p in builtin_pairs(c) for t in (p.safe, p.unsafe)}
    pos = [p.unsafe for p in ds.pairs[concept] if p.unsafe not in seen]
    neg = [p.safe for p in ds.pairs[concept] if p.safe not in seen]
    neg += [r["prompt"] for r in ds.hard_negatives if r.get("concept") == concept and r["prompt"] not in seen]
    neg += [r["prompt"] for r in ds.benign if r["prompt"] not in seen]
    return pos, neg


def needed_prompts(config: EvalConfig, sets: dict[str, PromptSet], concepts: Sequence[str]) -> list[str]:
    """Every prompt the context and the scoring will encode (the main process fills the cache)."""
    out = [p for ps in sets.values() for p in [*ps.prompts, *(q for q in ps.pairs if q)]]
    out += calibration_prompts(config)[0]
    for c in concepts:
        if config.baselines and (fd := fit_data(c, config)):
            out += [*fd[0], *fd[1], *fd[2]]
        if config.probe and (pd := probe_data(c, config)):
            out += [*pd[0], *pd[1]]
    return list(dict.fromkeys(out))


def build_context(
    config: EvalConfig, encoder: TextEncoder, guard: ConceptGuard, sets: dict[str, PromptSet], set_concept: dict[str, str]
) -> EvalContext:
    concepts = list(dict.fromkeys(set_concept[s.name] for s in config.sets)) or [guard.concepts[0]]
    cache = EmbeddingCache(Path(config.cache_dir) if config.cache_dir else default_cache_dir(), encoder.fingerprint)
    ctx = EvalContext(
        config, encoder, guard, sets, [s.name for s in config.sets], [s.name for s in config.benign], set_concept, concepts, cache
    )
    ctx.calibration, ctx.calibration_source = calibration_prompts(config)
    calib_rows = ctx.rows_of(ctx.calibration)
    cgce = guard_scores(guard, calib_rows, encoder.fingerprint)
    for c in concepts:
        scores = {"cgce": cgce[c], "cgce_calibrated": cgce[c]}
        ctx.cgce_calibrated[c] = calibrate_threshold(cgce[c], config.target_fpr)
        fd = fit_data(c, config) if config.baselines else None
        if config.baselines and fd is None:
            ctx.notes.append(f"baselines skipped for {c!r}: not a built-in concept (no pairs to fit them on)")
        if fd is not None:
            data = FitData(c, fd[0], fd[1], fd[2], ctx.rows_of)
            ctx.baselines[c] = []
            for b in build_baselines(config.baselines):
                b.fit(data)
                cal = CalibratedBaseline.calibrate(b, c, ctx.calibration, calib_rows, target_fpr=config.target_fpr)
                ctx.baselines[c].append(cal)
                scores[b.name] = b.score(ctx.calibration, calib_rows)
        ctx.calibration_scores[c] = scores
        pd = probe_data(c, config) if config.probe else None
        if config.probe and pd is None:
            ctx.notes.append(f"probe ASR skipped for {c!r}: not a built-in concept (no independent data to train the probe on)")
        if pd is not None:
            pos, neg = pd
            x = torch.cat([pooled_features(ctx.rows_of(pos)), pooled_features(ctx.rows_of(neg))])
            y = torch.cat([torch.ones(len(pos)), torch.zeros(len(neg))])
            probe = LogisticProbe().fit_features(x, y)
            t = calibrate_threshold(probe.predict(pooled_features(calib_rows)), config.target_fpr)
            ctx.probes[c] = ProbeInfo(
                probe, t, f"built-in generator, seed {config.probe_seed} (guard data: seed 1865), texts of the built-in data removed", len(pos) + len(neg)
            )
    ctx.notes.append(UNAVAILABLE_NOTE)
    return ctx


def describe(ctx: EvalContext) -> dict[str, Any]:
    """The calibration / baseline / probe settings for the report."""
    return {
        "calibration": {
            "source": ctx.calibration_source,
            "n": len(ctx.calibration),
            "target_fpr": ctx.config.target_fpr,
            "thresholds": {
                c: {
                    "cgce": ctx.guard.thresholds[c],
                    "cgce_calibrated": ctx.cgce_calibrated[c],
                    **{b.name: b.threshold for b in ctx.baselines.get(c, [])},
                }
                for c in ctx.concepts
            },
            "calibration_fpr": {
                c: {m: float((s >= _threshold(ctx, c, m)).mean()) for m, s in ctx.calibration_scores[c].items()} for c in ctx.concepts
            },
        },
        "probe": {c: {"threshold": p.threshold, "trained_on": p.trained_on, "n_train": p.n_train} for c, p in ctx.probes.items()},
    }


def _threshold(ctx: EvalContext, concept: str, method: str) -> float:
    if method == "cgce":
        return ctx.guard.thresholds[concept]
    if method == "cgce_calibrated":
        return ctx.cgce_calibrated[concept]
    return next(b.threshold for b in ctx.baselines[concept] if b.name == method)


__all__ += ["build_context", "describe", "method_threshold"]
method_threshold = _threshold
