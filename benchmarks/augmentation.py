"""Does adversarial augmentation of the training pairs make the classifiers more robust?

For each built-in concept, trains two classifiers with the same settings: on the built-in pairs
("base") and on the built-in pairs plus augmented copies ("aug"; `cgce.data.augment`, seed 0, every
op except the held-out ones). Both are calibrated the same way (1% FPR on held-out built-in benign
prompts). Then, on ../shared/data/dev (never trained on):

* FPR on COCO captions and PartiPrompts, recall on the dev unsafe prompts, collateral on other-artist
  prompts (as benchmarks/quality.py);
* recall on augmented versions of the dev unsafe prompts, per op, made with a different seed than
  training; ops in --held-out never appear in training at all;
* FPR on augmented COCO captions (same ops/seed): if augmentation taught "odd-looking = unsafe"
  this is where it shows.

    nice python benchmarks/augmentation.py --dev ../shared/data/dev --work /tmp/cgce-aug [--concepts nudity] [--json out.json]

Trained models are kept in --work and reused on a rerun (delete them to retrain).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from cgce import ConceptClassifier, load_encoder  # noqa: E402
from cgce.cache import EmbeddingCache, collate, default_cache_dir, encode_rows  # noqa: E402
from cgce.data import builtin_pairs, save_jsonl  # noqa: E402
from cgce.data.augment import AUGMENTATIONS, AugmentConfig, AugmentStats, augment_pairs, augment_text, token_vocabulary  # noqa: E402
from cgce.data.generate import CONCEPT_PATTERNS  # noqa: E402
from cgce.metrics import rate_at_threshold  # noqa: E402
from cgce.training import TrainConfig, train_concept  # noqa: E402
from dev_sets import RECALL_SETS, load_dev_sets  # noqa: E402

EVAL_SEED = 777


def scores_of(clf: ConceptClassifier, rows) -> np.ndarray:
    out = []
    with torch.no_grad():
        for i in range(0, len(rows), 256):
            c = collate(rows[i : i + 256])
            out.append(torch.sigmoid(clf(c.embeds, c.mask, c.pooled)))
    return torch.cat(out).numpy()


def augmented_set(prompts: list[str], op: str, concept: str, vocab: list[str]) -> list[str]:
    out = []
    for i, p in enumerate(prompts):
        a = augment_text(p, op, key=f"eval|{EVAL_SEED}|{concept}|{i}", concept=concept, concept_pattern=CONCEPT_PATTERNS.get(concept), vocab=vocab)
        if a:
            out.append(a)
    return out


def train_variant(concept: str, variant: str, pairs, work: Path, encoder, args) -> ConceptClassifier:
    out = work / "models" / variant / concept
    if (out / "config.json").is_file():
        return ConceptClassifier.from_pretrained(out, expected_fingerprint=encoder.fingerprint)
    path = work / "pairs" / f"{concept}.{variant}.jsonl"
    save_jsonl(pairs, path)
    started = time.perf_counter()
    model = train_concept(
        TrainConfig(concept=concept, epochs=args.epochs, seed=0), encoder, pairs_path=path,
        cache_dir=args.cache_dir, progress=not args.quiet,
    )
    model.config.training["encoder_source"] = "minilm"
    model.save_pretrained(out)
    print(f"  trained {concept}/{variant} on {len(pairs)} pairs in {time.perf_counter() - started:.0f}s", flush=True)
    return model


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", default=str(Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "dev"))
    ap.add_argument("--work", default="/tmp/cgce-aug-bench")
    ap.add_argument("--concepts", default="nudity,violence,vangogh,church")
    ap.add_argument("--rate", type=float, default=1.0, help="augmented copies per training pair")
    ap.add_argument("--held-out", default="noise", help="ops never used in training (comma list)")
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--cache-dir", default=str(default_cache_dir()))
    ap.add_argument("--coco-sample", type=int, default=600, help="COCO captions augmented per op")
    ap.add_argument("--json", help="write all figures here")
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default); 1 helps on a shared machine")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)

    work = Path(args.work)
    held_out = tuple(o for o in args.held_out.split(",") if o)
    train_ops = tuple(o for o in AUGMENTATIONS if o not in held_out)
    encoder = load_encoder("minilm")
    cache = EmbeddingCache(args.cache_dir, encoder.fingerprint)
    sets = load_dev_sets(args.dev)
    rows = {k: encode_rows(encoder, v, cache=cache) for k, v in sets.items()}
    coco_sample = sets["coco"][: args.coco_sample]
    report: dict = {"train_ops": train_ops, "held_out_ops": held_out, "rate": args.rate, "eval_seed": EVAL_SEED, "concepts": {}}
    json_path = Path(args.json) if args.json else work / "augmentation.json"
    for concept in args.concepts.split(","):
        pattern = CONCEPT_PATTERNS[concept]
        vocab = token_vocabulary(encoder.tokenizer, blocked=pattern)
        base = builtin_pairs(concept)
        stats = AugmentStats()
        aug = augment_pairs(base, AugmentConfig(ops=train_ops, rate=args.rate, seed=0), vocab=vocab, blocked=pattern, stats=stats)
        unsafe_dev = [p for k in RECALL_SETS[concept] for p in sets[k]]
        aug_unsafe = {op: augmented_set(unsafe_dev, op, concept, vocab) for op in AUGMENTATIONS}
        aug_coco = {op: augmented_set(coco_sample, op, "", vocab) for op in AUGMENTATIONS}
        aug_rows = {op: encode_rows(encoder, v, cache=cache) for op, v in aug_unsafe.items() if v}
        coco_rows = {op: encode_rows(encoder, v, cache=cache) for op, v in aug_coco.items() if v}
        entry: dict = {"augment_stats": stats.to_dict(), "variants": {}}
        for variant, pairs in (("base", base), ("aug", base + aug)):
            clf = train_variant(concept, variant, pairs, work, encoder, args)
            t = clf.threshold
            s = {k: scores_of(clf, rows[k]) for k in ("coco", "parti", "artists_other", *RECALL_SETS[concept])}
            fig = {
                "pairs": len(pairs),
                "threshold": t,
                "coco_fpr": rate_at_threshold(s["coco"], t),
                "parti_fpr": rate_at_threshold(s["parti"], t),
                "recall": float(np.mean([rate_at_threshold(s[k], t) for k in RECALL_SETS[concept]])),
                "artists_other_flagged": rate_at_threshold(s["artists_other"], t),
                "aug_recall": {op: rate_at_threshold(scores_of(clf, r), t) for op, r in aug_rows.items()},
                "aug_coco_fpr": {op: rate_at_threshold(scores_of(clf, r), t) for op, r in coco_rows.items()},
                "train_metrics": {k: clf.config.metrics.get(k) for k in ("test_auroc", "test_recall", "test_fpr", "epochs_run", "train_seconds")},
            }
            fig["aug_recall_mean"] = float(np.mean(list(fig["aug_recall"].values())))
            fig["aug_coco_fpr_mean"] = float(np.mean(list(fig["aug_coco_fpr"].values())))
            entry["variants"][variant] = fig
            print(
                f"{concept:<8} {variant:<4} pairs {len(pairs):5d} | COCO {fig['coco_fpr']:.3f} Parti {fig['parti_fpr']:.3f} "
                f"recall {fig['recall']:.3f} artists {fig['artists_other_flagged']:.3f} | aug-recall {fig['aug_recall_mean']:.3f} "
                f"aug-COCO {fig['aug_coco_fpr_mean']:.3f}",
                flush=True,
            )
            print("         per-op recall: " + " ".join(f"{op}={v:.2f}" for op, v in fig["aug_recall"].items()), flush=True)
            print("         per-op COCO FPR: " + " ".join(f"{op}={v:.3f}" for op, v in fig["aug_coco_fpr"].items()), flush=True)
        report["concepts"][concept] = entry
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(report, indent=2))
    print(f"figures -> {json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
