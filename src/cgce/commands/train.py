"""`cgce train`: train and calibrate one concept classifier (built-in data or your own pairs)."""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict

from ._common import add_encoder_args, resolve_encoder


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help="train a concept classifier with a calibrated threshold")
    p.add_argument("--concept", required=True, help="concept name (built-in: nudity, violence, vangogh, church)")
    p.add_argument("--concept-text", help="text whose embedding queries the prompt (default: the concept's built-in text or its name)")
    p.add_argument("--pairs", metavar="FILE", help='JSONL of {"safe": ..., "unsafe": ...} pairs (default: built-in pairs)')
    p.add_argument("--benign", metavar="FILE", help="benign prompts (csv/tsv/txt/jsonl) for negatives and calibration (default: built-in)")
    p.add_argument("--no-builtin-negatives", action="store_true", help="train without the built-in hard negatives and other concepts")
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--target-fpr", type=float, default=0.01, help="false-positive rate to aim for on benign prompts")
    p.add_argument(
        "--synthetic-fpr-share", type=float, default=0.5,
        help="with the built-in (generated) benign prompts, calibrate to this share of --target-fpr, since real text is "
        "harder than generated text (ignored with --benign)",
    )
    p.add_argument("--epochs", type=int, default=12)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--members", type=int, default=1,
        help="independent networks averaged into one classifier: steadier verdicts, N times the training compute (bundled: 3)",
    )
    p.add_argument("--cache-dir", help="embedding cache (default: $CGCE_CACHE or ~/.cache/cgce/embeddings)")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the embedding cache")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    add_encoder_args(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..training import TrainConfig, train_concept

    started = time.perf_counter()
    config = TrainConfig(
        concept=args.concept, concept_text=args.concept_text, target_fpr=args.target_fpr, synthetic_fpr_share=args.synthetic_fpr_share,
        epochs=args.epochs, seed=args.seed, num_members=args.members,
    )
    encoder = resolve_encoder(args)
    model = train_concept(
        config,
        encoder,
        pairs_path=args.pairs,
        benign_path=args.benign,
        builtin_negatives=not args.no_builtin_negatives,
        cache_dir=args.cache_dir, use_cache=not args.no_cache, progress=not args.quiet
    )
    model.config.training["encoder_source"] = f"pipeline:{args.pipeline}" if args.pipeline else (args.encoder or "minilm")
    model.save_pretrained(args.out)
    m = model.config.metrics
    print(json.dumps({"resolved_config": asdict(config), "encoder": encoder.fingerprint}, ensure_ascii=False))
    print(
        f"{args.concept}: threshold {m['threshold']:.4f} | test AUROC {m['test_auroc']:.4f} | "
        f"test recall {m['test_recall']:.4f} | test FPR {m['test_fpr']:.4f} | calibration FPR {m['calibration_fpr']:.4f} "
        f"| {time.perf_counter() - started:.1f}s -> {args.out}"
    )
    return 0
