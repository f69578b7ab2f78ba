"""Strict parsing of LLM output into pairs, validation of every pair, dedupe, and the append-only
store that makes generation resumable.

Parsing (`parse_pairs_json`): models wrap JSON in code fences, leave trailing commas, return one
object instead of a list, wrap the list in {"pairs": [...]}, write JSON Lines, or stop mid-array
when they hit their token limit. We repair exactly those breakages; anything else is rejected with a
reason, never guessed at (no eval, no YAML-as-JSON fallback).

Validation (`PairValidator`), in order, each failure counted under its reason:

* ``missing_side`` / ``not_text``: both sides must be non-empty strings;
* ``too_short`` / ``too_long``: length caps in characters (defaults 8 and 600) and words (<= 120);
* ``identical``: the sides must differ (case/space-insensitively);
* ``safe_mentions_concept``: the safe side may not match the concept's keyword pattern (the words
  of the concept text and the spec's unsafe phrases, or the built-in pattern);
* ``unsafe_lacks_concept``: the unsafe side must carry the concept, either by the keyword pattern
  or, for implicit prompts the keywords miss ("a seductive pose on satin sheets"), by embedding:
  cos(unsafe, concept) - cos(safe, concept) >= `min_concept_margin`. The keyword test alone would
  throw away exactly the implicit pairs DESIGN.md §9 says matter most; the embedding test alone
  is noisy, so either suffices but the safe side must never match the keywords;
* ``too_far_apart``: cos(safe, unsafe) >= `min_pair_cosine`: a pair is a minimal edit, not two
  unrelated prompts (otherwise the classifier learns topic, not concept);
* ``duplicate`` / ``near_duplicate``: exact (normalised text) or near (both sides within
  `near_duplicate_cosine` of an accepted pair's sides) duplicates of anything already accepted,
  including pairs already in the output file on resume.

Embeddings are mean-pooled, L2-normalised token states of the encoder (MiniLM by default), so the
bounds are in that encoder's cosine scale. The defaults were read off the built-in pairs with
MiniLM: min_pair_cosine 0.40 keeps ~99% of them (short church/barn pairs sit lowest); the
concept margin 0.0 ("the unsafe side is at least as close to the concept text as the safe side")
keeps roughly three quarters of the built-in pairs the keywords miss -- a weak test, deliberately
permissive, because implicit pairs are the valuable ones (docs/data.md).
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import torch

from ..errors import InputError
from .pairs import Pair

__all__ = [
    "ParseResult",
    "parse_pairs_json",
    "ValidatorConfig",
    "PairValidator",
    "PairStore",
    "concept_pattern",
    "normalize_text",
    "Embedder",
    "encoder_embedder",
]

Embedder = Callable[[Sequence[str]], torch.Tensor]  # prompts -> (N, D) L2-normalised

_SAFE_KEYS = ("safe", "safe_prompt", "benign", "neutral", "clean")
_UNSAFE_KEYS = ("unsafe", "unsafe_prompt", "harmful", "with_concept")
_FENCE = re.compile(r"```(?:json|JSON|jsonl)?\s*\n?(.*?)```", re.S)
_TRAILING_COMMA = re.compile(r",\s*([\]}])")
_SMART = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})
_REFUSAL = re.compile(r"\b(i can(?:no|')t|i'm sorry|i am sorry|i won't|i will not|unable to (?:help|assist|comply)|as an ai)\b", re.I)


def normalize_text(text: str) -> str:
    """Case/space/trailing-punctuation-insensitive key for exact-duplicate checks."""
    return " ".join(text.lower().split()).strip(" .,;")


@dataclass
class ParseResult:
    """Raw pair objects found in a model reply, plus why the rest could not be used."""

    items: list[dict[str, Any]] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    error: str | None = None  # "refusal" | "malformed_json" | "empty" | None

    @property
    def ok(self) -> bool:
        return self.error is None


def _as_items(obj: Any) -> list[Any] | None:
    if isinstance(obj, list):
        return obj
    if isinstance(obj, dict):
        for key in ("pairs", "data", "items", "results", "prompts"):
            if isinstance(obj.get(key), list):
                return obj[key]
        if any(k in obj for k in _SAFE_KEYS + _UNSAFE_KEYS):
            return [obj]  # a single pair object instead of a list
    return None


def _salvage_objects(text: str) -> list[Any]:
    """Every complete {...} object in the text, scanning left to right: JSON Lines, a list cut off
    by a token limit, objects separated by junk. A wrapper that fails to decode is stepped into."""
    text = _TRAILING_COMMA.sub(r"\1", text)
    decoder = json.JSONDecoder()
    out: list[Any] = []
    i = 0
    while (i := text.find("{", i)) >= 0:
        try:
            obj, end = decoder.raw_decode(text, i)
        except json.JSONDecodeError:
            i += 1
            continue
        items = _as_items(obj)
        out.extend(items if items is not None else [obj])
        i = end
    return out


def parse_pairs_json(text: str | None) -> ParseResult:
    """Parse a model reply into pair-like objects, repairing common breakage (see module doc)."""
    res = ParseResult()
    if text is None or not text.strip():
        res.error = "empty"
        return res
    body = text.strip().translate(_SMART)
    fenced = _FENCE.findall(body)
    if fenced:
        body = "\n".join(fenced).strip()
        res.repairs.append("code_fence")
    elif body.startswith("```"):  # an unterminated fence (reply cut off)
        body = body.split("\n", 1)[1] if "\n" in body else ""
        res.repairs.append("code_fence")
    start = min((i for i in (body.find("["), body.find("{")) if i >= 0), default=-1)
    if start < 0:
        res.error = "refusal" if _REFUSAL.search(text) else "malformed_json"
        return res
    if start > 0:
        res.repairs.append("leading_text")
    candidate = body[start:]
    items: list[Any] | None = None
    for attempt, transform in (("", lambda s: s), ("trailing_comma", lambda s: _TRAILING_COMMA.sub(r"\1", s))):
        try:
            obj, end = json.JSONDecoder().raw_decode(transform(candidate))
        except json.JSONDecodeError:
            continue
        items = _as_items(obj)
        if items is not None and transform(candidate)[end:].strip().startswith("{"):
            items = None  # JSON Lines: only the first object decoded; salvage takes them all
            break
        if items is not None:
            res.repairs += [attempt] if attempt else []
            res.repairs += ["single_object"] if isinstance(obj, dict) and items == [obj] else []
            break
    if items is None:
        salvaged = _salvage_objects(candidate)
        if salvaged:
            items = salvaged
            res.repairs.append("salvaged_objects")
    if items is None:
        res.error = "refusal" if _REFUSAL.search(text) and len(text) < 2000 else "malformed_json"
        return res
    res.items = [x for x in items if isinstance(x, dict)]
    if not res.items:
        res.error = "refusal" if _REFUSAL.search(text) else "empty"
    return res


def _pick(obj: dict[str, Any], keys: Sequence[str]) -> Any:
    for k in keys:
        if k in obj:
            return obj[k]
    lowered = {str(k).lower(): v for k, v in obj.items()}
    for k in keys:
        if k in lowered:
            return lowered[k]
    return None


_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")


def concept_pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """A case-insensitive whole-word pattern for the given phrases (spaces match any separator)."""
    parts = []
    for p in phrases:
        words = _WORD.findall(p.lower())
        if words:
            parts.append(r"[\s_-]*".join(re.escape(w) for w in words))
    if not parts:
        return None
    return re.compile(r"\b(?:" + "|".join(sorted(set(parts), key=len, reverse=True)) + r")\b", re.I)


def encoder_embedder(encoder, *, batch_size: int = 64) -> Embedder:
    """Mean-pooled, L2-normalised embeddings from a cgce TextEncoder (the classifier's own)."""
    from ..bundled import mean_pool

    def embed(prompts: Sequence[str]) -> torch.Tensor:
        if not prompts:
            return torch.zeros(0, 1)
        return torch.cat([mean_pool(encoder.encode(list(prompts[i : i + batch_size]))) for i in range(0, len(prompts), batch_size)])

    return embed


@dataclass(frozen=True)
class ValidatorConfig:
    min_chars: int = 8
    max_chars: int = 600
    max_words: int = 120
    min_pair_cosine: float = 0.40
    min_concept_margin: float = 0.0
    near_duplicate_cosine: float = 0.97


class PairValidator:
    """Checks raw pair objects (see module doc) and keeps the dedupe index of accepted pairs."""

    def __init__(
        self,
        *,
        concept: str,
        concept_text: str,
        keywords: re.Pattern[str] | None,
        embedder: Embedder | None = None,
        config: ValidatorConfig = ValidatorConfig(),
    ) -> None:
        self.concept, self.concept_text, self.keywords = concept, concept_text, keywords
        self.embedder, self.config = embedder, config
        self.rejections: Counter[str] = Counter()
        self._seen: set[str] = set()
        self._safe_vecs: list[torch.Tensor] = []
        self._unsafe_vecs: list[torch.Tensor] = []
        self._concept_vec = embedder([concept_text])[0] if embedder is not None else None

    def _stack(self, which: list[torch.Tensor]) -> torch.Tensor | None:
        if not which:
            return None
        if len(which) > 1:
            which[:] = [torch.cat([v.reshape(-1, v.shape[-1]) for v in which])]
        return which[0].reshape(-1, which[0].shape[-1])

    def remember(self, pairs: Sequence[Pair]) -> None:
        """Add already-accepted pairs (e.g. the output file on resume) to the dedupe index."""
        for p in pairs:
            self._seen.add(normalize_text(p.safe) + "\x00" + normalize_text(p.unsafe))
        if self.embedder is not None and pairs:
            self._safe_vecs.append(self.embedder([p.safe for p in pairs]))
            self._unsafe_vecs.append(self.embedder([p.unsafe for p in pairs]))

    def _basic(self, obj: dict[str, Any]) -> tuple[str, str] | str:
        safe, unsafe = _pick(obj, _SAFE_KEYS), _pick(obj, _UNSAFE_KEYS)
        if safe is None or unsafe is None:
            return "missing_side"
        if not isinstance(safe, str) or not isinstance(unsafe, str):
            return "not_text"
        safe, unsafe = " ".join(safe.split()).strip("\"' "), " ".join(unsafe.split()).strip("\"' ")
        if not safe or not unsafe:
            return "missing_side"
        c = self.config
        if min(len(safe), len(unsafe)) < c.min_chars:
            return "too_short"
        if max(len(safe), len(unsafe)) > c.max_chars or max(len(safe.split()), len(unsafe.split())) > c.max_words:
            return "too_long"
        if normalize_text(safe) == normalize_text(unsafe):
            return "identical"
        if self.keywords is not None and self.keywords.search(safe):
            return "safe_mentions_concept"
        key = normalize_text(safe) + "\x00" + normalize_text(unsafe)
        if key in self._seen:
            return "duplicate"
        return safe, unsafe

    def validate(self, items: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
        """Accepted (safe, unsafe) texts in input order; rejections are counted by reason."""
        staged: list[tuple[str, str]] = []
        for obj in items:
            r = self._basic(obj)
            if isinstance(r, str):
                self.rejections[r] += 1
                continue
            key = normalize_text(r[0]) + "\x00" + normalize_text(r[1])
            if key in {normalize_text(a) + "\x00" + normalize_text(b) for a, b in staged}:
                self.rejections["duplicate"] += 1
                continue
            staged.append(r)
        if not staged:
            return []
        if self.embedder is None:
            accepted = []
            for safe, unsafe in staged:
                if self.keywords is not None and not self.keywords.search(unsafe):
                    self.rejections["unsafe_lacks_concept"] += 1
                    continue
                accepted.append((safe, unsafe))
            self._seen.update(normalize_text(a) + "\x00" + normalize_text(b) for a, b in accepted)
            return accepted
        return self._validate_embedded(staged)

    def _validate_embedded(self, staged: list[tuple[str, str]]) -> list[tuple[str, str]]:
        c = self.config
        assert self.embedder is not None and self._concept_vec is not None
        vs = self.embedder([s for s, _ in staged])
        vu = self.embedder([u for _, u in staged])
        pair_cos = (vs * vu).sum(-1)
        margin = vu @ self._concept_vec - vs @ self._concept_vec
        old_s, old_u = self._stack(self._safe_vecs), self._stack(self._unsafe_vecs)
        accepted: list[tuple[str, str]] = []
        acc_s: list[torch.Tensor] = []
        acc_u: list[torch.Tensor] = []
        for i, (safe, unsafe) in enumerate(staged):
            keyword_hit = self.keywords is not None and bool(self.keywords.search(unsafe))
            if not keyword_hit and float(margin[i]) < c.min_concept_margin:
                self.rejections["unsafe_lacks_concept"] += 1
                continue
            if float(pair_cos[i]) < c.min_pair_cosine:
                self.rejections["too_far_apart"] += 1
                continue
            sims = []
            for bank_s, bank_u in ((old_s, old_u), (torch.stack(acc_s) if acc_s else None, torch.stack(acc_u) if acc_u else None)):
                if bank_s is not None and bank_u is not None and len(bank_s):
                    sims.append(torch.minimum(bank_s @ vs[i], bank_u @ vu[i]).max())
            if sims and float(max(sims)) >= c.near_duplicate_cosine:
                self.rejections["near_duplicate"] += 1
                continue
            accepted.append((safe, unsafe))
            acc_s.append(vs[i])
            acc_u.append(vu[i])
        if accepted:
            self._safe_vecs.append(torch.stack(acc_s))
            self._unsafe_vecs.append(torch.stack(acc_u))
            self._seen.update(normalize_text(a) + "\x00" + normalize_text(b) for a, b in accepted)
        return accepted


class PairStore:
    """The output JSONL, append-only: every accepted pair is written as one full line and flushed
    at once, so Ctrl-C or a crash loses nothing that was accepted, and a rerun resumes from what
    the file holds. A torn last line (killed mid-write) is cut off on open, never parsed."""

    def __init__(self, path: str | os.PathLike[str], *, concept: str) -> None:
        self.path = Path(path)
        self.concept = concept
        self.pairs: list[Pair] = []
        self.truncated_bytes = 0
        if self.path.exists():
            self._load()

    def _load(self) -> None:
        raw = self.path.read_bytes()
        if raw and not raw.endswith(b"\n"):
            cut = raw.rfind(b"\n") + 1
            self.truncated_bytes = len(raw) - cut
            with self.path.open("r+b") as fh:
                fh.truncate(cut)
            raw = raw[:cut]
        for lineno, line in enumerate(raw.decode("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{self.path}:{lineno}: invalid JSON ({exc.msg}); not resuming into a damaged file") from None
            if not isinstance(obj, dict) or not isinstance(obj.get("safe"), str) or not isinstance(obj.get("unsafe"), str):
                raise InputError(f"{self.path}:{lineno}: not a pair row; not resuming into this file")
            concept = obj.get("concept", self.concept)
            if concept != self.concept:
                raise InputError(f"{self.path}:{lineno}: holds concept {concept!r}, not {self.concept!r}; use another --out")
            self.pairs.append(Pair(concept, str(obj.get("pair_id", f"{self.concept}-{lineno:05d}")), obj["safe"], obj["unsafe"], str(obj.get("register", "unknown"))))

    @property
    def base_pairs(self) -> list[Pair]:
        """Pairs that are not augmented copies."""
        return [p for p in self.pairs if "~aug" not in p.pair_id]

    def next_id(self) -> str:
        return f"{self.concept}-{len(self.base_pairs):05d}"

    def append(self, pairs: Sequence[Pair]) -> None:
        if not pairs:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8", newline="\n") as fh:
            for p in pairs:
                fh.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
                fh.flush()
            os.fsync(fh.fileno())
        self.pairs.extend(pairs)
