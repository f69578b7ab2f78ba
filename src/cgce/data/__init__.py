"""Paired-prompt data for Stage 1 of CGCE: the file format, loaders and the built-in datasets.

The built-in data under `builtin/` is generated offline by a seeded compositional generator
(`cgce.data.generate`, vocabulary in `cgce.data.vocab`); regenerate it with
`python -m cgce.data.build`. Importing this package loads no data.
"""

from .pairs import (
    Pair,
    builtin_benign,
    builtin_concepts,
    builtin_dir,
    builtin_hard_negatives,
    builtin_pairs,
    file_sha256,
    load_pairs,
    load_prompts_jsonl,
    save_jsonl,
)

__all__ = [
    "Pair",
    "builtin_benign",
    "builtin_concepts",
    "builtin_dir",
    "builtin_hard_negatives",
    "builtin_pairs",
    "file_sha256",
    "load_pairs",
    "load_prompts_jsonl",
    "save_jsonl",
]
