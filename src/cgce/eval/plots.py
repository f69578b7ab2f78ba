"""PNG figures of an evaluation (matplotlib, Agg backend, no display needed): ROC per attack set,
score histograms benign vs attack, miss rate per set and method, refinement steps histogram."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from .context import EvalContext
from .report import _reference, _set_records, method_scores

__all__ = ["write_plots", "roc_curve"]


def roc_curve(pos: np.ndarray, neg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(fpr, tpr) over every distinct threshold, from (0, 0) to (1, 1)."""
    thresholds = np.unique(np.concatenate([pos, neg]))[::-1]
    fpr = np.array([0.0] + [float((neg >= t).mean()) for t in thresholds] + [1.0])
    tpr = np.array([0.0] + [float((pos >= t).mean()) for t in thresholds] + [1.0])
    return fpr, tpr


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def write_plots(ctx: EvalContext, records: dict, report: dict[str, Any], folder: Path) -> list[str]:
    plt = _pyplot()
    folder.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    attack = [n for n in ctx.attack if ctx.sets[n].prompts]
    for name in attack:
        concept = ctx.set_concept[name]
        recs = _set_records(ctx, records, name, "text")
        pos = method_scores(ctx, recs, concept)
        ref, ref_name = _reference(ctx, records, concept)
        fig, ax = plt.subplots(figsize=(5, 5))
        for m, s in pos.items():
            if m == "cgce_calibrated" or not len(ref.get(m, [])):
                continue
            fpr, tpr = roc_curve(s, ref[m])
            ax.plot(fpr, tpr, label=m)
        ax.plot([0, 1], [0, 1], "k:", lw=0.8)
        ax.set(xlabel=f"FPR ({ref_name})", ylabel="TPR", title=f"ROC: {name} ({concept})")
        ax.legend(fontsize=8)
        written.append(_save(fig, folder / f"roc_{_safe(name)}.png", plt))

        fig, ax = plt.subplots(figsize=(6, 4))
        bins = np.linspace(0, 1, 41)
        ax.hist(ref["cgce"], bins=bins, alpha=0.6, density=True, label=f"benign ({ref_name})")
        ax.hist(pos["cgce"], bins=bins, alpha=0.6, density=True, label=name)
        ax.axvline(ctx.guard.thresholds[concept], color="k", ls="--", lw=1, label="threshold")
        ax.set(xlabel=f"CGCE {concept} score", ylabel="density", title=f"Scores: benign vs {name}")
        ax.legend(fontsize=8)
        written.append(_save(fig, folder / f"scores_{_safe(name)}.png", plt))

    if attack:
        det = report["detection"]
        methods = list(dict.fromkeys(m for n in attack for m in det[n]["methods"]))
        fig, ax = plt.subplots(figsize=(max(5, 1.5 * len(attack) * len(methods) / 3), 4))
        width = 0.8 / max(1, len(methods))
        for k, m in enumerate(methods):
            vals = [100 * (det[n]["methods"].get(m, {}).get("miss_rate") or 0.0) for n in attack]
            ax.bar(np.arange(len(attack)) + k * width, vals, width, label=m)
        ax.set_xticks(np.arange(len(attack)) + width * (len(methods) - 1) / 2, attack, rotation=20)
        ax.set(ylabel="miss rate %", title=f"Miss rate at {100 * ctx.config.target_fpr:g}% calibration FPR")
        ax.legend(fontsize=8)
        written.append(_save(fig, folder / "miss_rate.png", plt))

    steps = [r["steps"] for (kind, _), r in records.items() if kind == "text" and r["flagged"]]
    fig, ax = plt.subplots(figsize=(6, 4))
    if steps:
        ax.hist(steps, bins=range(0, max(steps) + 2))
    ax.set(xlabel="refinement steps", ylabel="flagged prompts", title="Refinement steps (all sets)")
    written.append(_save(fig, folder / "refinement_steps.png", plt))
    return written


def _save(fig, path: Path, plt) -> str:
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path.name


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)
