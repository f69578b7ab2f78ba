"""What every text-encoder attack shares: config and result types, the token search space, the
embedding views the objectives compare, and the run driver (query budget, wall time, seeds,
progress bar, JSON checkpoint).

The attacks search over *discrete* prompts made of K whole-word vocabulary tokens, so what they find
is a string that transfers to any generator reading the same text encoder. Every candidate is scored
by decoding it to text and encoding that text with `encoder.encode` — the exact tensors a consumer
reads — so a token that re-tokenises differently can never make the objective lie. Gradients (GCG)
go through a second, differentiable path that feeds one-hot token vectors into the same model.
"""

from __future__ import annotations

import base64
import json
import math
import random
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, ClassVar, Literal, Protocol, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor
from tqdm.auto import tqdm

from ..conditioning import Conditioning
from ..errors import InputError
from ..io import atomic_write_text

__all__ = [
    "AttackConfig",
    "AttackResult",
    "AttackRun",
    "Metric",
    "Objective",
    "Pooling",
    "PromptSpace",
    "Propose",
    "distance",
    "embedding_view",
    "local_search",
]

Pooling = Literal["mean", "tokens", "pooled"]
Metric = Literal["cosine", "mse"]
CHECKPOINT_FORMAT = "cgce-attack-checkpoint/1"


@dataclass(kw_only=True)
class AttackConfig:
    """Options shared by all attacks. `max_queries`, `max_seconds` and `progress` may change between a
    run and its resumption; every other field must match the checkpoint.

    max_queries: candidate prompts evaluated (one encoder forward row each; a GCG gradient counts 1).
    max_seconds: wall-time limit of this invocation (a resumed run gets a fresh allowance).
    batch_size:  candidates evaluated per iteration.
    banned_words: no output prompt contains any of these (lower-cased substrings); every vocabulary
                 token containing one, or one word of a multi-word entry, is removed from the search.
    """

    RUN_FIELDS: ClassVar[tuple[str, ...]] = ("max_queries", "max_seconds", "progress")

    max_queries: int = 500
    max_seconds: float = 600.0
    seed: int = 0
    num_tokens: int = 16
    batch_size: int = 32
    banned_words: tuple[str, ...] = ()
    progress: bool = True

    def __post_init__(self) -> None:
        if self.max_queries < 1 or self.max_seconds <= 0 or self.num_tokens < 1 or self.batch_size < 1:
            raise InputError("max_queries, num_tokens and batch_size must be >= 1 and max_seconds > 0")
        self.banned_words = tuple(w.lower() for w in self.banned_words)

    def to_dict(self) -> dict[str, Any]:
        return json.loads(json.dumps(asdict(self)))

    def signature(self) -> dict[str, Any]:
        return {k: v for k, v in self.to_dict().items() if k not in self.RUN_FIELDS}


@dataclass
class AttackResult:
    """prompts: the best prompt found (first) and any others the attack reports; objective_trace: the
    best-so-far objective after each iteration (non-increasing); extra["trace_queries"] gives the
    query count at each trace point."""

    prompts: list[str]
    objective_trace: list[float]
    queries: int
    seconds: float
    config: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Objective(Protocol):
    """Lower is better; (B,) values for a batch of conditionings, differentiable w.r.t. embeds."""

    def __call__(self, cond: Conditioning) -> Tensor: ...


def embedding_view(cond: Conditioning, pooling: Pooling) -> Tensor:
    """What an objective compares: masked mean (B, D), masked tokens (B, L, D) or the pooled vector."""
    if pooling == "pooled":
        if cond.pooled is None:
            raise InputError("pooling='pooled' needs an encoder with a pooled vector (CLIP)")
        return cond.pooled.float()
    m = cond.mask.unsqueeze(-1).to(cond.embeds.dtype)
    if pooling == "tokens":
        return (cond.embeds * m).float()
    if pooling == "mean":
        return ((cond.embeds * m).sum(1) / m.sum(1).clamp(min=1)).float()
    raise InputError(f"pooling must be 'mean', 'tokens' or 'pooled', got {pooling!r}")


def _align(a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    """Zero-pad token views to a common length, then flatten (positions compared one by one)."""
    if a.ndim == 3:
        length = max(a.shape[1], b.shape[1])
        a = F.pad(a, (0, 0, 0, length - a.shape[1])).flatten(1)
        b = F.pad(b, (0, 0, 0, length - b.shape[1])).flatten(1)
    return a, b


def distance(view: Tensor, target: Tensor, metric: Metric = "cosine") -> Tensor:
    """(B,) 1 - cosine or mean squared error between each row of `view` and `target` (one row)."""
    view, target = _align(view, target)
    if metric == "cosine":
        return 1.0 - F.cosine_similarity(view, target.expand_as(view), dim=-1)
    if metric == "mse":
        return (view - target).square().mean(-1)
    raise InputError(f"metric must be 'cosine' or 'mse', got {metric!r}")


_VOCAB_CACHE: dict[str, tuple[list[int], list[str]]] = {}


class PromptSpace:
    """Prompts of K editable tokens drawn from the encoder's whole-word vocabulary.

    A token is searchable when it decodes to an alphabetic word of >= 2 letters that tokenises back
    to itself (no subword pieces, so decoded prompts re-tokenise as searched) and contains no banned
    substring. Works with any encoder exposing `.model`, `.tokenizer` and `.encode` like HFTextEncoder.
    """

    def __init__(self, encoder: Any, *, banned_words: Sequence[str] = ()) -> None:
        self.encoder, self.tokenizer, self.model = encoder, encoder.tokenizer, encoder.model
        self.banned = tuple(sorted({p for w in banned_words for p in [w.lower(), *w.lower().split()] if p}))
        ids, words = self._vocabulary()
        keep = [i for i, w in zip(ids, words) if not any(b in w.lower() for b in self.banned)]
        if not keep:
            raise InputError("no searchable vocabulary tokens left after banning words")
        self.allowed = torch.tensor(keep, dtype=torch.long)
        self.vocab_size = int(self.model.get_input_embeddings().weight.shape[0])
        self.allowed_mask = torch.zeros(self.vocab_size, dtype=torch.bool)
        self.allowed_mask[self.allowed] = True
        probe = self.tokenizer(words[0])["input_ids"]  # learn the special tokens around a word
        self.offset = probe.index(ids[0])
        self.prefix, self.suffix = probe[: self.offset], probe[self.offset + 1 :]

    def _vocabulary(self) -> tuple[list[int], list[str]]:
        """Whole-word token ids and their text, computed once per encoder."""
        key = str(getattr(self.encoder, "fingerprint", id(self.tokenizer)))
        if key not in _VOCAB_CACHE:
            n = min(len(self.tokenizer), int(self.model.get_input_embeddings().weight.shape[0]))
            special = set(self.tokenizer.all_special_ids)
            words = [self.tokenizer.decode([i]).strip() for i in range(n)]
            cand = [i for i, w in enumerate(words) if len(w) >= 2 and w.isalpha() and w.isascii() and i not in special]
            back = self.tokenizer([words[i] for i in cand], add_special_tokens=False)["input_ids"]
            ids = [i for i, b in zip(cand, back) if b == [i]]
            _VOCAB_CACHE[key] = (ids, [words[i] for i in ids])
        return _VOCAB_CACHE[key]

    def random_ids(self, shape: tuple[int, ...], generator: torch.Generator) -> Tensor:
        return self.allowed[torch.randint(len(self.allowed), shape, generator=generator)]

    def token_ids(self, prompt: str) -> Tensor:
        """The prompt's own token ids without special tokens (truncated to the encoder's limit)."""
        limit = int(getattr(self.encoder, "max_length", 512)) - len(self.prefix) - len(self.suffix)
        return torch.tensor(self.tokenizer(prompt, add_special_tokens=False)["input_ids"][:limit], dtype=torch.long)

    def decode(self, ids: Tensor) -> list[str]:
        return [self.tokenizer.decode(row, skip_special_tokens=True).strip() for row in ids.tolist()]

    def is_clean(self, text: str) -> bool:
        low = text.lower()
        return bool(low.strip()) and not any(b in low for b in self.banned)

    def encode(self, prompts: Sequence[str]) -> Conditioning:
        return self.encoder.encode(list(prompts))

    def differentiable(self, ids: Tensor) -> tuple[Conditioning, Tensor]:
        """Conditioning of one prompt (K,) as a function of a one-hot (K, V) that requires grad.

        A forward hook swaps the embedding layer's output at the editable positions for
        one_hot @ W, so the rest of the model (positions, CLIP's pooled EOS, padding) is untouched.
        """
        layer = self.model.get_input_embeddings()
        weight = layer.weight
        one_hot = F.one_hot(ids, weight.shape[0]).to(weight.dtype).requires_grad_(True)
        full = self.prefix + ids.tolist() + self.suffix
        attention = [1] * len(full)
        if getattr(self.encoder, "padding", "longest") == "max_length":
            pad = int(self.encoder.max_length) - len(full)
            full, attention = full + [self.tokenizer.pad_token_id] * pad, attention + [0] * pad
        device = weight.device
        input_ids = torch.tensor([full], device=device)
        attention_mask = torch.tensor([attention], device=device)
        start, k = self.offset, ids.shape[0]

        def hook(_module: torch.nn.Module, _inputs: Any, output: Tensor) -> Tensor:
            edit = (one_hot.to(device) @ weight).unsqueeze(0)
            return torch.cat([output[:, :start], edit, output[:, start + k :]], dim=1)

        is_clip = bool(getattr(self.encoder, "is_clip", False))
        handle = layer.register_forward_hook(hook)
        try:
            with torch.enable_grad():
                out = self.model(input_ids=input_ids, attention_mask=None if is_clip else attention_mask)
        finally:
            handle.remove()
        embeds = out.last_hidden_state.float()
        if getattr(self.encoder, "mask_all_positions", False):
            mask = torch.ones(embeds.shape[:2], dtype=torch.bool, device=device)
        else:
            mask = attention_mask.bool()
            embeds = embeds * mask.unsqueeze(-1)
        pooled = None
        if is_clip:
            pooled = getattr(out, "text_embeds", None)
            pooled = (out.pooler_output if pooled is None else pooled).float()
        return Conditioning(embeds, mask, pooled, getattr(self.encoder, "fingerprint", None)), one_hot


def _rng_to_json(gen: torch.Generator, py: random.Random) -> dict[str, Any]:
    version, internal, gauss = py.getstate()
    return {"torch": base64.b64encode(gen.get_state().numpy().tobytes()).decode(), "python": [version, list(internal), gauss]}


def _rng_from_json(data: dict[str, Any], gen: torch.Generator, py: random.Random) -> None:
    gen.set_state(torch.frombuffer(bytearray(base64.b64decode(data["torch"])), dtype=torch.uint8).clone())
    version, internal, gauss = data["python"]
    py.setstate((version, tuple(internal), gauss))


class AttackRun:
    """Drives one attack: counts queries, keeps the best-so-far, stops at the budget or time limit,
    and checkpoints everything needed to continue (token ids, values, RNG states) to JSON after each
    iteration. With an existing checkpoint whose signature matches, the run continues from it."""

    def __init__(self, name: str, config: AttackConfig, problem: dict[str, Any], checkpoint: str | Path | None) -> None:
        self.name, self.config = name, config
        self.signature = {"attack": name, "config": config.signature(), "problem": json.loads(json.dumps(problem))}
        self.checkpoint = Path(checkpoint) if checkpoint is not None else None
        self.torch_rng = torch.Generator().manual_seed(config.seed)
        self.py_rng = random.Random(config.seed)
        self.queries, self.iteration, self.previous_seconds = 0, 0, 0.0
        self.trace: list[float] = []
        self.trace_queries: list[int] = []
        self.best_ids: list[int] | None = None
        self.best_value = math.inf
        self.state: dict[str, Any] = {}  # the search's own JSON-able state
        self.resumed = self._load()
        self._start = time.monotonic()
        self.stop_reason = "budget"
        self._bar = tqdm(total=config.max_queries, initial=min(self.queries, config.max_queries),
                         desc=name, disable=not config.progress, leave=False)

    def _load(self) -> bool:
        if self.checkpoint is None or not self.checkpoint.is_file():
            return False
        try:
            data = json.loads(self.checkpoint.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"{self.checkpoint}: unreadable attack checkpoint ({exc})") from exc
        if data.get("format") != CHECKPOINT_FORMAT or data.get("signature") != self.signature:
            raise InputError(f"{self.checkpoint}: checkpoint belongs to another attack, problem or config; "
                             "delete it or choose another path")
        s = data["state"]
        self.queries, self.iteration, self.previous_seconds = s["queries"], s["iteration"], s["seconds"]
        self.trace, self.trace_queries, self.best_ids = s["trace"], s["trace_queries"], s["best_ids"]
        self.best_value = math.inf if s["best_value"] is None else s["best_value"]
        self.state = s["search"]
        _rng_from_json(s["rng"], self.torch_rng, self.py_rng)
        return True

    @property
    def seconds(self) -> float:
        return self.previous_seconds + time.monotonic() - self._start

    @property
    def remaining(self) -> int:
        return max(0, self.config.max_queries - self.queries)

    def done(self) -> bool:
        if self.remaining == 0:
            self.stop_reason = "budget"
            return True
        if time.monotonic() - self._start >= self.config.max_seconds:
            self.stop_reason = "time"
            return True
        return False

    def count(self, n: int) -> None:
        self.queries += n
        self._bar.update(n)

    def evaluate(self, space: PromptSpace, objective: Objective, ids: Tensor) -> Tensor:
        """(B,) objective of each candidate row; rows past the budget or containing a banned word
        get +inf and are not counted. Updates the best-so-far."""
        values = torch.full((ids.shape[0],), math.inf)
        texts = space.decode(ids)
        rows = [i for i, t in enumerate(texts) if space.is_clean(t)][: self.remaining]
        if rows:
            with torch.no_grad():
                values[rows] = objective(space.encode([texts[i] for i in rows])).float().cpu()
            self.count(len(rows))
            best = int(values.argmin())
            if float(values[best]) < self.best_value:
                self.best_value, self.best_ids = float(values[best]), ids[best].tolist()
        return values

    def end_iteration(self) -> None:
        """Record the best-so-far and checkpoint; called once per iteration."""
        self.iteration += 1
        self.trace.append(self.best_value)
        self.trace_queries.append(self.queries)
        self._bar.set_postfix(best=f"{self.best_value:.4f}")
        if self.checkpoint is not None:
            state = {
                "queries": self.queries, "iteration": self.iteration, "seconds": self.seconds,
                "trace": self.trace, "trace_queries": self.trace_queries, "best_ids": self.best_ids,
                "best_value": None if math.isinf(self.best_value) else self.best_value,
                "search": self.state, "rng": _rng_to_json(self.torch_rng, self.py_rng),
            }
            data = {"format": CHECKPOINT_FORMAT, "signature": self.signature, "state": state}
            atomic_write_text(self.checkpoint, json.dumps(data) + "\n")

    def result(self, space: PromptSpace, extra: dict[str, Any] | None = None) -> AttackResult:
        self._bar.close()
        prompts = space.decode(torch.tensor([self.best_ids])) if self.best_ids is not None else []
        info = {"attack": self.name, "iterations": self.iteration, "trace_queries": self.trace_queries,
                "best_ids": self.best_ids, "stop_reason": self.stop_reason, "resumed": self.resumed,
                "problem": self.signature["problem"], **(extra or {})}
        return AttackResult(prompts, list(self.trace), self.queries, self.seconds, self.config.to_dict(), info)


Propose = Callable[[Tensor, int], Tensor]


def local_search(
    run: AttackRun, space: PromptSpace, objective: Objective, init: Callable[[], Tensor], propose: Propose
) -> None:
    """Greedy substitution search shared by GCG and random search: evaluate the start, then each
    iteration evaluate `propose(current, batch_size)` candidates and move to the best one if it
    improves on the current prompt. State (current ids and value) lives in `run.state`."""
    if "current" not in run.state:  # a fresh run (a resumed one already holds its state and RNG)
        init_ids = init()
        value = run.evaluate(space, objective, init_ids.unsqueeze(0))
        run.state = {"current": init_ids.tolist(), "value": float(value[0])}
        run.end_iteration()
    while not run.done():
        current = torch.tensor(run.state["current"], dtype=torch.long)
        candidates = propose(current, run.config.batch_size)
        values = run.evaluate(space, objective, candidates)
        best = int(values.argmin())
        if float(values[best]) < run.state["value"]:
            run.state = {"current": candidates[best].tolist(), "value": float(values[best])}
        run.end_iteration()
