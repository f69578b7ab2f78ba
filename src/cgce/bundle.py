"""Rebuild the classifiers shipped in the package from the built-in data:

    python -m cgce.bundle            # all four concepts, then the reference bank
    python -m cgce.bundle --concept nudity

Each is `cgce train --concept NAME --members 3 --out src/cgce/classifiers/NAME`: a 3-network
ensemble (README, "Ensemble"), otherwise default settings; the concepts in AUGMENTED train on the
built-in pairs plus one augmented copy of each pair (`cgce.data.augment`, every op except "noise",
seed 0), which benchmarks/augmentation.py found better for them (see README).
The reference bank (mean-pooled MiniLM embeddings of built-in safe prompts) lets `cgce check`
explain where a refined embedding landed.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

from .bundled import BANK_NAME, BUNDLED_CONCEPTS, BUNDLED_DIR, ReferenceBank, mean_pool

BANK_SIZE = 2000
AUGMENTED = ("nudity", "violence", "church")
MEMBERS = 3


def build_reference_bank(encoder, seed: int = 0) -> ReferenceBank:
    """Safe sides of the built-in pairs plus benign prompts, a fixed seeded sample."""
    from .cache import EmbeddingCache, collate, default_cache_dir, encode_rows
    from .data.pairs import builtin_benign, builtin_pairs

    rng = random.Random(seed)
    safe = sorted({p.safe for c in BUNDLED_CONCEPTS for p in builtin_pairs(c)} | set(builtin_benign()))
    prompts = sorted(rng.sample(safe, min(BANK_SIZE, len(safe))))
    rows = encode_rows(encoder, prompts, cache=EmbeddingCache(default_cache_dir(), encoder.fingerprint))
    import torch

    vectors = torch.cat([mean_pool(collate(rows[i : i + 256])) for i in range(0, len(rows), 256)])
    return ReferenceBank(prompts, vectors, encoder.fingerprint)


def augmented_pairs_file(concept: str, encoder, directory: Path) -> Path:
    """Built-in pairs + one augmented copy each, written as a pairs file for `cgce train --pairs`."""
    from .data.augment import AUGMENTATIONS, AugmentConfig, augment_pairs, token_vocabulary
    from .data.generate import CONCEPT_PATTERNS
    from .data.pairs import builtin_pairs, save_jsonl

    base, pattern = builtin_pairs(concept), CONCEPT_PATTERNS[concept]
    config = AugmentConfig(ops=tuple(op for op in AUGMENTATIONS if op != "noise"), rate=1.0, seed=0)
    augmented = augment_pairs(base, config, vocab=token_vocabulary(encoder.tokenizer, blocked=pattern), blocked=pattern)
    path = directory / f"{concept}.augmented.jsonl"
    save_jsonl(list(base) + list(augmented), path)
    return path


def main(argv: list[str] | None = None) -> int:
    from .cli import main as cli_main
    from .encoders import load_encoder

    ap = argparse.ArgumentParser(prog="python -m cgce.bundle", description=__doc__.splitlines()[0])
    ap.add_argument("--concept", action="append", choices=BUNDLED_CONCEPTS)
    ap.add_argument("--skip-bank", action="store_true")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        for concept in args.concept or BUNDLED_CONCEPTS:
            extra = ["--pairs", str(augmented_pairs_file(concept, load_encoder(), Path(tmp)))] if concept in AUGMENTED else []
            code = cli_main(["train", "--concept", concept, "--members", str(MEMBERS), *extra, "--out", str(BUNDLED_DIR / concept)])
            if code:
                return code
    if not args.skip_bank:
        build_reference_bank(load_encoder()).save(BUNDLED_DIR / BANK_NAME)
        print(f"reference bank -> {BUNDLED_DIR / BANK_NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
