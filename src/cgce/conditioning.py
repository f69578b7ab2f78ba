"""The tensors a generator consumes for a batch of prompts, and what the guard did to them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import torch
from torch import Tensor

from .errors import InputError

__all__ = ["Conditioning", "GuardResult"]


@dataclass(frozen=True)
class Conditioning:
    """Prompt conditioning exactly as a consumer (classifier or denoiser) reads it.

    embeds: (B, L, D) token embeddings.
    mask:   (B, L) bool, True at the positions the consumer actually uses. Positions outside the
            mask are never read by a classifier and never changed by the guard.
    pooled: optional (B, P) pooled vector (CLIP text_embeds for SDXL/SD3/FLUX ...).
    fingerprint: the fingerprint of the encoder that produced these tensors, when known; a
            classifier refuses conditioning whose fingerprint differs from its own.
    """

    embeds: Tensor
    mask: Tensor
    pooled: Tensor | None = None
    fingerprint: str | None = None

    def __post_init__(self) -> None:
        if self.embeds.ndim != 3:
            raise ValueError(f"embeds must be (B, L, D), got shape {tuple(self.embeds.shape)}")
        if self.mask.shape != self.embeds.shape[:2]:
            raise ValueError(
                f"mask shape {tuple(self.mask.shape)} does not match embeds (B, L) = {tuple(self.embeds.shape[:2])}"
            )
        if self.mask.dtype != torch.bool:
            raise ValueError(f"mask must be bool, got {self.mask.dtype}")
        if self.pooled is not None and (self.pooled.ndim != 2 or self.pooled.shape[0] != self.embeds.shape[0]):
            raise ValueError(
                f"pooled must be (B, P) with B={self.embeds.shape[0]}, got shape {tuple(self.pooled.shape)}"
            )

    def __len__(self) -> int:
        return self.embeds.shape[0]

    @property
    def device(self) -> torch.device:
        return self.embeds.device

    def to(self, device: torch.device | str | None = None, dtype: torch.dtype | None = None) -> "Conditioning":
        """Move to a device and/or cast the float tensors (the mask stays bool)."""
        pooled = None if self.pooled is None else self.pooled.to(device=device, dtype=dtype)
        return Conditioning(
            self.embeds.to(device=device, dtype=dtype), self.mask.to(device=device), pooled, self.fingerprint
        )

    def rows(self, index: Tensor | Sequence[int] | slice) -> "Conditioning":
        """The conditioning of a subset of rows."""
        pooled = None if self.pooled is None else self.pooled[index]
        return Conditioning(self.embeds[index], self.mask[index], pooled, self.fingerprint)

    def check_finite(self) -> None:
        """Raise ValueError naming the rows whose embeddings hold NaN or inf."""
        bad = ~torch.isfinite(self.embeds).flatten(1).all(dim=1)
        if self.pooled is not None:
            bad |= ~torch.isfinite(self.pooled).all(dim=1)
        if bool(bad.any()):
            rows = bad.nonzero().flatten().tolist()
            raise InputError(f"conditioning holds NaN or inf values in rows {rows}")

    @staticmethod
    def pad_cat(items: Sequence["Conditioning"]) -> "Conditioning":
        """Stack conditionings of different lengths L, padding with zeros outside the mask."""
        if not items:
            raise ValueError("pad_cat needs at least one Conditioning")
        length = max(c.embeds.shape[1] for c in items)
        embeds, masks = [], []
        for c in items:
            pad = length - c.embeds.shape[1]
            embeds.append(torch.nn.functional.pad(c.embeds, (0, 0, 0, pad)))
            masks.append(torch.nn.functional.pad(c.mask, (0, pad), value=False))
        has_pooled = [c.pooled is not None for c in items]
        if any(has_pooled) and not all(has_pooled):
            raise ValueError("cannot concatenate conditionings with and without pooled vectors")
        pooled = torch.cat([c.pooled for c in items]) if all(has_pooled) else None  # type: ignore[misc]
        fingerprints = {c.fingerprint for c in items}
        if len(fingerprints) > 1:
            raise ValueError(f"cannot concatenate conditionings from different encoders: {sorted(map(str, fingerprints))}")
        return Conditioning(torch.cat(embeds), torch.cat(masks), pooled, fingerprints.pop())


@dataclass(frozen=True)
class GuardResult:
    """What `ConceptGuard` returns for a batch.

    conditioning:  the conditioning to hand to the generator; rows not flagged are the input's own
                   tensors, bit for bit.
    flagged:       (B,) bool, True where any classifier flagged the row before refinement.
    scores_before: concept -> (B,) probability from that concept's classifier on the input.
    scores_after:  concept -> (B,) probability on the returned conditioning.
    steps:         (B,) int, refinement steps taken (0 for rows not flagged).
    converged:     (B,) bool, every classifier below its threshold after refinement (True for
                   rows not flagged).
    blocked:       (B,) bool, rows the generator must not render (on_failure="block").
    thresholds:    concept -> calibrated threshold used for detection.
    """

    conditioning: Conditioning
    flagged: Tensor
    scores_before: dict[str, Tensor]
    scores_after: dict[str, Tensor]
    steps: Tensor
    converged: Tensor
    blocked: Tensor
    thresholds: dict[str, float] = field(default_factory=dict)

    def __len__(self) -> int:
        return self.flagged.shape[0]

    def flagged_concepts(self, row: int) -> list[str]:
        """Names of the concepts whose classifier flagged this row before refinement."""
        return [c for c, s in self.scores_before.items() if float(s[row]) >= self.thresholds[c]]

    def row_report(self, row: int) -> dict:
        """A JSON-ready summary of one row."""
        return {
            "scores": {c: round(float(s[row]), 6) for c, s in self.scores_before.items()},
            "flagged": self.flagged_concepts(row),
            "scores_after": {c: round(float(s[row]), 6) for c, s in self.scores_after.items()},
            "steps": int(self.steps[row]),
            "converged": bool(self.converged[row]),
            "blocked": bool(self.blocked[row]),
        }
