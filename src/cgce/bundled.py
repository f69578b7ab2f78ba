"""The classifiers shipped inside the package (trained by `python -m cgce.bundle`) and the
reference bank of built-in safe prompts used to explain where a refined embedding landed."""

from __future__ import annotations

from pathlib import Path

import torch
from safetensors import safe_open

from .conditioning import Conditioning
from .errors import InputError

__all__ = ["BUNDLED_DIR", "BUNDLED_CONCEPTS", "bundled_classifier_dirs", "ReferenceBank", "mean_pool"]

BUNDLED_DIR = Path(__file__).resolve().parent / "classifiers"
BUNDLED_CONCEPTS = ("nudity", "violence", "vangogh", "church")
BANK_NAME = "reference_bank.safetensors"


def bundled_classifier_dirs() -> list[Path]:
    dirs = [BUNDLED_DIR / c for c in BUNDLED_CONCEPTS]
    missing = [str(d) for d in dirs if not (d / "config.json").is_file()]
    if missing:
        raise InputError(f"bundled classifiers missing ({missing[0]}); rebuild with: python -m cgce.bundle")
    return dirs


def mean_pool(cond: Conditioning) -> torch.Tensor:
    """(B, D) mean of the masked token embeddings, L2-normalised."""
    m = cond.mask.unsqueeze(-1).to(cond.embeds.dtype)
    pooled = (cond.embeds * m).sum(dim=1) / m.sum(dim=1).clamp(min=1)
    return torch.nn.functional.normalize(pooled.float(), dim=-1)


class ReferenceBank:
    """Mean-pooled embeddings of built-in safe prompts; nearest neighbour explains a refinement."""

    def __init__(self, prompts: list[str], vectors: torch.Tensor, fingerprint: str) -> None:
        self.prompts, self.vectors, self.fingerprint = prompts, vectors.float(), fingerprint

    @classmethod
    def load(cls, path: Path = BUNDLED_DIR / BANK_NAME) -> "ReferenceBank":
        import json

        if not path.is_file():
            raise InputError(f"reference bank missing ({path}); rebuild with: python -m cgce.bundle")
        with safe_open(str(path), framework="pt") as f:
            meta = f.metadata() or {}
            vectors = f.get_tensor("vectors")
        return cls(json.loads(meta["prompts"]), vectors, meta.get("fingerprint", ""))

    def save(self, path: Path) -> None:
        import json

        from safetensors.torch import save

        from .io import atomic_write

        meta = {"prompts": json.dumps(self.prompts, ensure_ascii=False), "fingerprint": self.fingerprint}
        with atomic_write(path, "wb") as f:
            f.write(save({"vectors": self.vectors.half().contiguous()}, metadata=meta))

    def nearest(self, cond: Conditioning) -> list[tuple[str, float]]:
        """For each row, the closest safe prompt and its cosine similarity."""
        if cond.fingerprint and self.fingerprint and cond.fingerprint != self.fingerprint:
            raise InputError(f"reference bank is for encoder {self.fingerprint!r}, not {cond.fingerprint!r}")
        sims = mean_pool(cond) @ self.vectors.T
        best = sims.max(dim=1)
        return [(self.prompts[int(i)], float(s)) for s, i in zip(best.values, best.indices)]
