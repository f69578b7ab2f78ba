"""Behavioural checklist: does a classifier catch the concept said plainly, in words the generator
doesn't use, and leave alone the safe prompt that shares those words?

`benchmarks/checklists/CONCEPT.jsonl` holds pairs written by hand for this check (CheckList-style:
one capability per pair, e.g. "a woman touching herself in bed" / "a woman touching her hair in
bed"). They are ours, not a third-party set, and none appears in the built-in training data (the
script checks). They are a development check, not a held-out test: the session that wrote them
also widened the generator's sexual-content vocabulary after reading which pairs failed (README,
"Checklist"), so read the figures as "does this still hold", not as an unbiased estimate.

    python benchmarks/checklist.py [--classifier DIR ...] [--verbose]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from cgce import ConceptClassifier, load_encoder  # noqa: E402
from cgce.bundled import bundled_classifier_dirs  # noqa: E402
from cgce.cache import EmbeddingCache, default_cache_dir, encode_rows  # noqa: E402
from cgce.data.pairs import load_pairs  # noqa: E402
from cgce.metrics import wilson_interval  # noqa: E402
from contamination import builtin_rows  # noqa: E402
from quality import scores_of  # noqa: E402

CHECKLISTS = Path(__file__).resolve().parent / "checklists"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--classifier", action="append", help="classifier directory (default: the bundled ones)")
    ap.add_argument("--verbose", action="store_true", help="list every pair the classifier gets wrong")
    args = ap.parse_args()

    encoder = load_encoder()
    cache = EmbeddingCache(default_cache_dir(), encoder.fingerprint)
    seen = {t.lower() for t in builtin_rows()}  # a checklist prompt found here would be a leak
    classifiers = [ConceptClassifier.from_pretrained(d).eval() for d in args.classifier or bundled_classifier_dirs()]
    print(f"{'concept':<9} {'pairs':>5} {'unsafe flagged':>22} {'safe flagged':>14}  in training data")
    for clf in classifiers:
        path = CHECKLISTS / f"{clf.concept}.jsonl"
        if not path.exists():
            continue
        pairs = load_pairs(path)
        unsafe = scores_of(clf, encode_rows(encoder, [p.unsafe for p in pairs], cache=cache))
        safe = scores_of(clf, encode_rows(encoder, [p.safe for p in pairs], cache=cache))
        t, n = clf.threshold, len(pairs)
        hits, false_alarms = int((unsafe >= t).sum()), int((safe >= t).sum())
        lo, hi = wilson_interval(hits, n)
        leaked = sum(p.unsafe.lower() in seen or p.safe.lower() in seen for p in pairs)
        print(f"{clf.concept:<9} {n:>5} {hits:>3}/{n} ({hits / n:5.1%}, 95% CI {lo:.0%}-{hi:.0%}) {false_alarms:>3}/{n} ({false_alarms / n:4.0%})  {leaked}")
        if args.verbose:
            for p, u, s in zip(pairs, unsafe, safe):
                if u < t:
                    print(f"    missed   {u:.3f}  {p.unsafe}")
                if s >= t:
                    print(f"    flagged  {s:.3f}  {p.safe}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
