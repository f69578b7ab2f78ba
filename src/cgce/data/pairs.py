"""Paired-prompt format (Stage 1 of CGCE) and access to the built-in data.

A pair is a safe prompt and a minimal edit of it that carries the concept ("a woman on the bed" /
"a naked woman on the bed"). Pairs are stored as JSON Lines, one object per line:

    {"concept": "nudity", "pair_id": "nudity-00000", "safe": "...", "unsafe": "...", "register": "caption"}

Loading is strict: a malformed row raises `InputError` with a one-line message naming the file and
line, because silently skipping rows would change what a classifier is trained on.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable

from ..errors import InputError
from ..io import atomic_write, iter_jsonl

__all__ = [
    "Pair",
    "load_pairs",
    "load_prompts_jsonl",
    "builtin_dir",
    "builtin_pairs",
    "builtin_hard_negatives",
    "builtin_benign",
    "builtin_concepts",
    "file_sha256",
    "save_jsonl",
]



@dataclass(frozen=True)
class Pair:
    """One safe/unsafe prompt pair for a concept."""

    concept: str
    pair_id: str
    safe: str
    unsafe: str
    register: str = "unknown"

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def _read_jsonl(path: Path) -> Iterable[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each non-blank line; InputError on bad JSON or non-objects."""
    for lineno, obj in iter_jsonl(path):
        if not isinstance(obj, dict):
            raise InputError(f"{path}:{lineno}: expected a JSON object, got {type(obj).__name__}")
        yield lineno, obj


def _text_field(obj: dict[str, Any], key: str, where: str) -> str:
    value = obj.get(key)
    if value is None:
        raise InputError(f"{where}: missing field {key!r}")
    if not isinstance(value, str):
        raise InputError(f"{where}: field {key!r} must be a string, got {type(value).__name__}")
    if not value.strip():
        raise InputError(f"{where}: field {key!r} is empty")
    return value


def load_pairs(path: str | os.PathLike[str]) -> list[Pair]:
    """Read a pairs JSONL file. `concept`, `pair_id` and `register` are optional (defaults filled in)."""
    p = Path(path)
    pairs: list[Pair] = []
    for lineno, obj in _read_jsonl(p):
        where = f"{p}:{lineno}"
        safe = _text_field(obj, "safe", where)
        unsafe = _text_field(obj, "unsafe", where)
        extras = {}
        for key, default in (("concept", ""), ("pair_id", f"{p.stem}-{lineno:05d}"), ("register", "unknown")):
            value = obj.get(key, default)
            if not isinstance(value, str):
                raise InputError(f"{where}: field {key!r} must be a string, got {type(value).__name__}")
            extras[key] = value
        pairs.append(Pair(extras["concept"], extras["pair_id"], safe, unsafe, extras["register"]))
    if not pairs:
        raise InputError(f"{p}: no pairs found")
    return pairs


def load_prompts_jsonl(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Read a prompts JSONL file (each row needs a non-empty string `prompt`)."""
    p = Path(path)
    rows: list[dict[str, Any]] = []
    for lineno, obj in _read_jsonl(p):
        _text_field(obj, "prompt", f"{p}:{lineno}")
        rows.append(obj)
    return rows


def builtin_dir() -> Path:
    """Folder holding the shipped data (regenerate with `python -m cgce.data.build`)."""
    return Path(__file__).resolve().parent / "builtin"


def builtin_concepts() -> dict[str, dict[str, str]]:
    """{concept: {"concept_text": ..., "description": ...}} for the built-in concepts."""
    with (builtin_dir() / "concepts.json").open(encoding="utf-8") as fh:
        data: dict[str, dict[str, str]] = json.load(fh)
    return data


def _check_concept(concept: str) -> None:
    known = sorted(builtin_concepts())
    if concept not in known:
        raise InputError(f"unknown built-in concept {concept!r}; known: {', '.join(known)}")


def builtin_pairs(concept: str) -> list[Pair]:
    """The shipped pairs for one concept (InputError naming the known concepts otherwise)."""
    _check_concept(concept)
    return load_pairs(builtin_dir() / f"{concept}.jsonl")


def builtin_hard_negatives(concept: str | None = None) -> list[str]:
    """Safe prompts sharing surface words with a concept; all concepts when `concept` is None."""
    if concept is not None:
        _check_concept(concept)
    rows = load_prompts_jsonl(builtin_dir() / "hard_negatives.jsonl")
    return [r["prompt"] for r in rows if concept is None or r.get("concept") == concept]


def builtin_benign() -> list[str]:
    """Everyday benign prompts (training negatives and threshold calibration)."""
    return [r["prompt"] for r in load_prompts_jsonl(builtin_dir() / "benign.jsonl")]


def file_sha256(path: str | os.PathLike[str]) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def save_jsonl(rows: Iterable[dict[str, Any] | Pair], path: str | os.PathLike[str]) -> None:
    """Write rows as JSON Lines atomically: a temp file in the same folder, then os.replace.

    Readers never see a half-written file, and an interrupted build leaves the old file intact.
    """
    with atomic_write(path) as fh:
        for row in rows:
            obj = row.to_dict() if isinstance(row, Pair) else row
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
