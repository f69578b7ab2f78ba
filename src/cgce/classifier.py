"""ConceptClassifier: the compact cross-attention classifier of CGCE (Stage 2).

The concept's own embedding (the frozen encoder's output for the concept text, e.g. "nudity") and a
few learnable queries attend over the prompt's token embeddings under the consumer's mask; the
pooled vector, when the encoder has one, enters through its own projection; a small MLP head gives
one logit. `score` is sigmoid(logit); a prompt is flagged when score >= the calibrated threshold.
The classifier is an ensemble of `num_members` such networks, trained independently side by side
and averaged in logit space: one network's verdict on a paraphrase it never saw depends on its
random initialisation, the average's much less (README, "Ensemble").
The guard differentiates this module with respect to its *input* embeddings, so everything here is
smooth and row-independent (no batch statistics): a row's score never depends on its batch.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from safetensors import SafetensorError
from safetensors.torch import load_file, save
from torch import Tensor, nn

from .conditioning import Conditioning
from .errors import EncoderMismatchError, InputError
from .io import atomic_write, atomic_write_text
from .members import MemberLayerNorm, MemberLinear, norm_then_project

__all__ = ["ClassifierConfig", "ConceptClassifier"]

WEIGHTS_NAME = "model.safetensors"
CONFIG_NAME = "config.json"


@dataclass
class ClassifierConfig:
    """Architecture plus everything needed to trust a checkpoint: what it detects, for which encoder,
    at which threshold, trained on what."""

    concept: str
    concept_text: str
    embed_dim: int
    pooled_dim: int | None = None
    hidden_dim: int = 64
    num_heads: int = 4
    num_queries: int = 4
    num_layers: int = 2
    dropout: float = 0.1
    num_members: int = 1  # checkpoints written before ensembles had one network
    encoder_fingerprint: str = ""
    threshold: float = 0.5
    metrics: dict[str, Any] = field(default_factory=dict)
    dataset_sha256: str = ""
    library_version: str = ""
    training: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.hidden_dim % self.num_heads:
            raise ValueError(f"hidden_dim {self.hidden_dim} is not divisible by num_heads {self.num_heads}")
        if self.num_members < 1:
            raise ValueError(f"num_members must be >= 1, got {self.num_members}")
        if not 0.0 < self.threshold < 1.0:
            raise ValueError(f"threshold must lie in (0, 1), got {self.threshold}")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ClassifierConfig":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


class _CrossAttentionBlock(nn.Module):
    """Pre-norm cross-attention (queries -> prompt tokens) followed by an MLP, both residual.

    Keys and values are computed once per forward and shared by every block: per-token work is
    the one projection of the prompt tokens, everything after it runs on a handful of queries.
    Queries are (K, B, Q, hidden) for K members; keys, values and the mask fold the members into
    the batch axis (K*B, heads, L, ...), member-major.
    """

    def __init__(self, members: int, hidden: int, heads: int, dropout: float) -> None:
        super().__init__()
        self.heads = heads
        self.norm_q = MemberLayerNorm(members, hidden)
        self.q = MemberLinear(members, hidden, hidden)
        self.out = MemberLinear(members, hidden, hidden)
        self.norm_mlp = MemberLayerNorm(members, hidden)
        self.mlp = nn.Sequential(MemberLinear(members, hidden, 2 * hidden), nn.GELU(), MemberLinear(members, 2 * hidden, hidden))
        self.dropout = dropout

    def forward(self, queries: Tensor, keys: Tensor, values: Tensor, attn_mask: Tensor) -> Tensor:
        k, b, nq, h = queries.shape
        q = self.q(self.norm_q(queries)).reshape(k * b, nq, self.heads, h // self.heads).transpose(1, 2)
        p = self.dropout if self.training else 0.0
        # Dropout on the residual branches only: dropout inside the attention forced PyTorch's slow
        # attention kernel on the CPU, a fifth of the training step (README, "Ensemble").
        attended = F.scaled_dot_product_attention(q, keys, values, attn_mask=attn_mask)
        attended = attended.transpose(1, 2).reshape(k, b, nq, h)
        queries = queries + F.dropout(self.out(attended), p, self.training)
        return queries + F.dropout(self.mlp(self.norm_mlp(queries)), p, self.training)


class ConceptClassifier(nn.Module):
    """Detects one concept in prompt embeddings of one encoder.

    concept_embeds (Lc, D) holds the encoder's output for `config.concept_text`; it is a buffer,
    saved with the weights, and its tokens are the concept queries. Every weight has a leading axis
    of `config.num_members` independent networks; the logit is their mean.
    """

    def __init__(self, config: ClassifierConfig, concept_embeds: Tensor) -> None:
        super().__init__()
        if concept_embeds.ndim != 2 or concept_embeds.shape[1] != config.embed_dim:
            raise ValueError(
                f"concept_embeds must be (Lc, {config.embed_dim}), got {tuple(concept_embeds.shape)}"
            )
        self.config = config
        k, hidden = config.num_members, config.hidden_dim
        self.register_buffer("concept_embeds", concept_embeds.detach().float().clone())
        # LayerNorm first: encoders differ wildly in scale (CLIP has outlier dims, T5 tiny values),
        # so the classifier sees every encoder's tokens on a common footing.
        self.token_norm = MemberLayerNorm(k, config.embed_dim)
        self.token_proj = MemberLinear(k, config.embed_dim, hidden)
        self.kv = MemberLinear(k, hidden, 2 * hidden)
        self.concept_proj = MemberLinear(k, config.embed_dim, hidden)
        self.learned_queries = nn.Parameter(torch.randn(k, config.num_queries, hidden) * 0.02)
        self.blocks = nn.ModuleList(
            _CrossAttentionBlock(k, hidden, config.num_heads, config.dropout) for _ in range(config.num_layers)
        )
        self.pooled_proj: nn.Module | None = None
        if config.pooled_dim:
            self.pooled_proj = nn.Sequential(MemberLayerNorm(k, config.pooled_dim), MemberLinear(k, config.pooled_dim, hidden))
        self.head = nn.Sequential(MemberLayerNorm(k, hidden), MemberLinear(k, hidden, hidden), nn.GELU(), MemberLinear(k, hidden, 1))

    @property
    def concept(self) -> str:
        return self.config.concept

    @property
    def threshold(self) -> float:
        return self.config.threshold

    @property
    def fingerprint(self) -> str:
        return self.config.encoder_fingerprint

    def extra_repr(self) -> str:
        return f"concept={self.concept!r}, threshold={self.threshold:.4f}, encoder={self.fingerprint!r}"

    def check_compatible(self, cond: Conditioning) -> None:
        """Refuse conditioning from another encoder (by fingerprint when known, else by shape)."""
        if cond.fingerprint is not None and self.fingerprint and cond.fingerprint != self.fingerprint:
            raise EncoderMismatchError(
                f"classifier {self.concept!r} was trained on encoder {self.fingerprint!r} "
                f"but the embeddings come from {cond.fingerprint!r}"
            )
        d = cond.embeds.shape[-1]
        if d != self.config.embed_dim:
            raise EncoderMismatchError(
                f"classifier {self.concept!r} expects embedding dim {self.config.embed_dim} "
                f"(encoder {self.fingerprint!r}), got {d}"
            )
        if self.config.pooled_dim and (cond.pooled is None or cond.pooled.shape[-1] != self.config.pooled_dim):
            got = None if cond.pooled is None else cond.pooled.shape[-1]
            raise EncoderMismatchError(
                f"classifier {self.concept!r} expects a pooled vector of dim {self.config.pooled_dim}, got {got}"
            )

    def forward(self, embeds: Tensor, mask: Tensor, pooled: Tensor | None = None) -> Tensor:
        """Logits (B,) for embeds (B, L, D) under mask (B, L); every row needs one True position."""
        return self.member_logits(embeds, mask, pooled).mean(dim=0)

    def member_logits(self, embeds: Tensor, mask: Tensor, pooled: Tensor | None = None) -> Tensor:
        """Each member's logits (K, B); training fits every member to the labels on its own."""
        if not bool(mask.any(dim=1).all()):
            raise InputError("every row needs at least one position in the mask (empty prompt?)")
        b, length, _ = embeds.shape
        k, heads, hidden = self.config.num_members, self.config.num_heads, self.config.hidden_dim
        tokens = norm_then_project(embeds.float(), self.token_norm, self.token_proj)  # (K, B, L, hidden)
        kv = self.kv(tokens).view(k * b, length, 2, heads, hidden // heads)
        keys, values = kv.permute(2, 0, 3, 1, 4)  # each (K*B, heads, L, hidden/heads)
        attn_mask = mask[:, None, None, :].repeat(k, 1, 1, 1)  # (K*B, 1, 1, L): keys outside the mask are never read
        concept_q = norm_then_project(self.concept_embeds, self.token_norm, self.concept_proj)
        queries = torch.cat([concept_q, self.learned_queries], dim=1).unsqueeze(1).expand(-1, b, -1, -1)
        for block in self.blocks:
            queries = block(queries, keys, values, attn_mask)
        summary = queries.mean(dim=2)  # (K, B, hidden)
        if self.pooled_proj is not None and pooled is not None:
            summary = summary + self.pooled_proj(pooled.float().expand(k, -1, -1))
        return self.head(summary).squeeze(-1)

    def logits(self, cond: Conditioning) -> Tensor:
        self.check_compatible(cond)
        return self(cond.embeds, cond.mask, cond.pooled)

    @torch.no_grad()
    def score(self, cond: Conditioning) -> Tensor:
        """Probability (B,) that each row carries the concept."""
        return torch.sigmoid(self.logits(cond))

    # --- persistence: safetensors weights + JSON config, nothing else -------------------------

    def save_pretrained(self, directory: str | Path) -> Path:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        state = {k: v.detach().cpu().contiguous() for k, v in self.state_dict().items()}
        with atomic_write(directory / WEIGHTS_NAME, "wb") as f:
            f.write(save(state, metadata={"concept": self.concept, "format": "pt"}))
        atomic_write_text(directory / CONFIG_NAME, json.dumps(asdict(self.config), indent=2, sort_keys=True) + "\n")
        return directory

    @classmethod
    def from_pretrained(
        cls, directory: str | Path, *, expected_fingerprint: str | None = None, map_location: str = "cpu"
    ) -> "ConceptClassifier":
        """Load a classifier; with `expected_fingerprint`, refuse one trained on another encoder."""
        directory = Path(directory)
        if not directory.is_dir():
            raise InputError(f"{directory}: not a classifier directory (expected {CONFIG_NAME} + {WEIGHTS_NAME})")
        config_path, weights_path = directory / CONFIG_NAME, directory / WEIGHTS_NAME
        for p in (config_path, weights_path):
            if not p.is_file():
                raise InputError(f"{directory}: missing {p.name}")
        try:
            config = ClassifierConfig.from_dict(json.loads(config_path.read_text(encoding="utf-8")))
        except (json.JSONDecodeError, UnicodeDecodeError, TypeError, ValueError) as exc:
            raise InputError(f"{config_path}: invalid classifier config ({str(exc).splitlines()[0]})") from exc
        if expected_fingerprint is not None and config.encoder_fingerprint != expected_fingerprint:
            raise EncoderMismatchError(
                f"classifier {config.concept!r} in {directory} was trained on encoder "
                f"{config.encoder_fingerprint!r}, not on the encoder in use {expected_fingerprint!r}"
            )
        try:
            state = load_file(str(weights_path), device=map_location)
        except (SafetensorError, OSError, ValueError) as exc:
            raise InputError(f"{weights_path}: corrupt or truncated safetensors file ({exc})") from exc
        if "concept_embeds" not in state:
            raise InputError(f"{weights_path}: no concept_embeds tensor; not a cgce classifier")
        model = cls(config, state["concept_embeds"])
        state = _with_member_axis(state, model.state_dict())
        try:
            model.load_state_dict(state, strict=True)
        except RuntimeError as exc:
            raise InputError(f"{weights_path}: weights do not match config.json ({str(exc).splitlines()[0]})") from exc
        bad = [k for k, v in state.items() if not torch.isfinite(v).all()]
        if bad:
            raise InputError(f"{weights_path}: non-finite values in {bad[:3]}")
        return model.eval()


def _with_member_axis(state: dict[str, Tensor], expected: dict[str, Tensor]) -> dict[str, Tensor]:
    """Checkpoints from before ensembles store one network's weights without the member axis."""
    return {
        name: t.unsqueeze(0) if name in expected and t.ndim + 1 == expected[name].ndim and expected[name].shape[0] == 1 else t
        for name, t in state.items()
    }


def logit(p: float) -> float:
    """Inverse sigmoid, for thresholds given as probabilities."""
    p = min(max(p, 1e-7), 1 - 1e-7)
    return math.log(p / (1 - p))
