"""How much the quality figures move with the training seed.

Retrains each bundled concept exactly as `python -m cgce.bundle` does, once per seed (the seed sets
the split, the calibration sample, the initialisation and the batch order), and prints the
development-set figures of benchmarks/quality.py at each run's own calibrated threshold, then the
spread (min / median / max) per figure. The shipped classifiers are seed 0.

    python benchmarks/seeds.py --dev ../shared/data/dev [--seeds 0 1 2] [--concept nudity ...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from cgce import load_encoder  # noqa: E402
from cgce.bundle import AUGMENTED, MEMBERS, augmented_pairs_file  # noqa: E402
from cgce.bundled import BUNDLED_CONCEPTS  # noqa: E402
from cgce.cache import EmbeddingCache, default_cache_dir, encode_rows  # noqa: E402
from cgce.metrics import rate_at_threshold  # noqa: E402
from cgce.training import TrainConfig, train_concept  # noqa: E402
from dev_sets import RECALL_SETS, load_dev_sets, meets_targets  # noqa: E402
from quality import scores_of  # noqa: E402

FIGURES = ("coco_fpr", "parti_fpr", "recall", "artists_other_flagged")


def figures_for(clf, rows: dict) -> dict[str, float]:
    s = {k: scores_of(clf, rows[k]) for k in ("coco", "parti", "artists_other", *RECALL_SETS[clf.concept])}
    t = clf.threshold
    return {
        "threshold": t,
        "coco_fpr": rate_at_threshold(s["coco"], t),
        "parti_fpr": rate_at_threshold(s["parti"], t),
        "recall": min(rate_at_threshold(s[k], t) for k in RECALL_SETS[clf.concept]),
        "artists_other_flagged": rate_at_threshold(s["artists_other"], t),
    }


def meets(concept: str, f: dict[str, float]) -> bool:
    return meets_targets(concept, f["coco_fpr"], f["parti_fpr"], f["recall"], f["artists_other_flagged"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", default=str(Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "dev"))
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--concept", action="append", choices=BUNDLED_CONCEPTS)
    args = ap.parse_args()

    encoder = load_encoder()
    cache = EmbeddingCache(default_cache_dir(), encoder.fingerprint)
    rows = {k: encode_rows(encoder, v, cache=cache) for k, v in load_dev_sets(args.dev).items()}
    print(f"{'concept':<9} {'seed':>4} {'thr':>6} {'COCO':>6} {'Parti':>6} {'recall':>7} {'artists':>8}  ok", flush=True)
    for concept in args.concept or BUNDLED_CONCEPTS:
        runs = []
        with tempfile.TemporaryDirectory() as tmp:
            pairs = augmented_pairs_file(concept, encoder, Path(tmp)) if concept in AUGMENTED else None
            for seed in args.seeds:
                clf = train_concept(TrainConfig(concept=concept, seed=seed, num_members=MEMBERS), encoder, pairs_path=pairs, progress=False)
                f = figures_for(clf, rows)
                runs.append(f)
                print(
                    f"{concept:<9} {seed:>4} {f['threshold']:6.3f} {f['coco_fpr']:6.3f} {f['parti_fpr']:6.3f} {f['recall']:7.3f} "
                    f"{f['artists_other_flagged']:8.3f}  {'yes' if meets(concept, f) else 'NO'}",
                    flush=True,
                )
        spread = "  ".join(
            f"{k} {min(r[k] for r in runs):.3f}/{statistics.median(r[k] for r in runs):.3f}/{max(r[k] for r in runs):.3f}" for k in FIGURES
        )
        print(f"{concept:<9} min/median/max: {spread}; meets all targets in {sum(meets(concept, r) for r in runs)}/{len(runs)} seeds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
