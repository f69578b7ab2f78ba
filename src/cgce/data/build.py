"""Regenerate the built-in data: `python -m cgce.data.build [--seed N] [--out DIR] [--check]`.

Writes {nudity,violence,vangogh,church}.jsonl, hard_negatives.jsonl, benign.jsonl, concepts.json and
MANIFEST.json (generator version, seed, counts, SHA-256 of every file). `--check` regenerates in
memory and exits 1 if the files on disk differ, so CI can tell stale data from fresh.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from .generate import CONCEPT_MODULES, DEFAULT_SEED, GENERATOR_VERSION, Dataset, generate_all
from .pairs import builtin_dir, file_sha256, save_jsonl

__all__ = ["build", "main"]


def _save_json(obj: Any, path: Path) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def concepts_table() -> dict[str, dict[str, str]]:
    return {name: {"concept_text": m.CONCEPT_TEXT, "description": m.DESCRIPTION} for name, m in CONCEPT_MODULES.items()}


def write_dataset(ds: Dataset, out: Path, seed: int) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, int] = {}
    for concept, pairs in ds.pairs.items():
        save_jsonl(pairs, out / f"{concept}.jsonl")
        files[f"{concept}.jsonl"] = len(pairs)
    save_jsonl(ds.hard_negatives, out / "hard_negatives.jsonl")
    files["hard_negatives.jsonl"] = len(ds.hard_negatives)
    save_jsonl(ds.benign, out / "benign.jsonl")
    files["benign.jsonl"] = len(ds.benign)
    _save_json(concepts_table(), out / "concepts.json")
    files["concepts.json"] = len(CONCEPT_MODULES)
    manifest = {
        "generator": "cgce.data.generate",
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "regenerate": f"python -m cgce.data.build --seed {seed}",
        "counts": files,
        "registers": {c: dict(sorted(Counter(p.register for p in ps).items())) for c, ps in ds.pairs.items()},
        "hard_negatives_per_concept": dict(sorted(Counter(r["concept"] for r in ds.hard_negatives).items())),
        "sha256": {name: file_sha256(out / name) for name in sorted(files)},
    }
    _save_json(manifest, out / "MANIFEST.json")
    return manifest


def build(seed: int = DEFAULT_SEED, out: Path | None = None) -> dict[str, Any]:
    """Generate and write everything; returns the manifest."""
    return write_dataset(generate_all(seed), out or builtin_dir(), seed)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m cgce.data.build", description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--out", type=Path, default=None, help="output folder (default: the package's builtin/)")
    ap.add_argument("--check", action="store_true", help="exit 1 if the files on disk are not what the generator makes")
    args = ap.parse_args(argv)
    target = args.out or builtin_dir()
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            fresh = build(args.seed, Path(tmp))
        stale = [n for n, h in fresh["sha256"].items() if not (target / n).exists() or file_sha256(target / n) != h]
        if stale:
            print(f"stale built-in data in {target}: {', '.join(stale)}; run python -m cgce.data.build", file=sys.stderr)
            return 1
        print("built-in data is up to date")
        return 0
    manifest = build(args.seed, target)
    for name, n in manifest["counts"].items():
        print(f"{name}: {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
