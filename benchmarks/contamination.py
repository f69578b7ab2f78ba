"""Check that the built-in training data holds no copy of a held-out development prompt.

The quality figures in benchmarks/quality.py are only honest if nothing from ../shared/data/dev
reached the generator's vocabulary. A dev prompt counts as leaked when one built-in row (pair side,
hard negative or benign prompt) contains at least `--coverage` of its distinct words (default 0.8,
dev prompts of 4+ distinct words). Prints every leak and exits 1 if there is any.

    python benchmarks/contamination.py --dev ../shared/data/dev
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dev_sets import load_dev_sets  # noqa: E402

from cgce.data.pairs import (  # noqa: E402
    builtin_benign,
    builtin_concepts,
    builtin_hard_negatives,
    builtin_pairs,
)

WORD = re.compile(r"[a-z0-9']+")
COMMON_WORD_LIMIT = 400  # words in more dev prompts than this ("a", "of") don't nominate candidates


def words(text: str) -> frozenset[str]:
    return frozenset(WORD.findall(text.lower()))


def builtin_rows() -> list[str]:
    rows = [s for c in builtin_concepts() for p in builtin_pairs(c) for s in (p.safe, p.unsafe)]
    rows += [h for c in builtin_concepts() for h in builtin_hard_negatives(c)]
    return rows + list(builtin_benign())


def leaks(dev: dict[str, list[str]], rows: list[str], coverage: float, min_words: int = 4) -> list[tuple[str, str, str]]:
    """(dev set, dev prompt, built-in row) for every dev prompt largely contained in a built-in row."""
    targets = [(name, text, words(text)) for name, texts in dev.items() for text in dict.fromkeys(texts)]
    targets = [t for t in targets if len(t[2]) >= min_words]
    index: dict[str, list[int]] = defaultdict(list)
    for i, (_, _, ws) in enumerate(targets):
        for w in ws:
            index[w].append(i)
    found: dict[int, str] = {}
    for row in rows:
        shared: dict[int, int] = defaultdict(int)
        for w in words(row):
            if len(index[w]) <= COMMON_WORD_LIMIT:
                for i in index[w]:
                    shared[i] += 1
        for i, n in shared.items():
            if i not in found and n / len(targets[i][2]) >= coverage:
                found[i] = row
    return [(targets[i][0], targets[i][1], row) for i, row in sorted(found.items())]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", default=str(Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "dev"))
    ap.add_argument("--coverage", type=float, default=0.8)
    args = ap.parse_args()
    dev = load_dev_sets(args.dev)
    rows = builtin_rows()
    found = leaks(dev, rows, args.coverage)
    print(f"{len(rows)} built-in rows against {sum(len(v) for v in dev.values())} dev prompts: {len(found)} leaked")
    for name, text, row in found:
        print(f"  [{name}] {text!r}\n      in {row!r}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
