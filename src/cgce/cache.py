"""On-disk embedding cache keyed by encoder fingerprint + prompt, so retraining does not re-encode.

Layout: <root>/<sha256(fingerprint)[:16]>/shard-*.safetensors. Each shard holds, per prompt key
(sha256 of the prompt), the prompt's embeddings trimmed to its last masked position, the mask over
those positions and the pooled vector if any. Shards are written atomically and never modified.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Sequence

import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import save
from torch import Tensor

from .conditioning import Conditioning
from .encoders import TextEncoder
from .io import atomic_write

__all__ = ["EmbeddingCache", "Row", "collate", "default_cache_dir", "encode_rows", "split_rows"]

# One prompt's conditioning without padding: (embeds (L, D), mask (L,), pooled (P,) | None).
Row = tuple[Tensor, Tensor, "Tensor | None"]


def default_cache_dir() -> Path:
    return Path(os.environ.get("CGCE_CACHE", Path.home() / ".cache" / "cgce" / "embeddings"))


def _key(prompt: str) -> str:
    return hashlib.sha256(prompt.encode("utf-8")).hexdigest()[:32]


class EmbeddingCache:
    def __init__(self, root: str | Path, fingerprint: str) -> None:
        self.dir = Path(root) / hashlib.sha256(fingerprint.encode()).hexdigest()[:16]
        self.fingerprint = fingerprint
        self._where: dict[str, Path] = {}
        if self.dir.is_dir():
            for shard in sorted(self.dir.glob("shard-*.safetensors")):
                try:
                    with safe_open(str(shard), framework="pt") as f:
                        if (f.metadata() or {}).get("fingerprint") != fingerprint:
                            continue
                        for name in f.keys():
                            if name.endswith(".embeds"):
                                self._where[name[: -len(".embeds")]] = shard
                except (SafetensorError, OSError):
                    continue  # a damaged shard is a cache miss, not an error

    def __contains__(self, prompt: str) -> bool:
        return _key(prompt) in self._where

    def get(self, prompts: Sequence[str]) -> dict[str, Row]:
        by_shard: dict[Path, list[str]] = {}
        for p in prompts:
            shard = self._where.get(_key(p))
            if shard is not None:
                by_shard.setdefault(shard, []).append(p)
        out: dict[str, Row] = {}
        for shard, items in by_shard.items():
            with safe_open(str(shard), framework="pt") as f:
                names = set(f.keys())
                for p in items:
                    k = _key(p)
                    pooled = f.get_tensor(f"{k}.pooled") if f"{k}.pooled" in names else None
                    out[p] = (f.get_tensor(f"{k}.embeds"), f.get_tensor(f"{k}.mask").bool(), pooled)
        return out

    def put(self, rows: dict[str, Row]) -> None:
        if not rows:
            return
        tensors: dict[str, Tensor] = {}
        for p, (embeds, mask, pooled) in rows.items():
            k = _key(p)
            tensors[f"{k}.embeds"] = embeds.contiguous()
            tensors[f"{k}.mask"] = mask.to(torch.uint8).contiguous()
            if pooled is not None:
                tensors[f"{k}.pooled"] = pooled.contiguous()
        digest = hashlib.sha256("".join(sorted(tensors)).encode()).hexdigest()[:16]
        shard = self.dir / f"shard-{digest}.safetensors"
        with atomic_write(shard, "wb") as f:
            f.write(save(tensors, metadata={"fingerprint": self.fingerprint}))
        for p in rows:
            self._where[_key(p)] = shard


def split_rows(cond: Conditioning) -> list[Row]:
    """Per-prompt rows trimmed after the last masked position (padding carries nothing)."""
    rows: list[Row] = []
    for i in range(len(cond)):
        positions = cond.mask[i].nonzero()
        end = int(positions.max()) + 1 if len(positions) else 0
        pooled = None if cond.pooled is None else cond.pooled[i].clone()
        rows.append((cond.embeds[i, :end].clone(), cond.mask[i, :end].clone(), pooled))
    return rows


def encode_rows(
    encoder: TextEncoder, prompts: Sequence[str], *, cache: EmbeddingCache | None = None, batch_size: int = 64, progress: bool = False
) -> list[Row]:
    """Per-prompt rows for `prompts`, from the cache where possible; misses are encoded in batches
    of similar length (less padding, faster) and added to the cache."""
    unique = list(dict.fromkeys(prompts))
    found = cache.get(unique) if cache is not None else {}
    missing = sorted((p for p in unique if p not in found), key=len)
    if missing:
        from tqdm.auto import tqdm

        new: dict[str, Row] = {}
        chunks = range(0, len(missing), batch_size)
        for start in tqdm(chunks, desc="encoding", unit="batch", disable=not progress):
            batch = missing[start : start + batch_size]
            new.update(zip(batch, split_rows(encoder.encode(batch))))
        if cache is not None:
            cache.put(new)
        found.update(new)
    return [found[p] for p in prompts]


def collate(rows: Sequence[Row], fingerprint: str | None = None) -> Conditioning:
    """Pad rows to a batch (positions past a row's end are outside its mask)."""
    length = max(r[0].shape[0] for r in rows)
    dim = rows[0][0].shape[1]
    embeds = torch.zeros(len(rows), length, dim, dtype=rows[0][0].dtype)
    mask = torch.zeros(len(rows), length, dtype=torch.bool)
    for i, (e, m, _) in enumerate(rows):
        embeds[i, : e.shape[0]] = e
        mask[i, : m.shape[0]] = m
    pooled = torch.stack([r[2] for r in rows]) if rows[0][2] is not None else None  # type: ignore[misc]
    return Conditioning(embeds, mask, pooled, fingerprint)
