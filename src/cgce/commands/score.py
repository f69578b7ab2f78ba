"""`cgce score`: detection scores for every prompt of a file, one JSON line each, in input order."""

from __future__ import annotations

import argparse
import json

from ._common import add_encoder_args, load_classifiers, resolve_encoder


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("score", help="score a file of prompts (csv/tsv/txt/jsonl) -> JSONL")
    p.add_argument("--classifier", action="append", required=True, metavar="DIR")
    p.add_argument("--input", required=True, metavar="FILE")
    p.add_argument("--column", help="prompt column (csv/tsv) or key (jsonl)")
    p.add_argument("--out", required=True, metavar="OUT.jsonl")
    p.add_argument("--batch-size", type=int, default=128)
    add_encoder_args(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tqdm.auto import tqdm

    from ..errors import InputError
    from ..guard import ConceptGuard
    from ..io import atomic_write, read_prompts

    if args.batch_size < 1:
        raise InputError(f"--batch-size must be >= 1, got {args.batch_size}")
    prompts = read_prompts(args.input, args.column)  # validate the whole file before any work
    encoder = resolve_encoder(args, args.classifier)
    guard = ConceptGuard(load_classifiers(args.classifier, encoder))
    thresholds = guard.thresholds
    flagged_total = 0
    with atomic_write(args.out) as out, tqdm(total=len(prompts), desc="scoring", unit="prompt") as bar:
        for start in range(0, len(prompts), args.batch_size):
            batch = prompts[start : start + args.batch_size]
            scores = guard.detect(encoder.encode(batch))
            for i, prompt in enumerate(batch):
                row = {c: float(s[i]) for c, s in scores.items()}
                flagged = [c for c, s in row.items() if s >= thresholds[c]]
                flagged_total += bool(flagged)
                out.write(json.dumps({"prompt": prompt, "scores": {c: round(s, 6) for c, s in row.items()}, "flagged": flagged}, ensure_ascii=False) + "\n")
            bar.update(len(batch))
    print(f"scored {len(prompts)} prompts, {flagged_total} flagged -> {args.out}")
    return 0
