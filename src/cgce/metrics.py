"""Functional detection metrics shared by training reports and benchmarks."""

from __future__ import annotations

import numpy as np

__all__ = ["auroc", "threshold_at_fpr", "rate_at_threshold", "wilson_interval"]


def auroc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Area under the ROC curve by the Mann-Whitney U statistic (ties count one half)."""
    scores, labels = np.asarray(scores, dtype=np.float64), np.asarray(labels).astype(bool)
    n_pos, n_neg = int(labels.sum()), int((~labels).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores), dtype=np.float64)
    sorted_scores = scores[order]
    # average ranks over ties
    _, first, counts = np.unique(sorted_scores, return_index=True, return_counts=True)
    avg = first + (counts - 1) / 2.0 + 1.0
    ranks[order] = np.repeat(avg, counts)
    return float((ranks[labels].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def threshold_at_fpr(negative_scores: np.ndarray, target_fpr: float) -> float:
    """The smallest threshold t such that at most `target_fpr` of negatives score >= t.

    Thresholds sit halfway between two observed negative scores, so the calibration set's FPR is
    exactly floor(target_fpr * n) / n and no score lies on the boundary.
    """
    s = np.sort(np.asarray(negative_scores, dtype=np.float64))[::-1]
    allowed = int(np.floor(target_fpr * len(s)))
    if allowed >= len(s):
        return float(s[-1])
    upper = s[allowed - 1] if allowed > 0 else min(1.0, s[0] + (1.0 - s[0]) / 2)
    return float((upper + s[allowed]) / 2.0) if allowed > 0 else float(upper)


def rate_at_threshold(scores: np.ndarray, threshold: float) -> float:
    """Fraction of scores >= threshold (recall on positives, FPR on negatives)."""
    scores = np.asarray(scores)
    return float((scores >= threshold).mean()) if len(scores) else float("nan")


def wilson_interval(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of a rate (95% for z=1.96): what a recall or FPR measured on n prompts can
    tell apart. Unlike the normal approximation it stays inside [0, 1] at 0/n and n/n."""
    if n <= 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n and n > 0, got {successes}/{n}")
    p, z2 = successes / n, z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return float(max(0.0, centre - half)), float(min(1.0, centre + half))
