"""Rebuild the classifiers shipped in the package from the built-in data:

    python -m cgce.bundle            # all four concepts, then the reference bank
    python -m cgce.bundle --concept nudity

Each is exactly `cgce train --concept NAME --out src/cgce/classifiers/NAME` with default settings.
The reference bank (mean-pooled MiniLM embeddings of built-in safe prompts) lets `cgce check`
explain where a refined embedding landed.
"""

from __future__ import annotations

import argparse
import random
import sys

from .bundled import BANK_NAME, BUNDLED_CONCEPTS, BUNDLED_DIR, ReferenceBank, mean_pool

BANK_SIZE = 2000


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


def main(argv: list[str] | None = None) -> int:
    from .cli import main as cli_main
    from .encoders import load_encoder

    ap = argparse.ArgumentParser(prog="python -m cgce.bundle", description=__doc__.splitlines()[0])
    ap.add_argument("--concept", action="append", choices=BUNDLED_CONCEPTS)
    ap.add_argument("--skip-bank", action="store_true")
    args = ap.parse_args(argv)
    for concept in args.concept or BUNDLED_CONCEPTS:
        code = cli_main(["train", "--concept", concept, "--out", str(BUNDLED_DIR / concept)])
        if code:
            return code
    if not args.skip_bank:
        build_reference_bank(load_encoder()).save(BUNDLED_DIR / BANK_NAME)
        print(f"reference bank -> {BUNDLED_DIR / BANK_NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
